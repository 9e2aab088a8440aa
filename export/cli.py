"""``examkit export ...``: thin commands over :mod:`export.pipeline` and friends.

Written file paths go to stdout (one per line, for scripts); the validation summary with tokens
and cost, the documents left out and every warning go to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from examkit.cli_common import JsonOpt, WorkspaceOpt, open_workspace, read_workspace_config
from examkit.console import note, out, out_json, warn
from examkit.errors import BatchIncomplete, InputFileError, UserInputError
from examkit.files import sha256_file
from examkit.i18n import _
from examkit.workspace import Workspace
from export.pipeline import ExportOptions, ExportResult, export_training, read_manifest, validation_options
from export.validate import Report, Role

app = typer.Typer(help="Training files: chat JSONL, CSV, validation, tokens, cost.", no_args_is_help=True)

SplitOpt = Annotated[Optional[float], typer.Option("--split", min=0.0, max=1.0, help="Share for validation, e.g. 0.1.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the split (same seed, same split).")]
GroupOpt = Annotated[Literal["student", "exam"], typer.Option("--group", help="Never split a student's (or an exam's) records.")]
SystemOpt = Annotated[Optional[str], typer.Option("--system", help="System prompt (default: examkit.toml).")]
SystemFileOpt = Annotated[Optional[Path], typer.Option("--system-file", help="Read the system prompt from a file.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Fail if any document is left out.")]
RosterOpt = Annotated[Optional[Path], typer.Option("--pseudonymize", help="Roster CSV: replace these names by pseudonyms.")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Target model (tokens, limit, price; default: examkit.toml).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Write even if the file as a whole fails validation.")]
UnreviewedOpt = Annotated[bool, typer.Option(
    "--include-unreviewed", help="Also take documents with pages nobody reviewed (OCR text; counted on stderr).")]
DuplicatesOpt = Annotated[bool, typer.Option(
    "--allow-duplicates", help="Write even if examples repeat or one prompt has two answers.")]


def _system(system: str | None, system_file: Path | None) -> str | None:
    if system is not None and system_file is not None:
        raise UserInputError("give --system or --system-file, not both")
    if system_file is None:
        return system
    try:
        return system_file.read_text(encoding="utf-8-sig").strip()
    except OSError as exc:
        raise InputFileError(system_file, f"cannot read ({exc.strerror})") from exc


def _show(report: Report, *, limit: int = 50) -> None:
    """A report's problems (the first ``limit``) and its summary, on stderr."""
    for problem in report.problems[:limit]:
        note(f"{problem.where()}: {problem.severity}: {problem.code}: {problem.message}")
    if len(report.problems) > limit:
        note(f"... and {len(report.problems) - limit} more problems (see --json)")
    for line in report.summary_lines():
        note(line)


def _finish(result: ExportResult, include_unreviewed: bool) -> None:
    for message in result.warnings:
        warn(message)
    for skipped in result.skipped:
        warn(_("left out {document}: {reason}").format(document=skipped.document_id, reason=skipped.reason))
    for report in result.reports:
        _show(report)
    for line in result.left_out():
        warn(line)
    for path in result.replaced:
        warn(_("replaced {path} (written by an earlier export)").format(path=path))
    if include_unreviewed:
        records = sum(r.n_examples for r in result.reports)
        warn(f"--include-unreviewed: {result.ocr_only} of {records} records contain OCR text nobody reviewed "
             f"(unreviewed pages: {result.ocr_only_pages})")
    for path in result.files:
        out(str(path))


def _export(workspace: Path | None, out_path: Path, options: ExportOptions) -> None:
    with open_workspace(workspace) as ws:
        result = export_training(ws, out_path, options)
    _finish(result, options.include_unreviewed)


