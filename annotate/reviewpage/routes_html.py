"""The HTML views. Templates are autoescaped; data for the scripts travels as JSON in a
``<script type="application/json">`` block (Jinja2's ``tojson`` escapes ``<``, ``>`` and ``&``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from annotate.reviewpage import views
from annotate.reviewpage.app import ReviewContext
from examkit.errors import NotFoundError

router = APIRouter()


def _render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def _ctx(request: Request) -> ReviewContext:
    return request.app.state.ctx


def not_found(request: Request, exc: NotFoundError) -> HTMLResponse:
    return _render(request, "error.html", {"title": "Nicht gefunden", "message": exc.message}, status=404)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    with ctx.lock:
        data = views.overview(ctx.ws)
    return _render(request, "overview.html", {"title": "Übersicht", **data})


@router.get("/page/{page_id}", response_class=HTMLResponse)
def page(page_id: int, request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    with ctx.lock:
        data = views.page_view(ctx.ws, page_id)
    title = f"{data['document']['name']} – Seite {data['page']['number']}"
    return _render(request, "page.html", {"title": title, "data": data})


@router.get("/page/{page_id}/lines", response_class=HTMLResponse)
def lines(page_id: int, request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    with ctx.lock:
        data = views.page_view(ctx.ws, page_id)
    title = f"{data['document']['name']} – Seite {data['page']['number']} (Zeilen)"
    return _render(request, "lines.html", {"title": title, "data": data})


@router.get("/analysis/{document_id:path}", response_class=HTMLResponse)
def analysis(document_id: str, request: Request) -> HTMLResponse:
    ctx = _ctx(request)
    with ctx.lock:
        data = views.analysis_view(ctx.ws, document_id)
    return _render(request, "analysis.html", {"title": f"Fehleranalyse – {data['document']['name']}", "data": data})
