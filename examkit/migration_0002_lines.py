"""Schema 0002: lines become entities, and what people wrote per page becomes their lines' text.

Frozen: this is the migration as it was written, with its own copy of the logic it needs, on plain
rows and dicts. It must never call today's repositories or models (``examkit/lines.py``,
``examkit/models.py``), which will change while old workspaces still need this exact step.

Before this schema a page's text was one string per revision, tied to the reader's lines only by
line number. The migration makes the newest reading of every page its lines, then replays every
page text a person saved, oldest first, as a whole-page save: text lines paired with lines by
number where the counts match, as the line editor showed them, else by the best order-keeping
fuzzy match; unpaired text lines become typed lines at their place. So the derived page text equals
the newest revision exactly, each earlier revision is still the page's text at that point of its
history, and ``text_revisions`` itself stays as it was.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from typing import Any

from rapidfuzz import fuzz

MIN_SIMILARITY = 50.0
_CURRENT = """SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id
WHERE r.id IN (SELECT MAX(id) FROM line_revisions WHERE page_id = ? GROUP BY line_id)
ORDER BY r.page_id, r.position, r.line_id"""


def fill_lines(db: sqlite3.Connection) -> None:
    """Every page's lines from its newest reading and the texts a person saved for it."""
    for page in db.execute("SELECT id FROM pages ORDER BY id").fetchall():
        page_id = page[0]
        reading = db.execute("SELECT id, engine, data, created_at FROM ocr_results WHERE page_id = ? "
                             "ORDER BY id DESC LIMIT 1", (page_id,)).fetchone()
        if reading is not None:
            _reading_lines(db, page_id, reading[0], reading[1], json.loads(reading[2]), reading[3])
        for text, source, author, stamp in db.execute(
                "SELECT text, source, author, created_at FROM text_revisions WHERE page_id = ? AND layer = 'student' "
                "ORDER BY id", (page_id,)).fetchall():
            _page_text(db, page_id, text, source, author, stamp)


def _reading_lines(db: sqlite3.Connection, page_id: int, reading_id: int, engine: str, data: dict[str, Any],
                   stamp: str) -> None:
    origin = "typed" if engine == "typed" else "detected"
    for index, line in enumerate(data.get("lines", [])):
        x0, y0, x1, y1 = line["bbox"]
        has_box = bool(line.get("polygon")) or (x1 > x0 and y1 > y0)
        polygon = line.get("polygon") or [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
        baseline = line.get("baseline") or [[x0, y1], [x1, y1]]
        words = line.get("words", [])
        line_id = _new_line(db, page_id, origin, reading_id, stamp)
        _revision(db, line_id, page_id, {
            "position": float(index + 1), "text": " ".join(w["text"] for w in words),
            "polygon": polygon if has_box else [], "baseline": baseline if has_box else [],
            "layer": line.get("layer", "student"), "conf": line.get("conf", -1), "words": words},
            "ocr", engine, None, stamp)


def _page_text(db: sqlite3.Connection, page_id: int, text: str, source: str, author: str, stamp: str) -> None:
    rows = db.execute(_CURRENT, (page_id,)).fetchall()
    lines = [dict(r) for r in rows if not r["deleted"] and r["layer"] == "student"]
    new = text.split("\n") if text else []

    def revise(line: dict[str, Any], changes: dict[str, Any]) -> None:
        state = {"position": line["position"], "text": line["text"], "polygon": json.loads(line["polygon"]),
                 "baseline": json.loads(line["baseline"]), "layer": line["layer"], "conf": line["conf"],
                 "deleted": line["deleted"]} | changes | {"words": []}
        _revision(db, line["line_id"], page_id, state, source, author, line["id"], stamp)

    matcher = difflib.SequenceMatcher(None, [li["text"] for li in lines], new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = _align([li["text"] for li in lines[i1:i2]], new[j1:j2]) if op != "insert" else []
        by_new = {j: i for i, j in enumerate(pairs) if j is not None}
        previous = lines[i1 - 1]["position"] if i1 > 0 else None
        for k in range(j2 - j1):
            if k in by_new:
                line = lines[i1 + by_new[k]]
                if line["text"] != new[j1 + k] or line["source"] == "ocr":
                    revise(line, {"text": new[j1 + k]})
                previous = line["position"]
                continue
            following = next((lines[i1 + i]["position"] for i in range(len(pairs)) if (pair := pairs[i]) is not None and pair > k),
                             lines[i2]["position"] if i2 < len(lines) else None)
            position = _between(previous, following)
            line_id = _new_line(db, page_id, "typed", None, stamp)
            _revision(db, line_id, page_id, {"position": position, "text": new[j1 + k], "layer": "student"},
                      source, author, None, stamp)
            previous = position
        for i, j in enumerate(pairs):
            if j is None:
                revise(lines[i1 + i], {"deleted": True})


def _align(old: list[str], new: list[str]) -> list[int | None]:
    """By number when the counts match, else the best order-keeping fuzzy match."""
    if len(old) == len(new):
        return list(range(len(old)))
    n, m = len(old), len(new)
    sim = [[fuzz.ratio(a, b) for b in new] for a in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = best[i + 1][j + 1] + sim[i][j] if sim[i][j] >= MIN_SIMILARITY else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    result: list[int | None] = [None] * n
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MIN_SIMILARITY and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            result[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return result


def _between(low: float | None, high: float | None) -> float:
    if high is None:
        return 1.0 if low is None else low + 1
    return high - 1 if low is None else (low + high) / 2


def _new_line(db: sqlite3.Connection, page_id: int, origin: str, reading_id: int | None, stamp: str) -> int:
    cur = db.execute("INSERT INTO lines (page_id, origin, ocr_result_id, created_at) VALUES (?, ?, ?, ?)",
                     (page_id, origin, reading_id, stamp))
    return int(cur.lastrowid or 0)


def _revision(db: sqlite3.Connection, line_id: int, page_id: int, state: dict[str, Any], source: str, author: str,
              parent: int | None, stamp: str) -> None:
    db.execute(
        """INSERT INTO line_revisions (line_id, page_id, position, text, polygon, baseline, layer, words, conf,
                                       deleted, source, author, parent_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (line_id, page_id, float(state["position"]), state.get("text", ""),
         json.dumps([list(p) for p in state.get("polygon", [])]), json.dumps([list(p) for p in state.get("baseline", [])]),
         state.get("layer", "student"), json.dumps(state.get("words", []), ensure_ascii=False),
         float(state.get("conf", -1)), int(bool(state.get("deleted"))), source, author, parent, stamp))