@app.command("chat")
def chat(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.jsonl", help="Training file to write.")],
    split: SplitOpt = None, seed: SeedOpt = 0, group: GroupOpt = "student",
    system: SystemOpt = None, system_file: SystemFileOpt = None, strict: StrictOpt = False,
    pseudonymize: RosterOpt = None, model: ModelOpt = None, force: ForceOpt = False,
    include_unreviewed: UnreviewedOpt = False, allow_duplicates: DuplicatesOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the chat JSONL training file (validated first; tokens and cost on stderr).

    Only documents whose pages a person reviewed go in; the others are counted by reason.
    With --split, OUT.val.jsonl is written beside OUT.jsonl; no student is on both sides.
    Each file gets FILE.manifest.json: its role and the revisions every line was built from.

    Example: examkit export chat train.jsonl --split 0.1 --seed 7 --pseudonymize klasse.csv
    """
    _export(workspace, out_path, ExportOptions(
        fmt="chat", split=split, seed=seed, group=group, system=_system(system, system_file), strict=strict,
        roster=pseudonymize, model=model, force=force, include_unreviewed=include_unreviewed,
        allow_duplicates=allow_duplicates))


@app.command("jsonl")
def jsonl(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.jsonl", help="File to write.")],
    split: SplitOpt = None, seed: SeedOpt = 0, group: GroupOpt = "student", strict: StrictOpt = False,
    pseudonymize: RosterOpt = None, model: ModelOpt = None, force: ForceOpt = False,
    include_unreviewed: UnreviewedOpt = False, allow_duplicates: DuplicatesOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write prompt/completion JSONL lines (the legacy format; chat is what models train on).

    Example: examkit export jsonl legacy.jsonl
    """
    _export(workspace, out_path, ExportOptions(fmt="jsonl", split=split, seed=seed, group=group, strict=strict,
                                               roster=pseudonymize, model=model, force=force,
                                               include_unreviewed=include_unreviewed,
                                               allow_duplicates=allow_duplicates))


@app.command("csv")
def csv(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.csv", help="File to write.")],
    excel: Annotated[bool, typer.Option("--excel", help="UTF-8 with BOM and `;` (German Excel).")] = False,
    strict: StrictOpt = False, pseudonymize: RosterOpt = None, model: ModelOpt = None,
    include_unreviewed: UnreviewedOpt = False, allow_duplicates: DuplicatesOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the records as a CSV sheet: document_id, revision, prompt, completion.

    Edit the completions and `examkit export import` the file: those documents get a new analysis
    revision (never over a newer one a person saved), no document is added twice.

    Example: examkit export csv fehleranalysen.csv --excel
    """
    _export(workspace, out_path, ExportOptions(fmt="csv", excel=excel, strict=strict, roster=pseudonymize, model=model,
                                               include_unreviewed=include_unreviewed,
                                               allow_duplicates=allow_duplicates))


@app.command("xlsx")
def xlsx(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.xlsx", help="Workbook to write.")],
    strict: StrictOpt = False, pseudonymize: RosterOpt = None, model: ModelOpt = None,
    include_unreviewed: UnreviewedOpt = False, allow_duplicates: DuplicatesOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the records as an Excel workbook (opens in Excel and LibreOffice, umlauts intact).

    The same columns as `export csv`, and the same round trip through `export import`.

    Example: examkit export xlsx fehleranalysen.xlsx
    """
    _export(workspace, out_path, ExportOptions(fmt="xlsx", strict=strict, roster=pseudonymize, model=model,
                                               include_unreviewed=include_unreviewed,
                                               allow_duplicates=allow_duplicates))


@app.command("notenliste")
def notenliste(
    out_path: Annotated[Path, typer.Argument(metavar="OUT.xlsx", help="Workbook to write.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Write the Notenliste: one row per student with each task's points, total, percent, grade and the analysis's state.

    For the teacher, not for training: German headers, numbers as numbers. Points come from the
    confirmed analysis's own arithmetic; drafts are not counted.

    Example: examkit export notenliste notenliste.xlsx
    """
    from export.gradebook import write_notenliste

    with open_workspace(workspace) as ws:
        path, rows = write_notenliste(ws, out_path)
    graded = sum(row.points is not None for row in rows)
    note(_("{students} students, {graded} with points, {without} without (see the column 'Stand der Analyse')").format(
        students=len(rows), graded=graded, without=len(rows) - graded))
    out(str(path))


@app.command("convert")
def convert(
    in_path: Annotated[Path, typer.Argument(metavar="IN.jsonl", help="Prompt/completion lines.")],
    out_path: Annotated[Path, typer.Argument(metavar="OUT.jsonl", help="Chat lines to write.")],
    system: SystemOpt = None, system_file: SystemFileOpt = None, model: ModelOpt = None, force: ForceOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Convert prompt/completion JSONL (the seed's EasyGPT output) to chat JSONL.

    Example: examkit export convert trainingsdata.jsonl chat.jsonl --system "Du bist Geschichtslehrer."
    """
    from export.convert import write_converted

    config, root = read_workspace_config(workspace)
    result = write_converted(in_path, out_path, options=validation_options(config, root, model=model),
                             system=_system(system, system_file), force=force)
    if root is not None:
        with Workspace.open(root) as ws:
            result.record(ws)
    _show(result.report)
    out(str(out_path))


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="CSV/Excel sheets (prompt, completion) or Word .docx files.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Import teachers' existing prompt/completion sheets and Word documents as documents + analyses.

    Rows with a document_id of this workspace (a sheet from `export csv`/`xlsx`) update that
    document's analysis instead; a row based on an older revision than the workspace's is refused.
    Prints the imported document ids. Exits 3 when some rows or files could not be imported.

    Example: examkit export import alte-tests.csv korrekturen/*.docx
    """
    from export.importer import import_files

    with open_workspace(workspace) as ws:
        result = import_files(ws, files)
    for message in result.warnings:
        warn(message)
    for doc_id in result.imported:
        out(doc_id)
    note(f"{len(result.imported)} imported, {len(result.unchanged)} unchanged, {len(result.failures)} failed")
    if result.failures:
        raise BatchIncomplete(result.failures, advice="Fix those rows or files and import again.")


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(metavar="FILE.jsonl", help="Chat (or prompt/completion) JSONL.")],
    model: ModelOpt = None,
    epochs: Annotated[Optional[int], typer.Option(min=1, help="Epochs for the cost (default: OpenAI's rule).")] = None,
    roster: Annotated[Optional[Path], typer.Option("--roster", help="Warn about these students' names.")] = None,
    role: Annotated[Optional[Literal["training", "validation"]], typer.Option(
        "--role", help="training (at least 10 examples, priced) or validation (default: the export manifest).")] = None,
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Check a training file: format, Fehleranalyse audit, stop marker, names, tokens, cost.

    The role comes from --role, else from FILE.manifest.json (which `export chat` writes), else
    training. The share of records with OCR text nobody reviewed comes from that manifest.
    Exits 1 when any error is found (each named FILE:LINE); warnings alone exit 0.

    Example: examkit export validate train.jsonl --model gpt-4o-mini-2024-07-18 --json | jq .total_tokens
    """
    from export.privacy import Roster
    from export.validate import validate_file

    if not file.is_file():
        raise InputFileError(file, "no such file")
    config, root = read_workspace_config(workspace)
    manifest = read_manifest(file) or {}
    stated = manifest.get("role")
    chosen: Role = role or (stated if stated in ("training", "validation") else "training")
    options = validation_options(config, root, model=model, epochs=epochs, role=chosen,
                                 roster=Roster.load(roster) if roster else None)
    report = validate_file(file, options)
    if manifest.get("sha256") == sha256_file(file):  # the manifest describes this very content
        report.ocr_only = sum(1 for r in manifest.get("records", []) if r.get("ocr_only"))
    else:
        note(f"OCR-only text: not known (no export manifest for this content beside {file})")
    if json_out:
        out_json(report.summary())
        for line in report.summary_lines():
            note(line)
    else:
        _show(report)
    if report.has_errors:
        raise typer.Exit(1)


@app.command("ocr-gt")
def ocr_gt(
    directory: Annotated[Path, typer.Argument(metavar="DIR", help="Folder for lines/ and pages/.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Write confirmed lines as NAME.png + NAME.gt.txt (cut by each line's outline) and their pages as PAGE XML
    with outline, baseline and text per line, the page image beside it (OCR training); the teacher's red notes
    that a saved analysis agrees with go to teacher/.

    Example: examkit export ocr-gt ground-truth/
    """
    from export.ocr_gt import export_ground_truth

    with open_workspace(workspace) as ws:
        result = export_ground_truth(ws, directory)
        ws.runs.record_export(str(directory.resolve()), "ocr-gt", result.lines, "",
                              {"pages": result.pages, "skipped_lines": result.skipped_lines})
    for reason in result.skipped_pages:
        warn(f"skipped {reason}")
    if result.replaced:
        warn(f"replaced {len(result.replaced)} files an earlier export had written in {directory}")
    note(f"{result.lines} lines from {result.pages} reviewed pages; {result.skipped_lines} lines without an outline "
         "(typed, not drawn) were skipped")
    note(f"{result.teacher_notes} red notes of the teacher (those the saved analyses agree with) under teacher/")
    for path in result.files:
        out(str(path))


def register(root: typer.Typer) -> None:
    """Mount ``examkit export ...`` on the program's root group."""
    root.add_typer(app, name="export")
