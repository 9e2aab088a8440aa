"""``examkit ocr ...`` and ``examkit doctor``: thin commands over :mod:`ocr.batch` and :mod:`ocr.views`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Optional

import typer

from examkit.cli_common import JsonOpt, OptionPairs, WorkspaceOpt, open_workspace, parse_options
from examkit.console import err, note, out, out_json, shown
from examkit.errors import BatchIncomplete
from examkit.i18n import _

if TYPE_CHECKING:
    from rich.table import Table

app = typer.Typer(help="Scan exam folders: preprocessing, red-ink separation, lines and words read by an OCR engine.", no_args_is_help=True)

Source = Literal["best", "ocr", "reviewed"]
ReaderChoice = Literal["bundled", "learned"]
LayerName = Literal["student", "teacher"]


@app.command("scan")
def scan(
    paths: Annotated[list[Path], typer.Argument(help="Files (PDF, PNG, JPG, TIFF, TXT, DOCX) or exam folders.")],
    lang: Annotated[Optional[str], typer.Option(help="Tesseract languages, e.g. deu or deu+eng.")] = None,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Parallel pages (default: one per core).")] = None,
    cluster: Annotated[Optional[str], typer.Option(help="Read pages on a Dask cluster: its scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    force: Annotated[bool, typer.Option(help="Read pages again even if done; reviewed text is kept.")] = False,
    dpi: Annotated[Optional[int], typer.Option(min=50, max=1200, help="Resolution PDFs are rendered at.")] = None,
    save_steps: Annotated[Optional[Path], typer.Option(help="Write each preprocessing step's image here.")] = None,
    hocr: Annotated[Optional[Path], typer.Option(help="Write an hOCR file per page here.")] = None,
    engine: Annotated[Optional[str], typer.Option(help="OCR engine: rapidocr (handwriting), tesseract (print), vlm (default: ocr.engine).")] = None,
    word_list: Annotated[Optional[Path], typer.Option(help="Words file (one per line): others are flagged.")] = None,
    model: Annotated[Optional[str], typer.Option(help="vlm engine: the vision-language model to ask.")] = None,
    base_url: Annotated[Optional[str], typer.Option(help="vlm engine: OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="vlm engine: agree to send pages to a cloud service.")] = False,
    reader_model: Annotated[Optional[ReaderChoice], typer.Option("--reader", help="rapidocr engine: the bundled or the learned recognition model (default: learned once `ocr learn` adopted one).")] = None,
    option: OptionPairs = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Read scanned tests into the workspace: documents, pages, words with confidences, red marks.

    Re-running skips pages already read (by content hash) and retries failures. Exits 3 when
    some files or pages failed (listed, and kept for `examkit ocr status`).

    With `--engine vlm` a vision-language model transcribes the pages; for a cloud address the
    command first says how many pages go where and what it costs, and sends nothing without `--yes`.

    With `--cluster` (or `ocr.cluster` in examkit.toml) the pages are read by the workers of a
    Dask cluster (`pip install "examkit[cluster]"`); this process alone writes the workspace.

    Engine options from `[ocr.<engine>]` can be set for one run with `-o key=value`.

    Example: examkit ocr scan exams/LK-Neuzeit-2023 --lang deu --workers 2 -o box_thresh=0.4
    """
    from annotate.sheets import attach_sheet
    from ocr.batch import scan as run_scan
    from ocr.factory import engine_for
    from ocr.page import ScanOptions

    with open_workspace(workspace) as ws:
        options = ScanOptions.from_config(ws.config, lang=lang, workers=workers, force=force, dpi=dpi,
                                          save_steps=save_steps, hocr=hocr, cluster=cluster)
        reader = engine_for(ws, engine, lang=options.lang, word_list=word_list, reader=reader_model,
                            **{**parse_options(option), "model": model, "base_url": base_url})
        report = run_scan(ws, paths, engine=reader, options=options, yes=yes, attach_sheet=attach_sheet)
    note(_("{documents} documents: {read} pages read, {done} already done, {typed} typed, {skipped} files skipped, "
           "{failed} failed ({seconds:.1f} s)").format(
        documents=report.documents, read=report.pages_read, done=report.pages_skipped, typed=report.typed,
        skipped=len(report.skipped_files), failed=len(report.failed), seconds=report.seconds))
    if report.failed:
        raise BatchIncomplete(report.failed, advice="See `examkit ocr status`; fix the files and scan again.")


