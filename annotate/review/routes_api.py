"""The JSON API the page's scripts call. Reads use this thread's connection, saves the writer.

A stale save is answered with 409 and the newer revision itself (who, when, text), so the page
can show it and let the teacher reload or keep both.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from annotate.model import SheetError
from annotate.review import actions, views
from annotate.review.german import sheet_problems
from annotate.review.ids import PathId, RowId
from annotate.review.state import ReviewState
from examkit.errors import RevisionConflict

router = APIRouter(prefix="/api")


def _state(request: Request) -> ReviewState:
    return request.app.state.review


class TextSave(BaseModel):
    text: str
    base: RowId | None = Field(description="the revision the editor started from; null: the OCR text")


class Revert(BaseModel):
    revision: RowId | None = Field(description="the revision to restore; null: the OCR reading")
    base: RowId | None


class Reviewed(BaseModel):
    reviewed: bool = True


class SheetBody(BaseModel):
    document_id: str
    sheet: dict[str, Any]
    base: RowId | None = None


class ExamSheet(BaseModel):
    exam: str
    sheet: dict[str, Any]


def _refused(exc: SheetError, sheet: dict[str, Any]) -> JSONResponse:
    """422 naming every refused field in the teacher's words (the page marks them by ``path``)."""
    errors = sheet_problems(exc.problems, sheet)
    return JSONResponse({"detail": "; ".join(e["message"] for e in errors), "errors": errors}, status_code=422)


def _text_conflict(state: ReviewState, page_id: int) -> JSONResponse:
    latest = state.reader.revisions.latest_text(page_id)
    return JSONResponse({"detail": "Diese Seite wurde inzwischen anderswo gespeichert.",
                         "current": views.revision_json(latest) if latest else None}, status_code=409)


@router.get("/pages/{page_id}")
def page(page_id: PathId, request: Request) -> dict[str, Any]:
    ws = _state(request).reader
    return views.page_view(ws, ws.documents.page(page_id))


@router.post("/pages/{page_id}/text")
def save_text(page_id: PathId, body: TextSave, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            revision = actions.save_text(ws, page_id, body.text, body.base, author=state.author)
    except RevisionConflict:
        return _text_conflict(state, page_id)
    return {"revision": views.revision_json(revision)}


@router.post("/pages/{page_id}/notes/{ordinal}")
def correct_note(page_id: int, ordinal: int, body: TextSave, request: Request) -> Any:
    """A red margin note read anew by the teacher (ordinal: its place among the page's notes)."""
    state = _state(request)
    try:
        with state.writer() as ws:
            revision = actions.correct_note(ws, page_id, ordinal, body.text, body.base, author=state.author)
    except RevisionConflict:
        return JSONResponse({"detail": "Die Randnotizen dieser Seite wurden inzwischen anderswo gespeichert."},
                            status_code=409)
    return {"revision": views.revision_json(revision)}


@router.post("/pages/{page_id}/revert")
def revert(page_id: PathId, body: Revert, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            revision = actions.revert_text(ws, page_id, body.revision, body.base, author=state.author)
    except RevisionConflict:
        return _text_conflict(state, page_id)
    return {"revision": views.revision_json(revision)}


@router.post("/pages/{page_id}/reviewed")
def reviewed(page_id: PathId, body: Reviewed, request: Request) -> dict[str, Any]:
    state = _state(request)
    with state.writer() as ws:
        actions.set_reviewed(ws, page_id, body.reviewed, author=state.author)
    return {"reviewed": body.reviewed}


@router.get("/analysis/{document_id:path}")
def analysis(document_id: str, request: Request) -> dict[str, Any]:
    state = _state(request)
    return views.analysis_view(state.reader, state.settings, document_id)


@router.post("/preview")
def preview(body: SheetBody, request: Request) -> dict[str, Any]:
    state = _state(request)
    ws = state.reader
    ws.documents.get(body.document_id)
    return actions.preview(state.settings, body.sheet, ws.revisions.document_text(body.document_id),
                           views.on_paper(views.red_ink(ws, body.document_id)))


@router.post("/analysis")
def save_analysis(body: SheetBody, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            revision = actions.save_analysis(ws, state.settings, body.document_id, body.sheet, body.base,
                                             author=state.author)
    except SheetError as exc:
        return _refused(exc, body.sheet)
    except RevisionConflict:
        newest = state.reader.revisions.latest_analysis(body.document_id, include_drafts=True)
        current = ({"id": newest.id, "author": newest.author, "when": views.when(newest.created_at),
                    "text": newest.text, "draft": newest.is_draft} if newest else None)
        return JSONResponse({"detail": "Diese Fehleranalyse wurde inzwischen anderswo gespeichert.",
                             "current": current}, status_code=409)
    return {"revision": {"id": revision.id, "author": revision.author, "when": views.when(revision.created_at),
                         "text": revision.text}}


@router.post("/exam-sheet")
def exam_sheet(body: ExamSheet, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            stored = actions.save_exam_sheet(ws, body.exam, body.sheet, author=state.author)
    except SheetError as exc:
        return _refused(exc, body.sheet)
    return {"sheet": stored}
