"""The editor round trip: page texts and analyses as files, and changed files back as revisions.

``review export DIR`` writes ``<doc-id>/page-NNN.txt`` per page and ``<doc-id>/analysis.yaml``
per student (from the newest analysis, else the exam's tasks), plus a hidden manifest naming the
revision each file was based on and a hash of what was written. ``review import DIR`` stores
only files whose content changed, each as a new revision based on the manifest's revision: if
the workspace moved on meanwhile, that file is a conflict (reported, not stored) and the batch
goes on. Stored files update the manifest, so edit-import cycles can repeat. Document ids become
folder names by :class:`examkit.files.FileNames` (``müller-anna`` → ``mueller-anna``, unique), and
the manifest maps every file back to its page or document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from annotate.model import Analysis, sheet_data
from annotate.review.manifest import MANIFEST, PageEntry, entry, read_manifest
from annotate.review.views import skeleton
from annotate.sheets import canonical_text, load_sheet, settings_from
from examkit.errors import ExamkitError, RevisionConflict, UserInputError
from examkit.files import FileNames, atomic_write_text
from examkit.workspace import Workspace

#: The most a page file may hold: a written page is a few thousand characters and some dozen lines;
#: more is a wrong file (10 MB took half a minute to store as lines, and every view after it).
MAX_PAGE_CHARS = 100_000
MAX_PAGE_LINES = 2_000
DRAFT_LINE = "# ENTWURF (maschinell) – prüfen; zum Übernehmen ohne Änderung diese Zeile löschen, dann importieren.\n"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _normalize(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class ExportResult:
    folder: Path
    files: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    stored: list[tuple[str, int]] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


def _too_long(text: str) -> str | None:
    """Why ``text`` cannot be one page (over :data:`MAX_PAGE_CHARS` or :data:`MAX_PAGE_LINES`), or None."""
    lines = text.count("\n")
    if len(text) <= MAX_PAGE_CHARS and lines <= MAX_PAGE_LINES:
        return None
    return (f"too long for one page ({len(text):,} characters, {lines:,} lines; at most {MAX_PAGE_CHARS:,} "
            f"characters and {MAX_PAGE_LINES:,} lines): was the right file saved here?")


def _inside(folder: Path, relative: str) -> Path:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise UserInputError(f"{relative}: leads out of {folder}")
    return path


def _unimported(folder: Path) -> list[str]:
    """Files of an earlier export that were edited but not imported yet."""
    manifest = read_manifest(folder / MANIFEST)
    changed = []
    for name, raw in manifest["files"].items():
        path = folder / name
        written = raw.get("written") if isinstance(raw, dict) else None
        if path.is_file() and _digest(_normalize(path.read_text("utf-8-sig"))) != written:
            changed.append(name)
    return changed


def export_folder(ws: Workspace, folder: Path) -> ExportResult:
    """Write every page text and analysis of the workspace into ``folder`` (see module doc)."""
    folder = Path(folder)
    if (folder / MANIFEST).is_file():
        pending = _unimported(folder)
        if pending:
            raise UserInputError(f"{folder}: {len(pending)} edited files are not imported yet ({', '.join(pending[:3])})",
                                 advice=f"Run `examkit review import {folder}` first, or export to a new folder.")
    elif folder.exists() and any(folder.iterdir()):
        raise UserInputError(f"{folder}: the folder is not empty", advice="Export into a new or empty folder.")
    result = ExportResult(folder)
    files: dict[str, dict[str, Any]] = {}
    names = FileNames(sep="/")  # ``müller-anna`` → ``mueller-anna/``, unique: no folder serves two documents
    for doc in ws.documents.list():
        stem = names.name(doc.id)
        for page in ws.documents.pages(doc.id):
            latest = ws.revisions.latest_text(page.id)
            text = latest.text if latest else ws.revisions.page_text(page.id, source="ocr")
            if text is None:
                continue
            name = f"{stem}/page-{page.number:03d}.txt"
            written = text if text.endswith("\n") else text + "\n"
            atomic_write_text(names.claim(_inside(folder, name)), written)
            files[name] = {"kind": "page", "page_id": page.id, "base": latest.id if latest else None,
                           "written": _digest(written), "final_newline": text.endswith("\n")}
            result.files.append(name)
        if doc.kind == "student":
            name = f"{stem}/analysis.yaml"
            entry = _export_analysis(ws, names.claim(_inside(folder, name)), doc.id, doc.exam)
            if entry:
                files[name] = entry
                result.files.append(name)
    atomic_write_text(folder / MANIFEST, json.dumps({"workspace": str(ws.root), "files": files}, indent=1))
    return result


def _export_analysis(ws: Workspace, path: Path, document_id: str, exam: str) -> dict[str, Any] | None:
    newest = ws.revisions.latest_analysis(document_id, include_drafts=True)
    header = f"# Fehleranalyse {document_id}. Punkte, Prozent und Note werden berechnet (Schema: examkit annotate schema).\n"
    data = None
    if newest is not None and newest.sheet:
        data = sheet_data(Analysis.model_validate(newest.sheet, context={"lenient": True}))
        if newest.is_draft:
            header += DRAFT_LINE
    elif newest is None and exam and (sheet := ws.revisions.exam_sheet(exam)):
        data = sheet_data(Analysis.model_validate(skeleton(sheet), context={"lenient": True}))
    if data is None:
        return None
    written = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    atomic_write_text(path, written)
    return {"kind": "analysis", "document_id": document_id, "base": newest.id if newest else None,
            "written": _digest(written)}


def import_folder(ws: Workspace, folder: Path) -> ImportResult:
    """Store the files of an export that changed since, as new revisions; conflicts per file."""
    folder = Path(folder)
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise UserInputError(f"{folder}: no {MANIFEST} here, so this is not a folder from `examkit review export`",
                             advice="Export first: examkit review export DIR")
    manifest = read_manifest(manifest_path)
    settings = settings_from(ws.config.analysis, ws.root)
    result = ImportResult()
    try:
        for name, raw in manifest["files"].items():
            try:
                path, known = _inside(folder, name), entry(raw)
            except UserInputError as exc:
                result.failed.append((name, exc.one_line()))
                continue
            if not path.is_file():
                continue
            try:
                content = _normalize(path.read_text("utf-8-sig"))
            except UnicodeDecodeError:
                result.failed.append((name, "not UTF-8 text; save it as UTF-8 in your editor and import again"))
                continue
            except OSError as exc:
                result.failed.append((name, f"cannot read ({exc.strerror})"))
                continue
            if _digest(content) == known.written:
                result.unchanged += 1
                continue
            if isinstance(known, PageEntry) and (too_long := _too_long(content)):
                result.failed.append((name, too_long))
                continue
            try:
                if isinstance(known, PageEntry):
                    ws.documents.page(known.page_id)  # NotFoundError for a page that is gone
                    text = content if known.final_newline or not content.endswith("\n") else content[:-1]
                    revision_id = ws.revisions.add_text(known.page_id, text, source="import", base=known.base).id
                else:
                    ws.documents.get(known.document_id)
                    analysis = load_sheet(path, stop_marker=settings.stop_marker)
                    revision_id = ws.revisions.add_analysis(known.document_id, canonical_text(analysis, settings),
                                                            sheet=analysis.model_dump(), source="teacher",
                                                            base=known.base).id
            except RevisionConflict as exc:
                result.failed.append((name, f"changed in the workspace since the export (now revision "
                                            f"{exc.current_revision}); your file was not stored"))
                continue
            except ExamkitError as exc:
                result.failed.append((name, exc.one_line()))
                continue
            raw.update(base=revision_id, written=_digest(content))
            result.stored.append((name, revision_id))
    finally:  # what was stored is recorded even if the batch stops part-way
        atomic_write_text(manifest_path, json.dumps(manifest, indent=1))
    return result
