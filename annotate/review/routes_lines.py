"""The line editor's JSON API: one line saved, added, split, joined, moved or deleted at a time.

Every change names the revision of the line it started from (``base``); a save on a line someone
else saved meanwhile is answered with 409 and that line's current state, so the page can show
both versions. Saves on different lines never meet: each line has revisions of its own
(:mod:`examkit.lines`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from annotate.review import views
from annotate.review.ids import PathId, RowId
from annotate.review.images import image_size
from annotate.review.state import ReviewState
from examkit.errors import RevisionConflict
from examkit.models import PageLine

router = APIRouter(prefix="/api")

#: Bounds on what one request may carry (an outline is a few dozen points; a line a few words).
MAX_POINTS = 2000
MAX_TEXT = 10_000

Points = list[tuple[int, int]]


class LineSave(BaseModel):
    base: RowId
    text: str | None = Field(None, max_length=MAX_TEXT)
    polygon: Points | None = Field(None, max_length=MAX_POINTS)
    layer: str | None = Field(None, pattern="^(student|teacher|margin)$")


class LineNew(BaseModel):
    """A new line: after line ``after`` or before ``before``; a drawn outline without either is
    placed by its position (:func:`reading_place`); neither: at the end."""

    text: str = Field("", max_length=MAX_TEXT)
    after: RowId | None = None
    before: RowId | None = None
    polygon: Points | None = Field(None, max_length=MAX_POINTS)


class Based(BaseModel):
    base: RowId


class Split(BaseModel):
    base: RowId
    at: int = Field(ge=0, le=MAX_TEXT)


class Merge(BaseModel):
    base: RowId
    other: RowId
    other_base: RowId


class Move(BaseModel):
    base: RowId
    after: RowId | None = None
    before: RowId | None = None


def _state(request: Request) -> ReviewState:
    return request.app.state.review


def _conflict(state: ReviewState, line_id: int) -> JSONResponse:
    line = state.reader.lines.get(line_id)
    detail = ("Diese Zeile wurde inzwischen gelöscht; laden Sie die Seite neu." if line.deleted
              else "Diese Zeile wurde inzwischen anderswo gespeichert.")
    return JSONResponse({"detail": detail, "current": views.line_json(line)}, status_code=409)


def _page_of(state: ReviewState, line_id: int) -> int:
    return state.reader.lines.get(line_id).page_id


def _answer(state: ReviewState, page_id: int, **extra: Any) -> dict[str, Any]:
    """Every change answers with the page's lines as they are now (order, ids, revisions)."""
    lines = state.reader.lines.current(page_id)
    return {"lines": [views.line_json(li) for li in lines], **extra}


@router.get("/pages/{page_id}/lines")
def lines(page_id: PathId, request: Request) -> dict[str, Any]:
    state = _state(request)
    state.reader.documents.page(page_id)
    return _answer(state, page_id)


@router.get("/lines/{line_id}/history")
def history(line_id: PathId, request: Request) -> dict[str, Any]:
    """Every revision of the line, newest first."""
    revisions = _state(request).reader.lines.history(line_id)
    return {"history": [views.line_json(li) | {"deleted": li.deleted} for li in reversed(revisions)]}


