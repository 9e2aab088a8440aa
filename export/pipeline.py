"""One export, start to finish: records → pseudonyms → validation → split → files → bookkeeping.

Validation always runs before anything is written. A record that fails it (audit errors, too
long for the model) is left out and listed like a document without an analysis; a file-level
failure (fewer than 10 examples) writes nothing unless forced, because the promise of this stage
is a file the provider accepts the first time. Every written file is recorded in the workspace
with its hash and validation summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from annotate.audit import audit_text
from annotate.sheets import settings_from
from examkit.config import CONFIG_NAME, Config, load_config
from examkit.errors import UserInputError
from examkit.files import sha256_file
from examkit.workspace import resolve_path
from export.formats import write_csv, write_jsonl
from export.privacy import Roster
from export.records import Record, Skipped, collect_records
from export.split import split_grouped
from export.validate import AuditFn, Options, Report, validate_examples

if TYPE_CHECKING:
    from examkit.workspace import Workspace

Format = Literal["chat", "jsonl", "csv"]


@dataclass
class ExportOptions:
    fmt: Format = "chat"
    split: float | None = None
    seed: int = 0
    group: Literal["student", "exam"] = "student"
    system: str | None = None
    strict: bool = False
    roster: Path | None = None
    excel: bool = False
    force: bool = False
    model: str | None = None


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def configured_audit(config: Config, root: Path | None, *, scale: str | None = None) -> tuple[AuditFn, str]:
    """The Fehleranalyse audit with the configured scale, rounding and stop marker, and the marker."""
    settings = settings_from(config.analysis, root, scale=scale)

    def audit(text: str, student: str | None, record: int) -> list[Any]:
        return audit_text(text, student_text=student, scale=settings.scale, rounding=settings.rounding,
                          stop_marker=settings.stop_marker, record=record).problems

    return audit, settings.stop_marker or ""


def validation_options(
    config: Config, root: Path | None = None, *, model: str | None = None, roster: Roster | None = None,
    scale: str | None = None, epochs: int | None = None,
) -> Options:
    """Validation as a workspace configures it (model, limits, prices, epochs, audit).

    ``root`` is the workspace folder (for its own grade scales), None without a workspace.
    """
    audit, marker = configured_audit(config, root, scale=scale)
    cfg = config.export
    return Options(
        model=model or cfg.target_model, stop_marker=marker, audit=audit,
        find_names=roster.find if roster else None, epochs=epochs or cfg.epochs,
        token_limits=cfg.token_limits, prices=cfg.training_prices,
    )


def workspace_config(workspace: Path | None) -> tuple[Config, Path | None]:
    """The config of the workspace at ``workspace`` if one exists there (nothing is created)."""
    root = resolve_path(workspace)
    if (root / CONFIG_NAME).is_file():
        return load_config(root / CONFIG_NAME), root
    return Config(), None


def _rows(records: list[Record], fmt: Format) -> list[dict[str, Any]]:
    return [r.chat() if fmt == "chat" else r.prompt_completion() for r in records]


def _validated(records: list[Record], name: str, fmt: Format, options: Options) -> tuple[list[Record], list[Skipped], Report]:
    """Drop the records validation rejects; the report of what remains."""
    report = validate_examples(_rows(records, fmt), name, options)
    bad = {p.line for p in report.errors() if p.line is not None}
    if not bad:
        return records, [], report
    reasons: dict[int, list[str]] = {}
    for p in report.errors():
        if p.line is not None:
            reasons.setdefault(p.line, []).append(f"{p.code}: {p.message}")
    skipped = [Skipped(r.document_id, "; ".join(reasons[i])) for i, r in enumerate(records, start=1) if i in bad]
    kept = [r for i, r in enumerate(records, start=1) if i not in bad]
    return kept, skipped, validate_examples(_rows(kept, fmt), name, options)


def export_training(ws: Workspace, out: Path, options: ExportOptions) -> ExportResult:
    """Build, validate and write the workspace's training records to ``out`` (and ``.val``)."""
    collection = collect_records(ws, system=options.system)
    result = ExportResult(skipped=list(collection.skipped), warnings=list(collection.warnings))
    roster = Roster.load(options.roster) if options.roster else None
    records = collection.records
    if roster is not None:
        records = [replace(r, user=roster.pseudonymize(r.user), assistant=roster.pseudonymize(r.assistant)) for r in records]
    vopts = validation_options(ws.config, ws.root, model=options.model, roster=roster)
    if options.fmt == "csv":
        vopts.min_examples = 0  # a sheet for people, not a training upload
    parts: list[tuple[Path, list[Record], int]] = [(out, records, vopts.min_examples)]
    if options.split:
        key = (lambda r: r.exam) if options.group == "exam" else (lambda r: r.student)
        train, val = split_grouped(records, options.split, seed=options.seed, key=key)
        parts = [(out, train, vopts.min_examples), (out.with_name(out.stem + ".val" + out.suffix), val, 1)]
    checked = []
    for path, part, minimum in parts:
        kept, dropped, report = _validated(part, str(path), options.fmt, replace(vopts, min_examples=minimum))
        if options.fmt != "chat":  # prompt/completion was asked for: no advice to convert it
            report.problems = [p for p in report.problems if p.code != "legacy-format"]
        result.skipped += dropped
        checked.append((path, kept, report))
    if options.strict and result.skipped:
        raise UserInputError(
            f"{len(result.skipped)} document(s) left out: "
            + "; ".join(f"{s.document_id} ({s.reason})" for s in result.skipped),
            advice="Fix them, or export without --strict to leave them out.",
        )
    failing = [p for _, _, report in checked for p in report.errors()]
    if failing and not options.force:
        raise UserInputError(
            "nothing written: " + "; ".join(f"{p.where()}: {p.code}: {p.message}" for p in failing[:5]),
            advice="Fix the data, or pass --force to write anyway.",
        )
    for path, kept, report in checked:
        rows = _rows(kept, options.fmt)
        write_csv(path, rows, excel=options.excel) if options.fmt == "csv" else write_jsonl(path, rows)
        summary = {k: v for k, v in report.summary().items() if k != "problems"}
        ws.runs.record_export(str(path.resolve()), options.fmt, len(rows), sha256_file(path),
                              {"validation": summary, "documents": [r.document_id for r in kept],
                               "pseudonymized": roster is not None, "split": options.split, "seed": options.seed})
        result.files.append(path)
        result.reports.append(report)
    return result
