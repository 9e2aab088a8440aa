"""The editor round trip: page texts and analyses as files, the changed ones back as revisions.

``export_review(ws, folder)`` writes ``<doc-id>/page-NNN.txt`` (the best text of each page) and
``<doc-id>/analysis.yaml`` (the newest analysis's sheet, else the exam's tasks as a template),
plus ``.examkit-review.json`` recording, per file, the revision it was based on and the hash of
what was written. ``import_review`` stores each changed file as a new revision with that base, so
a page saved in the web page meanwhile is reported as a conflict instead of being overwritten;
the batch goes on past conflicts and bad files and reports them at the end.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from annotate.model import analysis_from_data, sheet_data
from annotate.reviewpage.analysis import analysis_settings, start_sheet
from annotate.sheets import canonical_text
from examkit.errors import ExamkitError, InputFileError, RevisionConflict, UserInputError
from examkit.files import atomic_write_text, sha256_bytes
from examkit.workspace import Workspace

MANIFEST = ".examkit-review.json"


@dataclass
class ImportReport:
    stored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)


def _hash(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def export_review(ws: Workspace, folder: Path) -> dict[str, Any]:
    """Write every document's page texts and analysis under ``folder``; returns the manifest."""
    files: dict[str, dict[str, Any]] = {}
    for doc in ws.documents.list():
        for page in ws.documents.pages(doc.id):
            latest = ws.revisions.latest_text(page.id)
            text = ws.revisions.page_text(page.id) or ""
            content = text if text.endswith("\n") or not text else text + "\n"
            rel = f"{doc.id}/page-{page.number:03d}.txt"
            atomic_write_text(folder / rel, content)
            files[rel] = {"kind": "page", "page_id": page.id, "document_id": doc.id,
                          "base": latest.id if latest else None, "sha256": _hash(content)}
        if doc.kind != "student":
            continue
        rows = ws.revisions.analyses(doc.id)
        latest_row = rows[-1] if rows else None
        sheet, origin = start_sheet(ws, doc.exam, latest_row)
        content = yaml.safe_dump(_tidy(sheet), allow_unicode=True, sort_keys=False, width=100)
        rel = f"{doc.id}/analysis.yaml"
        atomic_write_text(folder / rel, content)
        files[rel] = {"kind": "analysis", "document_id": doc.id, "origin": origin,
                      "base": latest_row.id if latest_row else None, "sha256": _hash(content)}
    manifest = {"workspace": str(ws.root), "files": files}
    atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _tidy(sheet: dict[str, Any]) -> dict[str, Any]:
    """A sheet as a person reads it: defaults left out, whole numbers as ints."""
    try:
        return sheet_data(analysis_from_data(sheet))
    except ExamkitError:
        return sheet


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(path, "missing: this folder was not written by `examkit review export`",
                             advice="Run `examkit review export DIR` first, edit the files, then import.") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None


def import_review(ws: Workspace, folder: Path) -> ImportReport:
    """Store the files changed since the export as new revisions (base = the exported revision)."""
    manifest = read_manifest(folder)
    report = ImportReport()
    for rel, entry in manifest.get("files", {}).items():
        path = folder / rel
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            report.failed.append((rel, "the file is missing"))
            continue
        except UnicodeDecodeError:
            report.failed.append((rel, "not UTF-8 text; save it as UTF-8"))
            continue
        if _hash(content) == entry["sha256"]:
            report.unchanged.append(rel)
            continue
        try:
            if entry["kind"] == "page":
                text = content[:-1] if content.endswith("\n") else content
                ws.documents.page(entry["page_id"])  # a vanished page: NotFoundError, not a DB error
                revision = ws.revisions.add_text(entry["page_id"], text, base=entry["base"])
            else:
                revision = _import_analysis(ws, entry["document_id"], path, content, entry["base"])
        except RevisionConflict as exc:
            report.failed.append((rel, f"saved elsewhere meanwhile (revision {exc.current_revision}); "
                                       "export again and redo the change"))
            continue
        except ExamkitError as exc:
            report.failed.append((rel, exc.one_line()))
            continue
        entry["base"], entry["sha256"] = revision.id, _hash(content)
        report.stored.append(rel)
    if report.stored:
        atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return report


def _import_analysis(ws: Workspace, document_id: str, path: Path, content: str, base: int | None):
    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputFileError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                             line=mark.line + 1 if mark else None) from None
    try:
        analysis = analysis_from_data(data)
    except UserInputError as exc:
        raise InputFileError(path, exc.message, advice="See `examkit annotate schema`.") from None
    text = canonical_text(analysis, analysis_settings(ws))
    return ws.revisions.add_analysis(document_id, text, sheet=analysis.model_dump(), source="teacher", base=base)
