"""The HTML views: overview, page, line editor, analysis, and the page images they show.

Templates are Jinja2 with autoescaping; the data a script needs travels as JSON in a
``<script type="application/json">`` block (``tojson`` escapes ``<``, ``>`` and ``&``), and the
scripts only ever set ``textContent``, so text from OCR or a teacher is shown, never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from annotate.review import german, views
from annotate.review.ids import PathId
from annotate.review.images import served_image
from annotate.review.state import ReviewState
from examkit.errors import NotFoundError

router = APIRouter()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["doc_url"] = lambda doc_id: quote(doc_id, safe="/")
templates.env.filters["number"] = german.number
templates.env.globals["plural"] = german.plural


def _state(request: Request) -> ReviewState:
    return request.app.state.review


def _page(request: Request, template: str, **context) -> HTMLResponse:
    context.setdefault("author", _state(request).author)
    return templates.TemplateResponse(request, template, context)


def _missing(request: Request, exc: NotFoundError) -> HTMLResponse:
    response = _page(request, "missing.html", technical=exc.message, title="Nicht gefunden")
    response.status_code = 404
    return response


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    state = _state(request)
    return _page(request, "overview.html", view=views.overview(state.reader, state.settings), title="Übersicht")


@router.get("/page/{page_id}", response_class=HTMLResponse)
def page(page_id: PathId, request: Request) -> HTMLResponse:
    return _page_view(request, page_id, "page.html")


@router.get("/lines/{page_id}", response_class=HTMLResponse)
def lines(page_id: PathId, request: Request) -> HTMLResponse:
    return _page_view(request, page_id, "lines.html")


def _page_view(request: Request, page_id: int, template: str) -> HTMLResponse:
    ws = _state(request).reader
    try:
        view = views.page_view(ws, ws.documents.page(page_id))
    except NotFoundError as exc:
        return _missing(request, exc)
    title = f"{view['document']['name']} – Seite {view['page']['number']}"
    return _page(request, template, view=view, title=title)


@router.get("/analysis/{document_id:path}", response_class=HTMLResponse)
def analysis(document_id: str, request: Request) -> HTMLResponse:
    state = _state(request)
    try:
        view = views.analysis_view(state.reader, state.settings, document_id)
    except NotFoundError as exc:
        return _missing(request, exc)
    return _page(request, "analysis.html", view=view, title=f"{view['document']['name']} – Fehleranalyse")


@router.get("/document/{document_id:path}")
def document(document_id: str, request: Request) -> Response:
    ws = _state(request).reader
    try:
        ws.documents.get(document_id)
    except NotFoundError as exc:
        return _missing(request, exc)
    pages = ws.documents.pages(document_id)
    target = f"/page/{pages[0].id}" if pages else f"/analysis/{quote(document_id, safe='/')}"
    return RedirectResponse(request.scope.get("root_path", "") + target, status_code=303)


@router.get("/img/page/{page_id}.jpg")
def page_image(page_id: PathId, request: Request, v: Literal["image", "original", "student"] = "image") -> Response:
    state = _state(request)
    try:
        path = served_image(state.root, state.cache_dir, state.reader.documents.page(page_id), v)
    except NotFoundError:
        return Response("Kein Bild für diese Seite.", status_code=404, media_type="text/plain; charset=utf-8")
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=300"})
