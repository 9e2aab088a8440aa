"""``examkit annotate ...``: render, parse, check, schema, scales, set.

``render``, ``parse``, ``check``, ``schema`` and ``scales`` work without a workspace (a teacher
normalising old Word texts has none); where one exists, its ``[analysis]`` settings are the
defaults, but it is only read, never created, by these commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

from annotate.audit import AuditRecord
from annotate.infer import infer_scale
from annotate.model import fmt_number, sheet_data, sheet_schema
from annotate.parse import parse_text
from annotate.render import render as render_text
from annotate.review.german import audit_message
from annotate.scales import list_scales
from annotate.sheets import Settings, attach_sheet, load_sheet, settings_from
from annotate.sources import audit_path
from annotate.textfiles import read_text
from examkit.cli_common import JsonOpt, WorkspaceOpt, open_workspace, read_workspace_config
from examkit.console import note, out, out_json, warn
from examkit.errors import UserInputError
from examkit.i18n import _, german

app = typer.Typer(help="The Fehleranalyse: render, parse, check, attach, draft.", no_args_is_help=True)

ScaleOpt = Annotated[Optional[str], typer.Option("--scale", help="Grade scale: oberstufe, sek1, or scales/NAME.toml.")]


def _settings(workspace: Path | None, scale: str | None) -> Settings:
    """The workspace's analysis settings if there is a workspace, else the defaults (nothing created)."""
    config, root = read_workspace_config(workspace)
    return settings_from(config.analysis if root else None, root, scale=scale)


