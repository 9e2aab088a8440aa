"""The workspace: a folder with ``examkit.toml``, an SQLite database and the page images.

Every stage meets here. Opening a workspace creates what is missing (folder, config, database)
and applies pending migrations, so the first command of any kind works on an empty folder. Many
``examkit`` processes may open one workspace at once: the database runs in WAL mode with a busy
timeout, writes happen in ``BEGIN IMMEDIATE`` transactions, and creation races are settled by the
file system (exclusive create) and by SQLite's write lock.

The data itself is reached through small repositories hanging off the workspace:
``ws.documents`` (documents, pages, OCR results, failures), ``ws.lines`` (each page's lines and
their text), ``ws.revisions`` (what people wrote),
``ws.runs`` (uploads, training jobs, exports, caches).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from examkit.clock import now
from examkit.config import CONFIG_NAME, DEFAULT_TOML, Config, load_config
from examkit.errors import WorkspaceError
from examkit.files import create_exclusive
from examkit.migrations import MIGRATIONS, split_sql

DB_NAME = "examkit.sqlite3"
ENV_VAR = "EXAMKIT_WORKSPACE"
DEFAULT_DIR = "examkit-workspace"
BUSY_TIMEOUT_S = 60.0


def resolve_path(path: str | Path | None) -> Path:
    """``--workspace`` if given, else ``$EXAMKIT_WORKSPACE``, else ``./examkit-workspace``."""
    if path:
        return Path(path).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path.cwd() / DEFAULT_DIR


class Workspace:
    """An open workspace. Use :meth:`open`; close with :meth:`close` or a ``with`` block."""

    def __init__(self, root: Path, db: sqlite3.Connection, config: Config) -> None:
        from examkit.documents import Documents
        from examkit.lines import Lines
        from examkit.revisions import Revisions
        from examkit.runs import Runs

        self.root = root
        self.db = db
        self.config = config
        self.documents = Documents(self)
        self.lines = Lines(self)
        self.revisions = Revisions(self)
        self.runs = Runs(self)

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None) -> Workspace:
        """Open (creating on first use) the workspace at ``path`` (see :func:`resolve_path`)."""
        root = resolve_path(path).resolve()
        if root.exists() and not root.is_dir():
            raise WorkspaceError(f"{root}: is a file, not a workspace folder", advice="Pass --workspace with a folder.")
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / "pages").mkdir(exist_ok=True)
            create_exclusive(root / CONFIG_NAME, DEFAULT_TOML.encode("utf-8"))
        except PermissionError as exc:
            raise WorkspaceError(f"{root}: cannot write here ({exc.strerror})", advice="Choose another folder with --workspace.") from exc
        config = load_config(root / CONFIG_NAME)
        db = _connect(root / DB_NAME)
        try:
            migrate(db, root / DB_NAME)
        except BaseException:
            db.close()
            raise
        return cls(root, db, config)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- paths ------------------------------------------------------------------------------
    @property
    def pages_dir(self) -> Path:
        return self.root / "pages"

    def path(self, relative: str) -> Path:
        """The absolute path of a file stored relative to the workspace."""
        return self.root / relative

    def relative(self, path: Path) -> str:
        """A workspace path as stored in the database (relative, ``/``-separated)."""
        return path.resolve().relative_to(self.root).as_posix()

    # -- transactions -----------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

        Taking the lock up front means a read-then-write (e.g. the stale-revision check) cannot
        be overtaken by another process between the read and the write.
        """
        _execute_retrying(self.db, "BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]


def _connect(db_path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
        mode = _execute_retrying(db, "PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise WorkspaceError(f"{db_path}: could not switch the database to WAL mode (got {mode})")
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            f"{db_path}: not a readable examkit database ({exc})",
            advice="Restore it from a backup or use another --workspace.",
        ) from exc
    return db


def _execute_retrying(db: sqlite3.Connection, sql: str) -> sqlite3.Cursor:
    """Run a statement that can meet SQLITE_BUSY outside the busy handler (WAL switch, BEGIN)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return db.execute(sql)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def migrate(db: sqlite3.Connection, db_path: Path) -> int:
    """Apply pending migrations, each in its own transaction; returns the schema version.

    Safe to run from several processes at once: each migration checks the version again after
    taking the write lock.
    """
    known = len(MIGRATIONS)
    try:
        for index, (name, sql) in enumerate(MIGRATIONS, start=1):
            if db.execute("PRAGMA user_version").fetchone()[0] >= index:
                continue
            _execute_retrying(db, "BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] >= index:
                    db.execute("ROLLBACK")
                    continue
                db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                if callable(sql):
                    sql(db)
                else:
                    for statement in split_sql(sql):
                        db.execute(statement)
                db.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (index, name, now()))
                db.execute(f"PRAGMA user_version = {index}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{db_path}: cannot update the database schema ({exc})") from exc
    if version > known:
        raise WorkspaceError(
            f"{db_path}: made by a newer examkit (schema {version}, this one knows {known})",
            advice="Upgrade examkit (pip install -U examkit) to open this workspace.",
        )
    return version
