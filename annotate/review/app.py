"""The FastAPI app of the review page: middleware, error answers, routes, static files.

:func:`create_app` serves one workspace under its random base path. The guards of
:mod:`annotate.review.security` (host, base path, token, body size, security headers) wrap
everything, static files included; errors the library raises become JSON answers with a German message
(404 for a vanished page or document, 409 for a stale save, 422 for bad input); so do requests
the routes refuse (a value out of range, an unknown address, a wrong method), as a German page
where a person opened an address rather than a script.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from annotate.review.security import BodyLimit, LocalGuard, TokenGuard
from annotate.review.state import ReviewState
from examkit.errors import NotFoundError, RevisionConflict, UserInputError

HERE = Path(__file__).parent


def create_app(state: ReviewState) -> LocalGuard:
    """The ASGI app for ``state``'s workspace; ``.fastapi`` is the inner FastAPI app."""
    from annotate.review import routes_api, routes_html, routes_lines

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        state.close()

    app = FastAPI(title="examkit review", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.review = state
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(routes_html.router)
    app.include_router(routes_api.router)
    app.include_router(routes_lines.router)

    @app.exception_handler(NotFoundError)
    async def _not_found(_request: Request, exc: NotFoundError) -> JSONResponse:
        return JSONResponse({"detail": "Nicht gefunden: diese Seite oder dieses Dokument gibt es im Arbeitsbereich "
                                       "nicht (mehr). Gehen Sie zur Übersicht zurück.", "technical": exc.message},
                            status_code=404)

    @app.exception_handler(RevisionConflict)
    async def _conflict(request: Request, exc: RevisionConflict) -> JSONResponse:
        return JSONResponse({"detail": "Diese Seite wurde inzwischen anderswo gespeichert.", "current": exc.current_revision},
                            status_code=409)

    @app.exception_handler(UserInputError)
    async def _bad_input(_request: Request, exc: UserInputError) -> JSONResponse:
        # the library's messages are English (for the command line): the teacher reads German
        return JSONResponse({"detail": "Diese Eingabe wurde nicht angenommen. Bitte prüfen Sie sie und speichern Sie "
                                       "dann erneut.", "technical": exc.message}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(dict.fromkeys(str(e["loc"][-1]) for e in exc.errors() if e.get("loc"))) or "?"
        return _german(request, 422, f"Diese Eingabe wurde nicht angenommen (ungültiger Wert: {fields}). Bitte laden "
                                     "Sie die Seite neu und versuchen Sie es erneut.", technical=str(exc.errors()))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        message = {404: "Nicht gefunden: diese Adresse gibt es in der Durchsicht nicht.",
                   405: "Diese Aktion ist unter dieser Adresse nicht möglich."}.get(
            exc.status_code, f"Die Anfrage wurde nicht angenommen (Fehler {exc.status_code}).")
        return _german(request, exc.status_code, message, technical=str(exc.detail), headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        # a bug: the transaction it happened in was rolled back, earlier saves are kept
        return _german(request, 500, "Ein interner Fehler ist aufgetreten; bitte laden Sie die Seite neu. Bereits "
                                     "Gespeichertes bleibt erhalten.", technical=type(exc).__name__)

    limited = BodyLimit(app, state.max_body)
    outer = LocalGuard(TokenGuard(limited, state.token, state.base_path), state.base_path, state.token)
    outer.fastapi = app  # type: ignore[attr-defined]
    return outer


def _german(request: Request, status: int, message: str, *, technical: str,
            headers: Mapping[str, str] | None = None) -> Response:
    """A refusal in German: JSON for the page's scripts (``/api/``, anything but GET), else a page."""
    route = request.url.path[len(request.scope.get("root_path", "")):]
    if route.startswith("/api/") or request.method not in ("GET", "HEAD"):
        return JSONResponse({"detail": message, "technical": technical}, status_code=status, headers=headers)
    page = (f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>examkit</title></head><body>'
            f'<p>{escape(message)}</p><p><a href="./">Zur Übersicht</a></p></body></html>')
    return HTMLResponse(page, status_code=status, headers=headers)