@app.command("render")
def render(
    sheet: Annotated[Path, typer.Argument(help="A sheet (.yaml/.json) or a loose Fehleranalyse text.")],
    scale: ScaleOpt = None,
    template: Annotated[Optional[Path], typer.Option("--template", help="Your own Jinja2 template.")] = None,
    no_stop_marker: Annotated[bool, typer.Option("--no-stop-marker", help="End at the grade.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Print the canonical Fehleranalyse of a sheet, numbers computed (also normalises old texts).

    Example: examkit annotate render mueller-anna.yaml --scale sek1
    """
    settings = _settings(workspace, scale)
    analysis = load_sheet(sheet, stop_marker=settings.stop_marker)
    stop = None if no_stop_marker else settings.stop_marker
    out(render_text(analysis, scale=settings.scale, rounding=settings.rounding, stop_marker=stop,
                    template=template or settings.template))


@app.command("parse")
def parse(
    file: Annotated[Path, typer.Argument(help="A Fehleranalyse text file.")],
    json_out: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Read a Fehleranalyse text into the structured model: a sheet (YAML, or JSON with --json).

    Example: examkit annotate parse alt/mueller.txt --json > mueller.json
    """
    settings = _settings(workspace, None)
    result = parse_text(read_text(file), stop_marker=settings.stop_marker)
    sheet = sheet_data(result.analysis)
    s = result.stated
    if result.has_summary:
        pct = "?" if s.percent is None else fmt_number(s.percent)
        note(f"stated: {fmt_number(s.points or 0)} von {fmt_number(s.max or 0)}, {pct}%, Note {s.grade or '?'}")
    for line in result.notes:
        note(f"note: {line}")
    if json_out:
        out_json(sheet)
    else:
        import yaml

        out(yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False))


def _report(records: list[AuditRecord]) -> None:
    """One line per problem on stderr, written in one go (rich per line costs seconds on 10,000 records)."""
    said = audit_message if german() else (lambda p: p.message)  # the audit's German sentences where the reader reads German
    lines = [f"{rec.source}:{rec.record}: {_(p.severity)} {p.code}: {said(p)}\n" for rec in records for p in rec.problems]
    sys.stderr.write("".join(lines))
    sys.stderr.flush()
    bad = sum(r.has_errors for r in records)
    warned = sum(1 for r in records if r.problems and not r.has_errors)
    note(_("{records} records: {clean} clean, {warned} with warnings only, {bad} with errors").format(
        records=len(records), clean=len(records) - bad - warned, warned=warned, bad=bad))


def _token_counter(model: str, max_tokens: int | None):
    from examkit.openai_finetuning import token_limit
    from examkit.tokens import count_tokens

    return (max_tokens or token_limit(model)), (lambda text: count_tokens(text, model))


@app.command("check")
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files (.txt, .jsonl, .csv) or folders.")] = None,
    scale: ScaleOpt = None,
    json_out: JsonOpt = False,
    infer: Annotated[bool, typer.Option("--infer-scale", help="Fit grade thresholds to the stated grades.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="Check the token limit of this model.")] = None,
    max_tokens: Annotated[Optional[int], typer.Option("--max-tokens", help="Token limit per record.")] = None,
    scans: Annotated[bool, typer.Option("--scans", help="Also audit the workspace's saved analyses, each against "
                                        "the total and grade written in red on its scan.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Audit analyses and training files: sums, percent, grade, stop marker, quotes. Exit 1 on errors.

    Example: examkit annotate check train.jsonl --json | jq '.[] | select(.problems != [])'
    """
    if not paths and not scans:
        raise UserInputError("nothing to check", advice="Give files or folders, or --scans for the workspace's analyses.")
    settings = _settings(workspace, scale)
    counting = model or read_workspace_config(workspace)[0].export.target_model  # --max-tokens alone: the export's model
    limit, counter = _token_counter(counting, max_tokens) if (model or max_tokens) else (None, None)
    records: list[AuditRecord] = []
    if scans:
        from annotate.redink import audit_documents

        _, root = read_workspace_config(workspace)
        if root is None:
            raise UserInputError("--scans: no workspace here", advice="Pass --workspace, or run it in the workspace folder.")
        with open_workspace(root) as ws:
            records += audit_documents(ws, settings)
    for path in paths or []:
        records += audit_path(path, on_warning=warn, scale=settings.scale, rounding=settings.rounding,
                              stop_marker=settings.stop_marker, max_tokens=limit, count_tokens=counter)
    if json_out:  # one record per line: valid JSON for jq, fast for 10,000 records, greppable
        out("[\n" + ",\n".join(json.dumps(r.to_json(), ensure_ascii=False) for r in records) + "\n]")
    _report(records)
    if infer:
        _print_inferred(records, settings)
    if any(r.has_errors for r in records):
        raise typer.Exit(1)


def _print_inferred(records: list[AuditRecord], settings: Settings) -> None:
    fit = infer_scale(records, settings.scale)
    note(f"inferred thresholds (grade: min % between; seen range; records), ordered as {settings.scale.name}:")
    for row in fit.rows:
        low, high = row.threshold_range
        note(f"  {row.grade:>4}: {low}–{high} %   seen {row.lowest}–{row.highest} %   {row.records} records")
    for source, record, pct, grade in fit.unexplained:
        note(f"  not monotone: {source}:{record} {pct}% graded {grade}")
    if fit.ignored:
        note(f"  {fit.ignored} records without a stated grade and percent (or a grade not on the scale) ignored")


@app.command("schema")
def schema() -> None:
    """Print the JSON schema of a sheet (for editors and validators).

    Example: examkit annotate schema > fehleranalyse.schema.json
    """
    out(json.dumps(sheet_schema(), ensure_ascii=False, indent=2))


@app.command("scales")
def scales(json_out: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """List the grade scales: presets and the workspace's scales/NAME.toml.

    Example: examkit annotate scales --json
    """
    settings = _settings(workspace, None)
    found = list_scales(settings.scale_dirs)
    if json_out:
        out_json([s.model_dump() for s in found])
        return
    for s in found:
        rows = ", ".join(f"{r.grade}≥{r.min_percent:g}" for r in s.rows)
        out(f"{s.name}\t{s.description}\t{rows}")


@app.command("set")
def set_analysis(
    document_id: Annotated[str, typer.Argument(help="Document id, e.g. LK-Neuzeit-2023/mueller-anna.")],
    file: Annotated[Path, typer.Argument(help="A sheet (.yaml/.json) or a Fehleranalyse text.")],
    source: Annotated[Literal["teacher", "import"], typer.Option("--source", help="Who wrote it.")] = "teacher",
    workspace: WorkspaceOpt = None,
) -> None:
    """Store an analysis for a document as a new revision (earlier ones are kept).

    Example: examkit annotate set LK-Neuzeit-2023/mueller-anna mueller-anna.yaml
    """
    with open_workspace(workspace) as ws:
        revision = attach_sheet(ws, document_id, file, source=source)
    note(f"stored analysis revision {revision.id} for {document_id}")
    out(str(revision.id))


def register(root: typer.Typer) -> None:
    """Mount ``examkit annotate ...`` on the program's root group."""
    root.add_typer(app, name="annotate")