@app.command("status")
def status(json: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """Documents, pages, their state (ocr'd, nothing read, reviewed), failures with reasons and skipped files. A page on which the reader found no line is "nothing read" (JSON: `empty`), never done.

    Example: examkit ocr status --json | jq '.failures'
    """
    from ocr.decoder import status as language_status
    from ocr.learn.store import status_line
    from ocr.views import status as build

    with open_workspace(workspace) as ws:
        data = build(ws)
        data["reader"] = status_line(ws.root)
        data["language_model"] = language_status(ws)
    if json:
        out_json(data)
        return
    err.print(status_table(data["documents"]))
    for item in data["failures"]:
        err.print(_("failed: {path}: {reason}").format(path=shown(item["path"]), reason=item["reason"]),
                  markup=False, soft_wrap=True)
    for item in data["skipped"]:
        err.print(_("skipped: {path}: {reason}").format(path=shown(item["path"]), reason=item["reason"]),
                  markup=False, soft_wrap=True)
    for item in data["sheets"]:
        err.print(_("analysis: {path} -> {document}").format(path=shown(item["path"]), document=shown(item["document_id"])),
                  markup=False, soft_wrap=True)
    reader = data["reader"]
    note(_("reader: learned {model}, held-out CER {before:.3f} -> {after:.3f}").format(
        model=reader["model"], before=reader["before_cer"], after=reader["held_out_cer"])
         if reader["model"] else _("reader: bundled (no learned reader adopted; see `examkit ocr learn`)"))
    lm = data["language_model"]
    note(_("decoder: beam search with the language model of {lang}: {general}, {word_list}; exam text: {sheets} task "
           "sheets, {lines} confirmed lines, {words:,} words").format(
        lang=lm["lang"], general=lm["general"], word_list=lm["word_list"], sheets=lm["task_sheets"],
        lines=lm["confirmed_lines"], words=lm["words"])
         if lm["decoder"] == "beam" else _("decoder: greedy (no language model; [ocr.rapidocr] decoder)"))
    totals = data["totals"]
    out(_("{documents} documents, {pages} pages, {ocr} ocr'd ({empty} with nothing read), {reviewed} reviewed, "
          "{failures} failures").format(**totals))


def status_table(documents: list[dict]) -> Table:
    """The documents of ``ocr status`` as a table that keeps every header whole at 80 columns:
    long ids fold onto a second line instead of squeezing the short columns."""
    from rich.table import Table

    table = Table(_("document"), _("kind"), _("pages"), _("ocr'd"), _("reviewed"), _("state"))
    table.columns[0].overflow = "fold"
    for column in table.columns[1:]:
        column.no_wrap, column.min_width = True, len(str(column.header))
    for doc in documents:
        table.add_row(doc["id"], _(doc["kind"]) + (_(" (typed)") if doc["typed"] else ""), str(doc["pages"]),
                      str(doc["ocr"]), str(doc["reviewed"]), _(doc["state"]))
    return table


@app.command("export-text")
def export_text(
    outdir: Annotated[Path, typer.Argument(help="Folder for <document-id>.txt files.")],
    source: Annotated[Source, typer.Option(help="best: reviewed where there is, else OCR.")] = "best",
    layer: Annotated[LayerName, typer.Option(help="The student's writing or the teacher's notes.")] = "student",
    workspace: WorkspaceOpt = None,
) -> None:
    """Write each document's text to OUTDIR/<document-id>.txt, pages separated by a form feed.

    Example: examkit ocr export-text texts/ --source reviewed
    """
    from ocr.views import export_text as write

    with open_workspace(workspace) as ws:
        written, without, replaced = write(ws, outdir, source=source, layer=layer)
    for path in written:
        out(str(path))
    if replaced:
        note(f"replaced {len(replaced)} files an earlier run had written in {outdir}")
    if without:
        note(f"{len(without)} documents have no {source} text: {', '.join(without)}")


@app.command("show")
def show(
    document_id: Annotated[str, typer.Argument(help="Document id, e.g. LK-Neuzeit-2023/mueller-anna.")],
    json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """A document's reading: pages, lines, words with confidence, box and review flag; teacher marks.

    Example: examkit ocr show LK-Neuzeit-2023/mueller-anna --json | jq '.pages[0].marks'
    """
    from ocr.views import show as build

    with open_workspace(workspace) as ws:
        data = build(ws, document_id)
    if json:
        out_json(data)
        return
    for page in data["pages"]:
        out(f"--- page {page['number']} ({page['engine']}, {', '.join(page['steps']) or 'no preprocessing'})")
        for line in page["lines"]:
            out(" ".join(f"[{w['text']}]" if w["flagged"] else w["text"] for w in line["words"]))
        for mark in page["marks"]:
            out(f"  {mark['kind']}: {mark['text']}")


from ocr.eval_cli import eval_command  # noqa: E402  (kept beside the other ocr commands)

app.command("eval")(eval_command)

from ocr.learn.cli import learn_command  # noqa: E402

app.command("learn")(learn_command)


def doctor(
    lang: Annotated[Optional[str], typer.Option(help="Languages to check (default from examkit.toml).")] = None,
    json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Which external programs, language data and bundled models are installed, and how to install what is missing.

    With --workspace, also checks that workspace (after a crash): the database, revision chains,
    page files. Exits 1 when something a scan needs is missing or the workspace has a problem.

    Example: examkit doctor --json
    """
    from examkit.cli_common import read_workspace_config
    from examkit.integrity import check_workspace
    from ocr.programs import doctor as probe

    config, _ = read_workspace_config(workspace)
    data = probe(lang or config.ocr.lang)
    if workspace is not None:
        problems = check_workspace(workspace)
        data["workspace"] = {"path": str(workspace), "ok": not problems, "problems": problems}
        data["ok"] = data["ok"] and not problems
    if json:
        out_json(data)
    else:
        for program in data["programs"]:
            state = f"{program['version']} ({program['path']})" if program["path"] else f"missing: {program['install']}"
            out(f"{program['name']:<10} {state}")
        for item in data["languages"]:
            out(f"lang {item['lang']:<5} {'installed' if item['installed'] else 'missing: ' + item['install']}")
        out(f"installed languages: {', '.join(data['installed_languages']) or 'none'}")
        for model in data["models"]:
            state = "ok" if model["ok"] else ("changed (SHA-256 differs)" if model["present"] else "missing")
            out(f"model {model['role']:<4} {model['name']} {state} ({model['path']})")
        if data["install"]:
            out(f"to install what is missing: {data['install']}")
        if "workspace" in data:
            out(f"workspace {workspace}: " + ("ok" if data["workspace"]["ok"] else "problems found"))
            for problem in data["workspace"]["problems"]:
                out(f"  {problem}")
    if not data["ok"]:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    """Mount ``examkit ocr ...`` and ``examkit doctor`` on the program's root group."""
    root.command("doctor")(doctor)
    root.add_typer(app, name="ocr")
