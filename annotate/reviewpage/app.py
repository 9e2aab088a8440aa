"""The app factory: one workspace, one token, one lock for the workspace connection.

The workspace shares one SQLite connection; FastAPI runs plain ``def`` routes in a thread pool,
so every use of the workspace goes through :attr:`ReviewContext.lock`. That serialises saves (one
writer, as datasette does) and keeps a read from seeing another thread's open transaction.
Library errors become JSON with a German message: 404 for a vanished document or page, 409 with
the current revision for a stale save, 400 for a bad sheet.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from annotate.reviewpage.security import MAX_BODY, TokenAndLimit
from examkit.errors import ExamkitError, NotFoundError, RevisionConflict, UserInputError
from examkit.workspace import Workspace

HERE = Path(__file__).parent


@dataclass
class ReviewContext:
    ws: Workspace
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    lock: threading.RLock = field(default_factory=threading.RLock)


def create_app(ws: Workspace, *, token: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The review app for ``ws``; every request needs ``token`` (a random one when not given)."""
    from annotate.reviewpage import routes_api, routes_html

    ctx = ReviewContext(ws, token=token or secrets.token_urlsafe(24))
    app = FastAPI(title="examkit review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = ctx
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(routes_api.router)
    app.include_router(routes_html.router)

    @app.exception_handler(ExamkitError)
    async def _examkit_error(request: Request, exc: ExamkitError):
        if isinstance(exc, RevisionConflict):
            return JSONResponse(status_code=409, content={
                "error": "Diese Seite wurde inzwischen anderswo gespeichert.", "detail": exc.message,
                "current_revision": exc.current_revision, **getattr(exc, "review_extra", {})})
        if isinstance(exc, NotFoundError):
            if not request.url.path.startswith("/api/") and not request.url.path.startswith("/img/"):
                return routes_html.not_found(request, exc)
            return JSONResponse(status_code=404, content={
                "error": "Das gibt es nicht mehr: " + exc.message + ". Bitte die Übersicht neu laden."})
        status = 400 if isinstance(exc, UserInputError) else 500
        return JSONResponse(status_code=status, content={"error": exc.one_line()})

    app.add_middleware(TokenAndLimit, token=ctx.token, max_body=max_body)
    return app
