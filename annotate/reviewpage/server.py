"""Running the review app: a free port on 127.0.0.1, the URL with its token, the browser."""

from __future__ import annotations

import ipaddress
import socket
import threading
import webbrowser
from collections.abc import Callable

import uvicorn

from annotate.reviewpage.app import create_app
from examkit.workspace import Workspace


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def review_server(ws: Workspace, *, host: str = "127.0.0.1", port: int | None = None,
                  token: str | None = None) -> tuple[uvicorn.Server, str]:
    """A uvicorn server for the review app (not started) and the URL that opens it."""
    app = create_app(ws, token=token)
    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
    shown = f"[{host}]" if ":" in host else host
    return server, f"http://{shown}:{port}/?token={app.state.ctx.token}"


def serve(ws: Workspace, *, host: str, port: int | None, open_browser: bool,
          announce: Callable[[str], None]) -> None:
    """Run until Ctrl+C; ``announce`` gets the URL once the socket is listening."""
    server, url = review_server(ws, host=host, port=port)

    def when_started() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            announce(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=when_started, daemon=True).start()
    server.run()
