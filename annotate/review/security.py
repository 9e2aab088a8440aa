"""Who may talk to the review server, and how much they may send.

The server listens on the loopback address, but other programs and other users of the machine
can reach that too, and a web page in any browser tab can try. So every request must carry the
random token printed with the URL (as Jupyter does): the first visit brings it in the query
string, which sets an HttpOnly, SameSite=Strict cookie and redirects to the same address without
it; scripts may send it as ``Authorization: Bearer …`` or ``X-Examkit-Token``. Bodies are
limited in size before any route reads them.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

COOKIE = "examkit_token"
TOKEN_HEADER = b"x-examkit-token"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORBIDDEN_HTML = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Kein Zugang</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.5">
<h1>Kein Zugang</h1>
<p>Diese Seite ist durch einen Schlüssel geschützt. Öffnen Sie bitte die vollständige Adresse,
die <code>examkit review serve</code> im Terminal ausgegeben hat (sie endet auf <code>?token=…</code>).</p>
</body></html>"""


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", [])}


def presented_token(scope: Scope) -> str | None:
    """The token a request carries in a header or the cookie (not the query string)."""
    headers = _headers(scope)
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    if TOKEN_HEADER in headers:
        return headers[TOKEN_HEADER].decode("latin-1").strip()
    cookie = headers.get(b"cookie")
    if cookie:
        jar = SimpleCookie()
        try:
            jar.load(cookie.decode("latin-1"))
        except Exception:  # a malformed cookie header is simply no token
            return None
        if COOKIE in jar:
            return jar[COOKIE].value
    return None


async def _send_simple(send: Send, status: int, body: bytes, content_type: str,
                       extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    if scope["path"].startswith("/api/") or scope.get("method") not in ("GET", "HEAD"):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode()
        await _send_simple(send, status, body, "application/json; charset=utf-8")
    elif status == 403:
        await _send_simple(send, status, FORBIDDEN_HTML.encode(), "text/html; charset=utf-8")
    else:
        await _send_simple(send, status, message.encode(), "text/plain; charset=utf-8")


class TokenGuard:
    """ASGI middleware: 403 unless the request carries the token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    def _ok(self, candidate: str | None) -> bool:
        return candidate is not None and secrets.compare_digest(candidate.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given and scope.get("method") == "GET" and self._ok(given[0]):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope["path"] + (f"?{rest}" if rest else "")
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            await _send_simple(send, 303, b"", "text/plain",
                               [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode())])
            return
        if not self._ok(presented_token(scope)):
            await _refuse(scope, send, 403, "Kein Zugang: der Schlüssel (token) fehlt oder ist falsch.")
            return
        await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, declared or actually sent.

    The body is read here first (bodies are small) and handed on whole, so a route never sees
    part of an oversized request.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        message = f"Die Anfrage ist zu groß (höchstens {self.limit // 1000} kB)."
        declared = _headers(scope).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _refuse(scope, send, 413, message)
            return
        chunks, seen = [], 0
        while True:
            event = await receive()
            if event["type"] == "http.disconnect":
                return
            chunks.append(event.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await _refuse(scope, send, 413, message)
                return
            if not event.get("more_body"):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict[str, Any]:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
