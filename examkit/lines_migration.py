"""Schema 0002: lines become entities, and what people wrote per page becomes their lines' text.

Before this schema a page's text was one string per revision, tied to the reader's lines only by
line number. The migration makes the newest reading of every page its lines (as
:func:`examkit.lines.apply_reading` does for new readings), then replays every page text a person
saved, oldest first, as a whole-page save (:func:`examkit.lines.write_page_text`: text lines
paired with lines by number where the counts match, as the line editor showed them, else by the
best order-keeping fuzzy match; unpaired text lines become typed lines at their place). So the
derived page text equals the newest revision exactly, each earlier revision is still the page's
text at that point of its history, and ``text_revisions`` itself stays as it was.
"""

from __future__ import annotations

import sqlite3

from examkit.lines import apply_reading, write_page_text
from examkit.models import PageOCR


def fill_lines(db: sqlite3.Connection) -> None:
    """Every page's lines from its newest reading and the newest text a person saved for it."""
    for page in db.execute("SELECT id FROM pages ORDER BY id").fetchall():
        _page(db, page["id"])


def _page(db: sqlite3.Connection, page_id: int) -> None:
    reading = db.execute("SELECT id, engine, data, created_at FROM ocr_results WHERE page_id = ? ORDER BY id DESC LIMIT 1",
                         (page_id,)).fetchone()
    revisions = db.execute("SELECT * FROM text_revisions WHERE page_id = ? AND layer = 'student' ORDER BY id",
                           (page_id,)).fetchall()
    if reading is not None:
        apply_reading(db, page_id, reading["id"], PageOCR.model_validate_json(reading["data"]),
                      stamp=reading["created_at"])
    for revision in revisions:
        write_page_text(db, page_id, revision["text"], revision["source"], revision["author"],
                        stamp=revision["created_at"])
