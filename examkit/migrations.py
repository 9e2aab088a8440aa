"""The workspace schema as named, ordered migrations.

Each migration runs in one transaction together with its bookkeeping row, so a database is
always at a whole-numbered version. Migrations are only ever appended to this list; a shipped
one is never edited. Tables that hold what people wrote are append-only, enforced by triggers,
so not even a bug in examkit can overwrite a correction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from examkit.migration_0002_lines import fill_lines

APPEND_ONLY = ("text_revisions", "analysis_revisions", "exam_sheets", "ocr_results", "page_reviews")


def _append_only_triggers(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;
"""


INITIAL = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    exam TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('student', 'task')),
    source TEXT NOT NULL,
    source_hash TEXT NOT NULL DEFAULT '',
    typed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX documents_exam ON documents(exam);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    image TEXT NOT NULL DEFAULT '',
    original TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    source_hash TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (document_id, number)
);

CREATE TABLE ocr_results (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    engine TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ocr_results_page ON ocr_results(page_id);

CREATE TABLE text_revisions (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    layer TEXT NOT NULL CHECK (layer IN ('student', 'teacher')),
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    author TEXT NOT NULL,
    parent_id INTEGER REFERENCES text_revisions(id),
    created_at TEXT NOT NULL
);
CREATE INDEX text_revisions_page ON text_revisions(page_id, layer);

CREATE TABLE analysis_revisions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    text TEXT NOT NULL,
    sheet TEXT,
    source TEXT NOT NULL,
    author TEXT NOT NULL,
    model TEXT,
    parent_id INTEGER REFERENCES analysis_revisions(id),
    created_at TEXT NOT NULL
);
CREATE INDEX analysis_revisions_document ON analysis_revisions(document_id);

CREATE TABLE exam_sheets (
    id INTEGER PRIMARY KEY,
    exam TEXT NOT NULL,
    sheet TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE page_reviews (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    reviewed INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    path TEXT NOT NULL,
    document_id TEXT,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);

CREATE TABLE uploads (
    content_hash TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    file_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (content_hash, endpoint)
);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL,
    result_model TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    n_records INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);

CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
""" + "".join(_append_only_triggers(t) for t in APPEND_ONLY)


LINES_SQL = """CREATE TABLE lines (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    origin TEXT NOT NULL CHECK (origin IN ('detected', 'drawn', 'typed')),
    ocr_result_id INTEGER REFERENCES ocr_results(id),
    created_at TEXT NOT NULL
);
CREATE INDEX lines_page ON lines(page_id);

CREATE TABLE line_revisions (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES lines(id),
    page_id INTEGER NOT NULL REFERENCES pages(id),
    position REAL NOT NULL,
    text TEXT NOT NULL,
    polygon TEXT NOT NULL DEFAULT '[]',
    baseline TEXT NOT NULL DEFAULT '[]',
    layer TEXT NOT NULL CHECK (layer IN ('student', 'teacher', 'margin')),
    words TEXT NOT NULL DEFAULT '[]',
    conf REAL NOT NULL DEFAULT -1,
    deleted INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL CHECK (source IN ('ocr', 'review', 'import', 'ground-truth')),
    author TEXT NOT NULL,
    parent_id INTEGER REFERENCES line_revisions(id),
    created_at TEXT NOT NULL
);
CREATE INDEX line_revisions_line ON line_revisions(line_id, id);
CREATE INDEX line_revisions_page ON line_revisions(page_id, id);
""" + _append_only_triggers("lines") + _append_only_triggers("line_revisions")


def _lines(db: sqlite3.Connection) -> None:
    """Schema 0002: the line tables, then the existing pages' lines (:mod:`examkit.migration_0002_lines`, frozen)."""
    for statement in split_sql(LINES_SQL):
        db.execute(statement)
    fill_lines(db)


def split_sql(script: str) -> list[str]:
    """Split a migration into statements; ``sqlite3.complete_statement`` keeps triggers whole."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


#: (name, SQL script or a function given the connection) in order. Append only.
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial", INITIAL),
    ("0002_lines", _lines),
]
