"""What intake found besides scans: teachers' analyses beside them, and files it skipped.

Both are shown by ``ocr status`` long after the scan, so they are remembered in the workspace
(``cache`` table, namespace ``ocr``). Analyses are handed to the attaching step the scan was
given (``ocr scan`` hands in the annotate stage's ``attach_sheet``, which parses and stores them
as imported revisions), so the OCR stage needs nothing of annotate; each sheet file is attached
once per content, so a rescan never duplicates an analysis.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from examkit.console import warn
from examkit.errors import ExamkitError
from examkit.files import sha256_file
from examkit.workspace import Workspace
from ocr.intake import Intake

NAMESPACE = "ocr"
KEY = "intake"

#: ``attach(ws, document_id, path, source="import")``: stores a teacher's analysis file with its
#: document, raising an ExamkitError for one it cannot read.
AttachSheet = Callable[..., object]


def record(ws: Workspace, found: Intake, attach: AttachSheet | None = None) -> list[dict]:
    """Remember skipped files and found sheets; attach new or changed sheets to their documents
    (``attach`` None: remembered, not attached)."""
    state = ws.runs.cache_get(NAMESPACE, KEY) or {"skipped": {}, "sheets": {}}
    for path, reason in found.skipped:  # a skipped link is kept as the link (it may lead nowhere or in a loop)
        state["skipped"][str(path.absolute())] = reason
    reports = []
    for sheet in found.sheets:
        key = str(sheet.path.resolve())
        digest = sha256_file(sheet.path)
        entry = state["sheets"].get(key, {})
        entry.update(document_id=sheet.document_id, kind=sheet.kind)
        if attach is not None and entry.get("attached") != digest and ws.documents.find(sheet.document_id):
            try:
                attach(ws, sheet.document_id, sheet.path, source="import")
                entry["attached"], entry["error"] = digest, None
            except ExamkitError as exc:
                entry["error"] = exc.one_line()
                warn(f"{sheet.path}: not attached: {exc.one_line()}")
        state["sheets"][key] = entry
        reports.append({"path": key, **entry})
    for bucket in ("skipped", "sheets"):
        state[bucket] = {p: v for p, v in state[bucket].items() if os.path.lexists(p)}
    ws.runs.cache_put(NAMESPACE, KEY, state)
    return reports


def found(ws: Workspace) -> dict:
    """``{"skipped": {path: reason}, "sheets": {path: {document_id, kind, attached, error}}}``."""
    return ws.runs.cache_get(NAMESPACE, KEY) or {"skipped": {}, "sheets": {}}
