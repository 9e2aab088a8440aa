"""What the review page changes: page texts, review marks, analyses, an exam's tasks.

Each save is a new revision through :mod:`examkit.revisions` (nothing is overwritten); a save
based on a stale revision raises :class:`RevisionConflict`, which the API answers with 409 and
the newer revision, so the page can offer to reload or keep both. The preview renders what the
editor holds, with the same renderer and audit as ``annotate render`` and ``annotate check``.
"""

from __future__ import annotations

from typing import Any

from annotate.audit import audit_text
from annotate.model import Analysis, SheetError, Task, analysis_from_data, task_points
from annotate.parse import Stated
from annotate.redink import note_lines
from annotate.review.german import audit_problems, sheet_problems
from annotate.sheets import Settings, canonical_text
from examkit.errors import NotFoundError
from examkit.models import AnalysisRevision, TextRevision
from examkit.workspace import Workspace


def save_text(ws: Workspace, page_id: int, text: str, base: int | None, *, author: str) -> TextRevision:
    ws.documents.page(page_id)  # NotFoundError for a page that vanished
    return ws.revisions.add_text(page_id, _newlines(text), source="review", author=author, base=base)


def correct_note(ws: Workspace, page_id: int, ordinal: int, text: str, base: int | None, *,
                 author: str) -> TextRevision:
    """A red note read anew by the teacher: the page's teacher text (one line per note) with that
    note's line replaced, as a new revision of the teacher layer (the reading stays as it was)."""
    reading = ws.documents.latest_ocr(ws.documents.page(page_id).id)
    if reading is None:
        raise NotFoundError(f"page {page_id} has no OCR reading")
    try:
        lines = note_lines(reading, ws.revisions.latest_text(page_id, "teacher"), ordinal, text)
    except IndexError:
        raise NotFoundError(f"page {page_id} has no note {ordinal + 1}") from None
    return ws.revisions.add_text(page_id, lines, layer="teacher", source="review", author=author, base=base)


def revert_text(ws: Workspace, page_id: int, revision_id: int | None, base: int | None, *,
                author: str) -> TextRevision:
    """Restore an earlier revision (``None``: the OCR reading) as a new revision on top."""
    ws.documents.page(page_id)
    if revision_id is None:
        reading = ws.documents.latest_ocr(page_id)
        if reading is None:
            raise NotFoundError(f"page {page_id} has no OCR reading")
        text = reading.text
    else:
        old = next((r for r in ws.revisions.texts(page_id) if r.id == revision_id), None)
        if old is None:
            raise NotFoundError(f"page {page_id} has no revision {revision_id}")
        text = old.text
    return ws.revisions.add_text(page_id, text, source="review", author=author, base=base)


def set_reviewed(ws: Workspace, page_id: int, reviewed: bool, *, author: str) -> None:
    ws.documents.page(page_id)
    ws.revisions.mark_reviewed(page_id, reviewed, author=author)


def clean_sheet(data: Any) -> Any:
    """The editor's sheet tidied: empty quotes dropped, text trimmed (so ``""`` is never quoted)."""
    if isinstance(data, dict):
        tidy = {k: clean_sheet(v) for k, v in data.items()}
        for key in ("quote", "title"):
            if key in tidy and isinstance(tidy[key], str):
                tidy[key] = tidy[key].strip() or None
        for key in ("comment", "label"):
            if isinstance(tidy.get(key), str):
                tidy[key] = tidy[key].strip()
        return tidy
    if isinstance(data, list):
        return [clean_sheet(v) for v in data]
    return data


def analysis_of(sheet: Any) -> Analysis:
    """The editor's sheet, strictly validated (raises :class:`SheetError` naming the fields)."""
    return analysis_from_data(clean_sheet(sheet))


def preview(settings: Settings, sheet: Any, student_text: str | None, on_paper: Stated | None = None) -> dict[str, Any]:
    """The canonical text, totals and audit messages of what the editor holds (never raises on
    bad input: the refused fields are answered instead, in German, with their paths); ``on_paper``:
    the total and grade the teacher wrote in red on the scan, checked against it."""
    try:
        analysis = analysis_of(sheet)
    except SheetError as exc:
        return {"ok": False, "errors": sheet_problems(exc.problems, sheet), "points": _countable_points(sheet)}
    text = canonical_text(analysis, settings)
    totals = analysis.totals(settings.scale, settings.rounding)
    record = audit_text(text, student_text=student_text, scale=settings.scale, rounding=settings.rounding,
                        stop_marker=settings.stop_marker, on_paper=on_paper)
    return {"ok": True, "text": text,
            "totals": {"points": totals.points, "max": totals.max, "percent": totals.percent, "grade": totals.grade},
            "problems": audit_problems(record.problems), "stop_marker": settings.stop_marker or None,
            "points": points_by_path(analysis.tasks)}


def points_by_path(tasks: list[Task], path: tuple[int | str, ...] = ()) -> list[dict[str, Any]]:
    """Each task's points (:func:`annotate.model.task_points`), keyed by its field path such as
    ``["tasks", 1, "tasks", 0]``: the page shows these instead of counting for itself."""
    return [entry for index, task in enumerate(tasks) for entry in _points_of(task, (*path, "tasks", index))]


def _points_of(task: Task, path: tuple[int | str, ...]) -> list[dict[str, Any]]:
    return [{"path": list(path), "points": task_points(task)}, *points_by_path(task.tasks, path)]


def _countable_points(sheet: Any) -> list[dict[str, Any]]:
    """While the sheet is refused, the points of each top-level task that is valid on its own:
    a bad number counts nowhere, but it does not hide the other tasks' points."""
    tasks = sheet.get("tasks") if isinstance(sheet, dict) else None
    out: list[dict[str, Any]] = []
    for index, task in enumerate(tasks if isinstance(tasks, list) else []):
        try:
            alone = analysis_of({"tasks": [task]})
        except SheetError:
            continue
        out.extend(_points_of(alone.tasks[0], ("tasks", index)))
    return out


def save_analysis(ws: Workspace, settings: Settings, document_id: str, sheet: Any, base: int | None, *,
                  author: str) -> AnalysisRevision:
    ws.documents.get(document_id)
    analysis = analysis_of(sheet)
    return ws.revisions.add_analysis(document_id, canonical_text(analysis, settings), sheet=analysis.model_dump(),
                                     source="teacher", author=author, base=base)


def save_exam_sheet(ws: Workspace, exam: str, sheet: Any, *, author: str) -> dict[str, Any]:
    """Keep an exam's tasks and maxima (no errors, no points) for every student's analysis."""
    if not exam or exam not in ws.documents.exams():
        raise NotFoundError(f"no exam {exam!r} in this workspace")
    analysis = analysis_of(sheet)

    def bare(task: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"label": task["label"], "max": task["max"]}
        if task.get("tasks"):
            out["tasks"] = [bare(t) for t in task["tasks"]]
        return out

    data = analysis.model_dump()
    stored: dict[str, Any] = {"tasks": [bare(t) for t in data["tasks"]]}
    if data.get("title"):
        stored["title"] = data["title"]
    if data.get("extras"):
        stored["extras"] = [{"label": e["label"], "points": e["max"], "max": e["max"]} for e in data["extras"]]
    ws.revisions.set_exam_sheet(exam, stored, author=author)
    return stored


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
