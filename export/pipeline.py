"""One export, start to finish: records → pseudonyms → validation → split → files → bookkeeping.

Validation always runs before anything is written. A record that fails it (audit errors, too
long for the model) is left out and listed like a document without an analysis; a file-level
failure (fewer than 10 examples) writes nothing unless forced, because the promise of this stage
is a file the provider accepts the first time. Duplicate examples and one prompt with two answers
stop the export too (``allow_duplicates`` lets them through): a doubled training set teaches the
doubled examples twice as hard, and a conflicting pair teaches nothing.

Every written file gets a manifest beside it (``FILE.manifest.json``, see :func:`manifest_path`):
its role (training, validation or a sheet for people), and per line the document and the
revisions it was built from; the documents left out and why. The same is recorded in the
workspace with the file's hash and validation summary.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from annotate.audit import audit_text
from annotate.sheets import settings_from
from examkit.clock import now
from examkit.config import Config
from examkit.errors import UserInputError
from examkit.files import FileNames, atomic_write_text, sha256_file
from examkit.i18n import _
from examkit.openai_finetuning import MIN_EXAMPLES
from export.formats import write_csv, write_jsonl, write_xlsx
from export.privacy import Roster
from export.records import INVALID, Record, Skipped, collect_records
from export.split import split_grouped
from export.validate import AuditFn, Options, Report, Role, validate_examples

if TYPE_CHECKING:
    from examkit.workspace import Workspace

Format = Literal["chat", "jsonl", "csv", "xlsx"]
#: Validation codes that mean the set is doubled or contradicts itself.
DOUBLING = ("duplicate", "conflicting")


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
    include_unreviewed: bool = False
    allow_duplicates: bool = False


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: files an earlier export had written at the same paths (this one replaced them)
    replaced: list[Path] = field(default_factory=list)
    #: records written with text nobody confirmed (``include_unreviewed``), and their unconfirmed pages
    ocr_only: int = 0
    ocr_only_pages: int = 0

    def left_out(self) -> list[str]:
        """``"13 left out: pages not reviewed"``, one line per reason, most frequent first."""
        counts = Counter(s.kind or s.reason for s in self.skipped)
        return [_("{count} left out: {reason}").format(count=n, reason=kind) for kind, n in counts.most_common()]


def manifest_path(path: Path) -> Path:
    """Where the manifest of an exported file lies: ``train.jsonl`` → ``train.jsonl.manifest.json``."""
    return path.with_name(path.name + ".manifest.json")


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest of an exported file, if one lies beside it and is readable."""
    try:
        data = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def configured_audit(config: Config, root: Path | None, *, scale: str | None = None) -> tuple[AuditFn, str]:
    """The Fehleranalyse audit with the configured scale, rounding and stop marker, and the marker."""
    settings = settings_from(config.analysis, root, scale=scale)

    def audit(text: str, student: str | None, record: int) -> list[Any]:
        return audit_text(text, student_text=student, scale=settings.scale, rounding=settings.rounding,
                          stop_marker=settings.stop_marker, record=record).problems

    return audit, settings.stop_marker or ""


def validation_options(
    config: Config, root: Path | None = None, *, model: str | None = None, roster: Roster | None = None,
    scale: str | None = None, epochs: int | None = None, role: Role = "training",
) -> Options:
    """Validation as a workspace configures it (model, limits, prices, epochs, audit).

    ``root`` is the workspace folder (for its own grade scales), None without a workspace.
    ``role``: OpenAI's minimum of 10 examples binds a training file; a validation file needs one
    example, a sheet for people none.
    """
    audit, marker = configured_audit(config, root, scale=scale)
    cfg = config.export
    return Options(
        model=model or cfg.target_model, stop_marker=marker, audit=audit,
        find_names=roster.find if roster else None, epochs=epochs or cfg.epochs,
        token_limits=cfg.token_limits, prices=cfg.training_prices, role=role,
        min_examples={"training": MIN_EXAMPLES, "validation": 1, "sheet": 0}[role],
    )


def _rows(records: list[Record], fmt: Format) -> list[dict[str, Any]]:
    if fmt in ("csv", "xlsx"):  # sheets carry what an import needs to update, not double
        return [{"document_id": r.document_id, "revision": r.trace.get("analysis_revision"), **r.prompt_completion()}
                for r in records]
    return [r.chat() if fmt == "chat" else r.prompt_completion() for r in records]


def _check_rows(records: list[Record], fmt: Format) -> list[dict[str, Any]]:
    """What validation sees: chat lines, else prompt/completion pairs."""
    return [r.chat() if fmt == "chat" else r.prompt_completion() for r in records]


def _validated(records: list[Record], name: str, fmt: Format, options: Options) -> tuple[list[Record], list[Skipped], Report]:
    """Drop the records validation rejects; the report of what remains."""
    report = validate_examples(_check_rows(records, fmt), name, options)
    bad = {p.line for p in report.errors() if p.line is not None}
    if not bad:
        return records, [], report
    reasons: dict[int, list[str]] = {}
    for p in report.errors():
        if p.line is not None:
            reasons.setdefault(p.line, []).append(f"{p.code}: {p.message}")
    skipped = [Skipped(r.document_id, "; ".join(reasons[i]), INVALID) for i, r in enumerate(records, start=1) if i in bad]
    kept = [r for i, r in enumerate(records, start=1) if i not in bad]
    return kept, skipped, validate_examples(_check_rows(kept, fmt), name, options)


