"""Access token and body limit, as one plain ASGI middleware.

The server runs on the teacher's machine, but any web page in the same browser could send it
requests; a random token (like Jupyter's) that only the printed URL carries keeps them out. The
token in a URL's query is swapped for an HttpOnly, SameSite=Strict cookie and the URL is cleaned
by a redirect; API calls may also send it as the ``X-Examkit-Token`` header.
"""

from __future__ import annotations

import json
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

COOKIE = "examkit_token"
HEADER = b"x-examkit-token"
MAX_BODY = 2 * 1024 * 1024


class _TooLarge(Exception):
    pass


class TokenAndLimit:
    """Refuses requests without the token (403) and bodies over ``max_body`` bytes (413)."""

    def __init__(self, app, token: str, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query and scope["method"] == "GET":
            if not secrets.compare_digest(query["token"], self.token):
                return await _plain(send, 403, "Falscher Zugangsschlüssel. Bitte die Adresse verwenden, die `examkit review serve` ausgegeben hat.")
            rest = {k: v for k, v in query.items() if k != "token"}
            location = scope["path"] + ("?" + urlencode(rest) if rest else "")
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
            return await _send(send, 303, b"", [(b"location", location.encode()), (b"set-cookie", cookie.encode())])
        if not self._authorised(headers):
            return await _plain(send, 403, "Kein Zugang: bitte die Adresse mit dem Zugangsschlüssel öffnen, die `examkit review serve` ausgegeben hat.")
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return await _plain(send, 413, "Die Anfrage ist zu groß.")
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _plain(send, 413, "Die Anfrage ist zu groß.")

    def _authorised(self, headers: dict[bytes, bytes]) -> bool:
        given = headers.get(HEADER)
        if given is not None:
            return secrets.compare_digest(given.decode("latin-1"), self.token)
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is simply no token
            return False
        morsel = cookie.get(COOKIE)
        return morsel is not None and secrets.compare_digest(morsel.value, self.token)


async def _plain(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    await _send(send, status, body, [(b"content-type", b"application/json; charset=utf-8")])


async def _send(send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = headers + [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
