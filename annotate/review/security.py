"""Who may talk to the review server, from where, and how much they may send.

The server listens on the loopback address, but other programs and other users of the machine
can reach that too, a web page in any browser tab can try, and a browser sends a site's cookies
to every port of it. So (as ``README.md``'s data-protection section tells teachers):

* the app lives under a random path (``/s/<random>/``, :func:`new_base_path`); anything else is
  404. The random token printed with the URL (as Jupyter does) arrives once in the query string,
  which sets an HttpOnly, SameSite=Strict cookie scoped to that path and redirects to the same
  address under it without the token. The browser sends that cookie only to this server's path,
  never to another program on another local port, and two review servers keep their own cookies.
  Scripts may send the token as ``Authorization: Bearer …`` or ``X-Examkit-Token`` instead;
* the ``Host`` header must name this port on an address, ``localhost`` or the host it was started
  on, so a web site whose name points at 127.0.0.1 (DNS rebinding) is refused;
* every answer forbids framing (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``), loads
  scripts only from the server itself and sends no referrer;
* bodies are limited in size, and JSON in depth and number size, before any route reads them.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from urllib.parse import parse_qsl, quote, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from annotate.model import MAX_DEPTH, MAX_NESTING, MAX_POINTS, nested_deeper

COOKIE = "examkit_token"
TOKEN_HEADER = b"x-examkit-token"

#: Sent with every answer: nothing may frame the page, scripts and everything else come only
#: from the server itself (the page has no inline script), and no address leaves in a Referer.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                                 b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]



def _page(title: str, text: str) -> str:
    return f"""<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto;line-height:1.5">
