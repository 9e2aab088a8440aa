"""Teachers' existing material into the workspace: prompt/completion sheets and Word documents.

The seed project kept its data in Word documents and a CSV of prompt/completion rows. Importing
them makes that work count: each row (or Word document) becomes a typed document whose text is
the prompt, with the completion as an analysis revision, and from then on it is exported,
reviewed and audited like a scanned test. The prompt is kept verbatim (the exam is named
``import:<file>``, and the user template uses such answers as they are), so CSV → import →
CSV gives the same prompts back.

An analysis that parses and passes the audit is stored canonically with its sheet; one whose
numbers do not add up is stored as written, with a warning, so the review can fix it (the export
leaves it out until then). A row whose analysis cannot be read at all is a failed item. Running
an import twice adds nothing the second time.

A sheet that ``export csv``/``export xlsx`` wrote names each row's ``document_id`` and the
analysis ``revision`` it showed. Such a row updates that document: its completion becomes a new
analysis revision based on that revision, so an edit-import round trip never doubles the training
set, and a row older than what a person saved since is refused (the batch goes on). The prompt of
such a row is not written back: it is built from the page texts and the task sheet, which are
corrected in the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotate.audit import audit_text
from annotate.parse import AnalysisParseError, parse
from annotate.sheets import Settings, canonical_text, settings_from
from examkit.console import progress, shown
from examkit.errors import InputFileError, RevisionConflict
from examkit.files import require_file, sha256_bytes
from examkit.models import Document
from export.formats import read_table
from export.records import IMPORT_EXAM_PREFIX, answer_text, user_prompt

if TYPE_CHECKING:
    from examkit.workspace import Workspace

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
#: A revision number a sheet may carry (SQLite holds 64-bit integers: 19 digits, not all of them).
MAX_REVISION_DIGITS = 18
HEADING = re.compile(r"^\s*fehler\s*-?\s*anal[a-z]*", re.I | re.M)


@dataclass
class ImportResult:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def import_files(ws: Workspace, paths: list[Path]) -> ImportResult:
    """Import every file; a bad row or file is recorded and the rest goes on."""
    settings = settings_from(ws.config.analysis, ws.root)
    result = ImportResult()
    for path in paths:
        try:
            require_file(path)
            if path.suffix.lower() == ".docx":
                _import_docx(ws, path, settings, result)
            elif path.suffix.lower() in TABLE_SUFFIXES:
                _import_table(ws, path, settings, result)
            else:
                raise InputFileError(path, "not a CSV, Excel or Word (.docx) file")
        except InputFileError as exc:
            result.failures.append(exc.one_line())
    # an id or file name from a sheet may hold a line break: each message stays one line
    result.failures[:] = [shown(message) for message in result.failures]
    result.warnings[:] = [shown(message) for message in result.warnings]
    return result


def _import_table(ws: Workspace, path: Path, settings: Settings, result: ImportResult) -> None:
    table = read_table(path)
    result.warnings.extend(table.warnings)
    exam = IMPORT_EXAM_PREFIX + path.stem
    rows = zip(table.rows, table.row_numbers)
    for row, number in progress(rows, total=len(table.rows), description=f"importing {path.name}"):
        doc_id = row.get("document_id", "").strip()
        if doc_id and ws.documents.find(doc_id) is not None:
            _update(ws, doc_id, f"{path}:{number}", row, settings, result)
            continue
        if doc_id:
            result.warnings.append(f"{path}:{number}: no document {doc_id} in this workspace; imported as a new one")
        _store(ws, f"{exam}/{number:04d}", exam, path, number, row["prompt"], row["completion"], settings, result)


def _update(ws: Workspace, doc_id: str, where: str, row: dict[str, str], settings: Settings,
            result: ImportResult) -> None:
    """A row of an exported sheet: a new analysis revision of ``doc_id``, based on the row's."""
    revision = row.get("revision", "").strip()
    if not (revision.isascii() and revision.isdigit() and len(revision) <= MAX_REVISION_DIGITS):  # not "²"
        result.failures.append(f"{where}: {doc_id} has no revision number; export the sheet again and edit that one")
        return
    completion = row["completion"].strip()
    try:
        analysis = parse(completion, stop_marker=settings.stop_marker)
    except AnalysisParseError as exc:
        result.failures.append(f"{where}: the analysis cannot be read: {exc.message}")
        return
    shown = next((a for a in ws.revisions.analyses(doc_id) if a.id == int(revision)), None)
    if shown is not None and shown.text == canonical_text(analysis, settings):  # the row was not edited
        result.unchanged.append(doc_id)
        return
    audit = audit_text(completion, scale=settings.scale, rounding=settings.rounding,
                       stop_marker=settings.stop_marker, source=where)
    errors = [p for p in audit.problems if p.severity == "error"]
    if errors:
        result.failures.append(f"{where}: {doc_id} not updated, the analysis fails the audit: "
                               + "; ".join(f"{p.code}: {p.message}" for p in errors))
        return
    answer = answer_text(ws, ws.documents.get(doc_id))
    if answer is not None and row["prompt"].strip() != user_prompt(ws, ws.documents.get(doc_id), answer):
        result.warnings.append(f"{where}: the prompt differs from {doc_id}'s; prompts are not written back "
                               "(correct the page text in the review)")
    try:
        ws.revisions.add_analysis(doc_id, canonical_text(analysis, settings), sheet=analysis.model_dump(),
                                  source="import", base=int(revision))
    except RevisionConflict as exc:
        result.failures.append(f"{where}: {doc_id}'s analysis was saved since the export (now revision "
                               f"{exc.current_revision}, the sheet shows {revision}); this row was not stored")
        return
    result.imported.append(doc_id)


