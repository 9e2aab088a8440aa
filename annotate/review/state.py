"""What the review server holds: the workspace, the access token, and the one writer.

SQLite allows many readers and one writer. The server follows datasette's pattern: every worker
thread reads through a connection of its own (WAL mode lets reads run beside a write), and every
save goes through one writer connection behind a lock, so saves are serialised and a read never
waits for one.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from annotate.review.security import new_base_path
from annotate.sheets import Settings, settings_from
from examkit.models import Line, PageLine
from examkit.workspace import Workspace

#: Reads one line again from its outline: ``(workspace, line) -> (reading, engine name)``. The OCR
#: stage provides it and the program hands it over (``examkit_app``), since this stage may not
#: import that one; without it "Neu lesen" says it cannot read here.
LineReader = Callable[[Workspace, PageLine], tuple[Line, str]]

#: Largest request body the API accepts (a page text or an analysis is a few kilobytes).
MAX_BODY_BYTES = 1_000_000


class ReviewState:
    """One served workspace. ``token`` is the secret every request must carry; ``base_path`` the
    random path the app lives under (``/s/<random>``), which scopes the token's cookie."""

    def __init__(self, root: Path, *, token: str | None = None, base_path: str | None = None,
                 max_body: int = MAX_BODY_BYTES, line_reader: LineReader | None = None) -> None:
        self.root = Path(root)
        self.line_reader = line_reader
        self.token = token or secrets.token_urlsafe(24)
        self.base_path = (base_path or new_base_path()).rstrip("/")
        self.max_body = max_body
        self._local = threading.local()
        self._opened: list[Workspace] = []
        self._opened_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: Workspace | None = None
        first = self._open()  # creates the workspace and applies migrations once, up front
        self._local.ws = first
        self.root = first.root
        self.author = first.config.author
        self.settings: Settings = settings_from(first.config.analysis, first.root)
        self.cache_dir = first.root / "review-cache"

    def _open(self) -> Workspace:
        ws = Workspace.open(self.root)
        with self._opened_lock:
            self._opened.append(ws)
        return ws

    @property
    def reader(self) -> Workspace:
        """This thread's read connection (opened on first use)."""
        ws = getattr(self._local, "ws", None)
        if ws is None:
            ws = self._local.ws = self._open()
        return ws

    @contextmanager
    def writer(self) -> Iterator[Workspace]:
        """The single write connection, held for one save at a time."""
        with self._write_lock:
            if self._writer is None:
                self._writer = self._open()
            yield self._writer

    def close(self) -> None:
        with self._opened_lock:
            for ws in self._opened:
                ws.close()
            self._opened.clear()
        self._writer = None
        self._local = threading.local()