<h1>{title}</h1>
<p>{text} Öffnen Sie bitte die vollständige Adresse, die <code>examkit review serve</code> im Terminal
ausgegeben hat (sie endet auf <code>?token=…</code>).</p>
</body></html>"""


FORBIDDEN_HTML = _page("Kein Zugang", "Diese Seite ist durch einen Schlüssel geschützt.")
NOT_HERE_HTML = _page("Nicht gefunden", "Unter dieser Adresse gibt es keine Durchsicht.")


def new_base_path() -> str:
    """A fresh random path the app is served under (``/s/<random>``, no trailing slash)."""
    return "/s/" + secrets.token_urlsafe(16)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers", [])}


def presented_tokens(scope: Scope) -> list[str]:
    """The tokens a request carries in a header or cookies (not the query string).

    Every cookie of our name counts: a browser may hold one from another path of this host.
    """
    headers = _headers(scope)
    auth = headers.get(b"authorization", b"").decode("latin-1")
    if auth.lower().startswith("bearer "):
        return [auth[7:].strip()]
    if TOKEN_HEADER in headers:
        return [headers[TOKEN_HEADER].decode("latin-1").strip()]
    found = []
    for part in headers.get(b"cookie", b"").decode("latin-1").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            found.append(value.strip().strip('"'))
    return found


async def _send_simple(send: Send, status: int, body: bytes, content_type: str,
                       extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send, status: int, message: str, page: str | None = None) -> None:
    route = scope["path"][len(scope.get("root_path", "")):]
    if route.startswith("/api/") or scope.get("method") not in ("GET", "HEAD"):
        body = json.dumps({"detail": message}, ensure_ascii=False).encode()
        await _send_simple(send, status, body, "application/json; charset=utf-8")
    elif page is not None:
        await _send_simple(send, status, page.encode(), "text/html; charset=utf-8")
    else:
        await _send_simple(send, status, message.encode(), "text/plain; charset=utf-8")


def _host_allowed(host_header: bytes | None, server: tuple[str, int] | None) -> bool:
    """``Host`` names the server's port on an IP address, ``localhost`` or the host it was started on.

    A DNS name other than those is what a rebinding attack sends; an address cannot be rebound.
    """
    if server is None:  # not a TCP listener (ASGI leaves ``server`` out): nothing to compare with
        return True
    if not host_header:
        return False
    host = host_header.decode("latin-1").strip().lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port_text = host.partition(":")
    bound_host, bound_port = server
    if port_text:
        if not port_text.isdigit() or int(port_text) != bound_port:
            return False
    elif bound_port != 80:
        return False
    if name in ("localhost", str(bound_host).lower()):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class LocalGuard:
    """ASGI middleware (outermost): security headers on every answer, the ``Host`` check, the base path.

    Requests outside ``base_path`` get 404 without a hint where the app is; inside, the path is
    kept whole and ``root_path`` set to ``base_path``, so the routes match as if at ``/``.
    A first visit with the valid token (``?token=``) is let through to :class:`TokenGuard` from
    any path, which sends it under the base path.
    """

    def __init__(self, app: ASGIApp, base_path: str, token: str) -> None:
        self.app = app
        self.base_path = base_path.rstrip("/")
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(event: Message) -> None:
            if event["type"] == "http.response.start":
                event = {**event, "headers": [*event.get("headers", []), *SECURITY_HEADERS]}
            await send(event)

        if not _host_allowed(_headers(scope).get(b"host"), scope.get("server")):
            await _refuse(scope, send_with_headers, 400, "Falsche Adresse: öffnen Sie die Durchsicht über "
                          "http://127.0.0.1 mit der Adresse aus dem Terminal.")
            return
        path = scope["path"]
        inside = path.startswith(self.base_path + "/")
        if not inside and not (path == self.base_path or has_valid_query_token(scope, self.token)):
            await _refuse(scope, send_with_headers, 404, "Nicht gefunden.", NOT_HERE_HTML)
            return
        await self.app({**scope, "root_path": self.base_path if inside else ""}, receive, send_with_headers)


def has_valid_query_token(scope: Scope, token: str) -> bool:
    """A GET whose query string carries ``token`` (the address printed in the terminal)."""
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    given = [v for k, v in query if k == "token"]
    return bool(given) and scope.get("method") == "GET" and same_token(given[0], token)


def same_token(candidate: str, token: str) -> bool:
    return secrets.compare_digest(candidate.encode(), token.encode())


def landing(scope: Scope, base_path: str) -> str:
    """Where the token visit goes on: the same route under ``base_path``, the token dropped.

    The location always starts with ``base_path + "/"``: a path such as ``//evil.example/x``
    stays a path on this server, never another site.
    """
    path = scope["path"]
    route = path[len(base_path):] if path == base_path or path.startswith(base_path + "/") else path
    segments = [s for s in route.split("/") if s]
    query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    rest = urlencode([(k, v) for k, v in query if k != "token"])
    trailing = "/" if segments and route.endswith("/") else ""
    location = base_path + "/" + quote("/".join(segments), safe="/:@!$&'()*+,;=-._~") + trailing
    return location + (f"?{rest}" if rest else "")


class TokenGuard:
    """ASGI middleware: 403 unless the request carries the token; the token visit sets the cookie."""

    def __init__(self, app: ASGIApp, token: str, base_path: str) -> None:
        self.app = app
        self.token = token
        self.base_path = base_path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if has_valid_query_token(scope, self.token) or scope["path"] == self.base_path:
            cookie = f"{COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path={self.base_path}/"
            extra = [(b"location", landing(scope, self.base_path).encode("ascii"))]
            if has_valid_query_token(scope, self.token):
                extra.append((b"set-cookie", cookie.encode()))
            await _send_simple(send, 303, b"", "text/plain", extra)
            return
        if not any(same_token(t, self.token) for t in presented_tokens(scope)):
            await _refuse(scope, send, 403, "Kein Zugang: der Schlüssel (token) fehlt oder ist falsch.", FORBIDDEN_HTML)
            return
        await self.app(scope, receive, send)


def json_refusal(body: bytes) -> str | None:
    """Why a JSON body is refused before any route reads it (German), or None.

    JSON nested deeper than a sheet may be (:data:`annotate.model.MAX_NESTING`, plus the request
    around it) would exhaust the parsers' recursion; a whole number of thousands of digits cannot
    be read at all. Malformed JSON is left to the routes' own validation.
    """
    deep = f"Die Eingabe ist zu tief verschachtelt (Teilaufgaben höchstens {MAX_DEPTH} Ebenen tief)."
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        return deep
    except ValueError:
        return f"Eine Zahl ist zu groß (höchstens {MAX_POINTS})."
    return deep if nested_deeper(data, MAX_NESTING + 1) else None


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, declared or actually sent; 422 for
    JSON no route could read (:func:`json_refusal`).

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
        refusal = json_refusal(body) if body.strip() else None
        if refusal:
            await _refuse(scope, send, 422, refusal)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