def export_training(ws: Workspace, out: Path, options: ExportOptions) -> ExportResult:
    """Build, validate and write the workspace's training records to ``out`` (and ``.val``)."""
    collection = collect_records(ws, system=options.system, include_unreviewed=options.include_unreviewed)
    result = ExportResult(skipped=list(collection.skipped), warnings=list(collection.warnings))
    roster = Roster.load(options.roster) if options.roster else None
    records = collection.records
    if roster is not None:
        records = [replace(r, user=roster.pseudonymize(r.user), assistant=roster.pseudonymize(r.assistant)) for r in records]
    sheet = options.fmt in ("csv", "xlsx")  # for people, not a training upload
    parts: list[tuple[Path, list[Record], Role]] = [(out, records, "sheet" if sheet else "training")]
    if options.split:
        key = (lambda r: r.exam) if options.group == "exam" else (lambda r: r.student)
        train, val = split_grouped(records, options.split, seed=options.seed, key=key)
        parts = [(out, train, "training"), (out.with_name(out.stem + ".val" + out.suffix), val, "validation")]
    checked = []
    for path, part, role in parts:
        vopts = validation_options(ws.config, ws.root, model=options.model, roster=roster, role=role)
        kept, dropped, report = _validated(part, str(path), options.fmt, vopts)
        if options.fmt != "chat":  # prompt/completion was asked for: no advice to convert it
            report.problems = [p for p in report.problems if p.code != "legacy-format"]
        result.skipped += dropped
        checked.append((path, kept, report, role))
    if options.strict and result.skipped:
        raise UserInputError(
            f"{len(result.skipped)} document(s) left out: "
            + "; ".join(f"{s.document_id} ({s.reason})" for s in result.skipped),
            advice="Fix them, or export without --strict to leave them out.",
        )
    failing = [p for _, _, report, _ in checked for p in report.errors()]
    if failing and not options.force:
        left = "".join(f"; {line}" for line in result.left_out())  # why there are so few, often
        raise UserInputError(
            "nothing written: " + "; ".join(f"{p.where()}: {p.code}: {p.message}" for p in failing[:5]) + left,
            advice="Fix the data (review the pages left out), or pass --force to write anyway.",
        )
    doubled = [p for _, _, report, _ in checked for p in report.problems if p.code in DOUBLING]
    if doubled and not options.allow_duplicates:
        raise UserInputError(
            f"nothing written: {len(doubled)} duplicate or conflicting examples ("
            + "; ".join(f"{p.where()}: {p.message}" for p in doubled[:5]) + ")",
            advice="Remove the doubled documents (often an import of an earlier export), or pass --allow-duplicates.",
        )
    names = FileNames()
    for path, kept, report, role in checked:
        names.claim(path)
        rows = _rows(kept, options.fmt)
        report.ocr_only = sum(r.ocr_only for r in kept)
        if options.fmt == "xlsx":
            write_xlsx(path, rows)
        elif options.fmt == "csv":
            write_csv(path, rows, excel=options.excel)
        else:
            write_jsonl(path, rows)
        summary = {k: v for k, v in report.summary().items() if k != "problems"}
        manifest = _manifest(path, options, role, kept, result.skipped, summary, pseudonymized=roster is not None)
        atomic_write_text(names.claim(manifest_path(path)), json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        ws.runs.record_export(str(path.resolve()), options.fmt, len(rows), manifest["sha256"],
                              {k: v for k, v in manifest.items() if k not in ("file", "format", "sha256")})
        result.files.append(path)
        result.reports.append(report)
        result.ocr_only += report.ocr_only
        result.ocr_only_pages += sum(_unconfirmed(r) for r in kept)
    result.replaced = [p for p in names.replaced if not p.name.endswith(".manifest.json")]
    return result


def _unconfirmed(record: Record) -> int:
    pages = record.trace.get("pages", []) + record.trace.get("task_sheet", [])
    return sum(1 for p in pages if not p.get("confirmed"))


def _manifest(path: Path, options: ExportOptions, role: Role, kept: list[Record], skipped: list[Skipped],
              summary: dict[str, Any], *, pseudonymized: bool) -> dict[str, Any]:
    """What a written file is and what each of its lines was built from."""
    return {
        "file": path.name, "format": options.fmt, "role": role, "sha256": sha256_file(path), "created_at": now(),
        "include_unreviewed": options.include_unreviewed, "pseudonymized": pseudonymized,
        "split": options.split, "seed": options.seed, "validation": summary,
        "documents": [r.document_id for r in kept],
        "records": [{"line": i, "document_id": r.document_id, "ocr_only": r.ocr_only, **r.trace}
                    for i, r in enumerate(kept, start=1)],
        "left_out": [{"document_id": s.document_id, "reason": s.reason, "kind": s.kind} for s in skipped],
    }
