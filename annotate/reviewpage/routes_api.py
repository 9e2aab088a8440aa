"""JSON endpoints the page's JavaScript calls. Only ids travel in URLs, never file paths."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel

from annotate.reviewpage import analysis, images, views
from annotate.reviewpage.app import ReviewContext
from examkit.errors import NotFoundError, RevisionConflict

router = APIRouter()


def _ctx(request: Request) -> ReviewContext:
    return request.app.state.ctx


class TextSave(BaseModel):
    text: str
    base: int | None = None


class Restore(BaseModel):
    revision: int
    base: int | None = None


class Reviewed(BaseModel):
    reviewed: bool = True


class SheetBody(BaseModel):
    sheet: dict[str, Any]
    base: int | None = None


class ExamSheet(BaseModel):
    exam: str
    sheet: dict[str, Any]


def _save_text(ctx: ReviewContext, page_id: int, text: str, base: int | None) -> dict[str, Any]:
    ws = ctx.ws
    ws.documents.page(page_id)  # 404 before anything is written
    try:
        revision = ws.revisions.add_text(page_id, text, base=base)
    except RevisionConflict as exc:
        latest = ws.revisions.latest_text(page_id)
        exc.review_extra = {"current_text": latest.text if latest else "",  # type: ignore[attr-defined]
                            "current_author": latest.author if latest else ""}
        raise
    return {"revision": revision.id, "history": views.history(ws, page_id)}


@router.get("/api/pages/{page_id}")
def get_page(page_id: int, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        return views.page_view(ctx.ws, page_id)


@router.post("/api/pages/{page_id}/text")
def save_text(page_id: int, body: TextSave, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        return _save_text(ctx, page_id, body.text, body.base)


@router.post("/api/pages/{page_id}/restore")
def restore(page_id: int, body: Restore, request: Request) -> dict[str, Any]:
    """Restoring is a new revision with the old text: nothing in between is lost."""
    ctx = _ctx(request)
    with ctx.lock:
        old = next((r for r in ctx.ws.revisions.texts(page_id) if r.id == body.revision), None)
        if old is None:
            raise NotFoundError(f"no revision {body.revision} of page {page_id}")
        return _save_text(ctx, page_id, old.text, body.base)


@router.post("/api/pages/{page_id}/reviewed")
def mark_reviewed(page_id: int, body: Reviewed, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        ctx.ws.documents.page(page_id)
        ctx.ws.revisions.mark_reviewed(page_id, body.reviewed)
        return {"reviewed": ctx.ws.revisions.is_reviewed(page_id)}


@router.get("/img/pages/{page_id}.jpg")
def page_image(page_id: int, request: Request) -> FileResponse:
    ctx = _ctx(request)
    with ctx.lock:
        page = ctx.ws.documents.page(page_id)
    path = images.thumbnail(ctx.ws.root, page)
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/img/pages/{page_id}/lines/{index}.png")
def line_image(page_id: int, index: int, request: Request) -> Response:
    ctx = _ctx(request)
    with ctx.lock:
        page = ctx.ws.documents.page(page_id)
        reading = ctx.ws.documents.latest_ocr(page_id)
    if reading is None or not 0 <= index < len(reading.lines):
        raise NotFoundError(f"no line {index + 1} on page {page_id}")
    width = reading.width or page.width
    data = images.line_crop(ctx.ws.root, page, reading.lines[index].bbox, width)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/api/documents/{document_id:path}/analysis")
def get_analysis(document_id: str, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        return views.analysis_view(ctx.ws, document_id)


@router.post("/api/documents/{document_id:path}/analysis/preview")
def preview(document_id: str, body: SheetBody, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        return analysis.preview(ctx.ws, document_id, body.sheet)


@router.post("/api/documents/{document_id:path}/analysis")
def save_analysis(document_id: str, body: SheetBody, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        revision = analysis.save(ctx.ws, document_id, body.sheet, body.base)
        return {"revision": revision.id, "text": revision.text}


@router.post("/api/exam-sheet")
def set_exam_sheet(body: ExamSheet, request: Request) -> dict[str, Any]:
    ctx = _ctx(request)
    with ctx.lock:
        return {"sheet": analysis.set_exam_tasks(ctx.ws, body.exam, body.sheet)}