def _import_docx(ws: Workspace, path: Path, settings: Settings, result: ImportResult) -> None:
    try:
        import docx

        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError for bad files
        raise InputFileError(path, f"not a readable .docx file ({type(exc).__name__})",
                             advice="Open and save it again in a word processor.") from exc
    text = "\n".join(p.text for p in document.paragraphs)
    heading = HEADING.search(text)
    if heading is None:
        raise InputFileError(path, "no `Fehleranalyse` heading: cannot tell the answer from the analysis",
                             advice="Put the analysis under a line `Fehleranalyse:` after the student's answer.")
    exam = IMPORT_EXAM_PREFIX + (path.parent.name or "docx")
    _store(ws, f"{exam}/{path.stem}", exam, path, None, text[: heading.start()], text[heading.start():], settings, result)


def _store(
    ws: Workspace, doc_id: str, exam: str, path: Path, row: int | None,
    prompt: str, completion: str, settings: Settings, result: ImportResult,
) -> None:
    where = f"{path}:{row}" if row is not None else str(path)
    prompt, completion = prompt.strip(), completion.strip()
    if not prompt:
        result.failures.append(f"{where}: the prompt is empty")
        return
    if not completion:
        result.failures.append(f"{where}: the completion (the analysis) is empty")
        return
    try:
        analysis = parse(completion, stop_marker=settings.stop_marker)
    except AnalysisParseError as exc:
        result.failures.append(f"{where}: the analysis cannot be read: {exc.message}")
        return
    audit = audit_text(completion, student_text=prompt, scale=settings.scale, rounding=settings.rounding,
                       stop_marker=settings.stop_marker, source=str(path), record=row or 1)
    errors = [p for p in audit.problems if p.severity == "error"]
    if errors:
        text, sheet = completion, None
        result.warnings.append(f"{where}: imported as written, fix it in the review before it can train: "
                               + "; ".join(f"{p.code}: {p.message}" for p in errors))
    else:
        text, sheet = canonical_text(analysis, settings), analysis.model_dump()
    source = f"{path}#{row}" if row is not None else str(path)
    existing = ws.documents.find(doc_id)
    if existing is not None and existing.source != source:
        result.failures.append(f"{where}: the id {doc_id} already belongs to {existing.source}; "
                               "rename this file (ids come from file names) and import it again")
        return
    changed = False
    ws.documents.upsert(Document(id=doc_id, exam=exam, kind="student", source=source,
                                 source_hash=sha256_bytes(prompt.encode()), typed=True))
    page = ws.documents.set_page(doc_id, 1)
    latest = ws.revisions.latest_text(page.id)
    if latest is None or (latest.source == "import" and latest.text != prompt):
        ws.revisions.add_text(page.id, prompt, source="import", base=latest.id if latest else None)
        changed = True
    elif latest.text != prompt:
        result.warnings.append(f"{where}: {doc_id}'s text was corrected in the review; the import does not replace it")
    current = ws.revisions.latest_analysis(doc_id)
    if current is None or (current.source == "import" and current.text != text):
        ws.revisions.add_analysis(doc_id, text, sheet=sheet, source="import", base=current.id if current else None)
        changed = True
    elif current.text != text:
        result.warnings.append(f"{where}: {doc_id}'s analysis was changed by a person; the import does not replace it")
    (result.imported if changed else result.unchanged).append(doc_id)