@router.post("/lines/{line_id}")
def save(line_id: PathId, body: LineSave, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            line = ws.lines.save(line_id, base=body.base, text=_one_line(body.text), polygon=body.polygon,
                                 layer=body.layer, author=state.author)  # type: ignore[arg-type]
    except RevisionConflict:
        return _conflict(state, line_id)
    return {"line": views.line_json(line)}


@router.post("/pages/{page_id}/lines")
def insert(page_id: PathId, body: LineNew, request: Request) -> dict[str, Any]:
    state = _state(request)
    after, before = body.after, body.before
    with state.writer() as ws:
        ws.documents.page(page_id)
        if body.polygon and after is None and before is None:
            after, before = reading_place(ws.lines.current(page_id), body.polygon)
        line = ws.lines.insert(page_id, _one_line(body.text) or "", after=after, before=before,
                               polygon=body.polygon, author=state.author)
    return _answer(state, page_id, line=views.line_json(line))


@router.post("/lines/{line_id}/delete")
def delete(line_id: PathId, body: Based, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            ws.lines.delete(line_id, base=body.base, author=state.author)
    except RevisionConflict:
        return _conflict(state, line_id)
    return _answer(state, _page_of(state, line_id))


@router.post("/lines/{line_id}/split")
def split(line_id: PathId, body: Split, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            first, second = ws.lines.split(line_id, body.at, base=body.base, author=state.author)
    except RevisionConflict:
        return _conflict(state, line_id)
    return _answer(state, first.page_id, line=views.line_json(second))


@router.post("/lines/{line_id}/merge")
def merge(line_id: PathId, body: Merge, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            line = ws.lines.merge(line_id, body.other, base=body.base, other_base=body.other_base, author=state.author)
    except RevisionConflict as exc:
        failed = body.other if exc.current_revision == state.reader.lines.get(body.other).revision else line_id
        return _conflict(state, failed)
    return _answer(state, line.page_id, line=views.line_json(line))


@router.post("/lines/{line_id}/reread")
def reread(line_id: PathId, body: Based, request: Request) -> Any:
    """The line read again by the engine from its (changed) outline; the person checks the result."""
    state = _state(request)
    if state.line_reader is None:
        return JSONResponse({"detail": "Neu lesen ist hier nicht möglich: diese examkit-Sitzung hat keine "
                                       "Texterkennung geladen."}, status_code=422)
    line = state.reader.lines.get(line_id)
    width, height = image_size(state.root, state.reader.documents.page(line.page_id))
    if line.bbox and (min(line.bbox) < 0 or line.bbox[2] >= max(width, 1) or line.bbox[3] >= max(height, 1)):
        # only in workspaces from before outlines were clipped to the page (examkit.lines)
        return JSONResponse({"detail": "Der Umriss dieser Zeile reicht über das Seitenbild hinaus; zeichnen Sie "
                                       "ihn bitte neu, dann lesen Sie die Zeile neu."}, status_code=422)
    reading, engine = state.line_reader(state.reader, line)
    try:
        with state.writer() as ws:
            stored = ws.lines.store_reading(line_id, reading, base=body.base, engine=engine)
    except RevisionConflict:
        return _conflict(state, line_id)
    return {"line": views.line_json(stored)}


@router.post("/lines/{line_id}/move")
def move(line_id: PathId, body: Move, request: Request) -> Any:
    state = _state(request)
    try:
        with state.writer() as ws:
            line = ws.lines.move(line_id, base=body.base, after=body.after, before=body.before, author=state.author)
    except RevisionConflict:
        return _conflict(state, line_id)
    return _answer(state, line.page_id, line=views.line_json(line))


def reading_place(lines: list[PageLine], polygon: Points) -> tuple[int | None, int | None]:
    """Where a line drawn on the page image goes in reading order, as ``(after, before)``: after
    the nearest line above it (of the lines whose middle lies above the drawn box's middle, the
    lowest); with none above, before the first line that has an outline; on a page without
    outlines, at the end. Lines without an outline (typed ones) are not looked at, so a drawn
    line goes right under the line it was drawn under."""
    ys = [y for _, y in polygon]
    middle = (min(ys) + max(ys)) / 2
    placed = [(li, (li.bbox[1] + li.bbox[3]) / 2) for li in lines if li.bbox and li.bbox[3] > li.bbox[1]]
    above = [(mid, li.id) for li, mid in placed if mid < middle]
    if above:
        return max(above)[1], None
    return None, (placed[0][0].id if placed else None)


def _one_line(text: str | None) -> str | None:
    """A line's text never holds a line break (pasted text is joined by spaces)."""
    return " ".join(text.replace("\r", "\n").split("\n")) if text is not None else None
