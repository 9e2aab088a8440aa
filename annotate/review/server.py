"""Running the review page: a free loopback port, the URL with its token, the browser, uvicorn."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
import webbrowser
from pathlib import Path

from annotate.review.app import create_app
from annotate.review.state import LineReader, ReviewState
from examkit.console import note, out, warn
from examkit.errors import UserInputError
from examkit.i18n import _
from examkit.workspace import resolve_path


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port(host: str, port: int = 0) -> int:
    """``port`` if it can be bound on ``host`` (0: any free one); raises OSError otherwise."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        return sock.getsockname()[1]


def url_for(host: str, port: int, base_path: str, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{base_path}/?token={token}"


def run(workspace: Path | None, *, host: str = "127.0.0.1", port: int | None = None, open_browser: bool = True,
        line_reader: LineReader | None = None) -> None:
    """Serve until Ctrl-C. Prints the address (with the token) on stderr and stdout."""
    import uvicorn

    if not is_loopback(host):
        warn(_("--host {host} is not a loopback address: other machines on the network can reach this page "
               "(they still need the token). Use 127.0.0.1 unless you mean it.").format(host=host))
    try:
        port = free_port(host, port or 0)
    except OSError as exc:
        raise UserInputError(f"cannot listen on {host}:{port or ''}: {exc.strerror}",
                             advice="Leave out --port to take a free one.") from exc
    state = ReviewState(resolve_path(workspace), line_reader=line_reader)
    url = url_for(host, port, state.base_path, state.token)
    note(_("examkit review for {workspace}").format(workspace=state.root))
    note(_("Open this address in your browser (Ctrl-C stops the server):"))
    out(url)
    config = uvicorn.Config(create_app(state), host=host, port=port, log_level="warning", access_log=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    if open_browser:
        threading.Thread(target=_open_when_listening, args=(server, url), daemon=True).start()
    server.run()


def _open_when_listening(server, url: str, timeout: float = 15.0) -> None:
    """Open the browser once uvicorn listens, so a fast browser never meets a refused connection."""
    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    webbrowser.open(url)
