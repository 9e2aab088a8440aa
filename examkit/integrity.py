"""Checking a workspace after a crash (``examkit doctor --workspace``), without changing it.

examkit writes through SQLite transactions and atomic renames, so a crash should leave nothing
half-done; this shows whether that held: SQLite's own checks (``integrity_check``, foreign keys),
every revision's parent being an earlier revision of the same page, document or line (what
stale-save checks and histories rely on), and every page file the database names being there.
The database is opened read-only: a damaged workspace is never migrated or written by a check.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from examkit.workspace import DB_NAME

#: Revision tables and the column a revision's parent must share with it.
CHAINS = (("text_revisions", "page_id", "text revision"), ("analysis_revisions", "document_id", "analysis revision"),
          ("line_revisions", "line_id", "line revision"))
#: Problems listed per kind before the rest are counted (a badly damaged database has thousands).
SHOWN = 20


def check_workspace(root: Path) -> list[str]:
    """Every problem found, one line each naming what is wrong and where; [] for a sound workspace."""
    path = Path(root) / DB_NAME
    if not path.is_file():
        return [f"{path}: no workspace database here"]
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"{path}: cannot be opened ({exc})"]
    try:
        problems = _database(db, path)
        if not problems:
            problems = _chains(db) + _files(db, Path(root))
    except sqlite3.Error as exc:  # "database disk image is malformed" and the like
        problems = [f"{path}: cannot be read ({exc})"]
    finally:
        db.close()
    return problems


def _database(db: sqlite3.Connection, path: Path) -> list[str]:
    found = [row[0] for row in db.execute("PRAGMA integrity_check")]
    problems = [f"{path}: {message}" for message in found if message != "ok"]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"{path}: {table} row {rowid} names a missing row of {parent}")
    return _capped(problems)


def _chains(db: sqlite3.Connection) -> list[str]:
    problems = []
    for table, owner, name in CHAINS:
        rows = db.execute(f"""SELECT c.id, c.parent_id FROM {table} c LEFT JOIN {table} p ON p.id = c.parent_id
                              WHERE c.parent_id IS NOT NULL AND (p.id IS NULL OR p.{owner} != c.{owner} OR p.id >= c.id)""")
        problems += [f"{name} {child} follows revision {parent}, which is not an earlier one of its own"
                     for child, parent in rows]
    return _capped(problems)


def _files(db: sqlite3.Connection, root: Path) -> list[str]:
    problems = []
    for page_id, document_id, number, image, original in db.execute(
            "SELECT id, document_id, number, image, original FROM pages ORDER BY id"):
        for relative in dict.fromkeys(p for p in (image, original) if p):
            if not (root / relative).is_file():
                problems.append(f"{root / relative}: missing (page {number} of {document_id}, page id {page_id})")
    return _capped(problems)


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= SHOWN:
        return problems
    return [*problems[:SHOWN], f"... and {len(problems) - SHOWN} more of the same kind"]
