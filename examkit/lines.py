"""A page's lines: each with a stable id, its place, outline, baseline, layer and text. Append-only.

A line is the unit people review and recognisers learn from (as in PAGE XML, Transkribus and
eScriptorium): its image and its text are bound together by the line's id, never by a line
number, so inserting or deleting a line cannot move another line's text. Every change (text,
outline, order, deletion) is a new row in ``line_revisions``; a save names the revision of *that
line* it started from, so two tabs editing different lines both succeed and only a save on the
same line meets :class:`RevisionConflict`.

A reader's result becomes lines when it is stored (:func:`apply_reading`); once a person has saved
any line of a page, a rescan no longer changes its lines. The page text is derived: the student
lines' texts joined in order (:meth:`Lines.page_text`). A whole-page save (the page view, the
editor round trip) is split into line saves by :meth:`Lines.save_page_text`.

Public API: ``ws.lines`` (:class:`Lines`); :func:`apply_reading` for the OCR store.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from examkit.clock import now
from examkit.errors import NotFoundError, RevisionConflict, UserInputError
from examkit.line_geometry import align, between, bottom, box_around, cut, slot
from examkit.models import TYPED_ENGINE, Line, LineLayer, LineOrigin, PageLine, PageOCR, Point, TextSource

if TYPE_CHECKING:
    from examkit.workspace import Workspace

#: ``base`` for a save that does not care what came before (imports, ground truth).
ANY = -1
#: Outlines are kept within this many pixels when the page's size is not known.
MAX_COORD = 100_000

_CURRENT = """SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id
WHERE r.id IN (SELECT MAX(id) FROM line_revisions WHERE {where} GROUP BY line_id)
ORDER BY r.page_id, r.position, r.line_id"""

_FIELDS = ("position", "text", "polygon", "baseline", "layer", "words", "conf", "deleted")


class Lines:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- reading ----------------------------------------------------------------------------
    def current(self, page_id: int, *, include_deleted: bool = False) -> list[PageLine]:
        """The page's lines in order (their newest revisions)."""
        rows = self.ws.db.execute(_CURRENT.format(where="page_id = ?"), (page_id,))
        return [line for line in map(_line, rows) if include_deleted or not line.deleted]

    def get(self, line_id: int) -> PageLine:
        row = self.ws.db.execute(_CURRENT.format(where="line_id = ?"), (line_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no line {line_id} in {self.ws.root}")
        return _line(row)

    def history(self, line_id: int) -> list[PageLine]:
        """Every revision of a line, oldest first."""
        rows = self.ws.db.execute(
            "SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id WHERE r.line_id = ? ORDER BY r.id",
            (line_id,),
        )
        return [_line(r) for r in rows]

    def page_text(self, page_id: int, layer: LineLayer = "student") -> str:
        """The page's text: its lines of ``layer`` joined in order, one line of text per line."""
        return "\n".join(line.text for line in self.current(page_id) if line.layer == layer)

    def newest_by_person(self, page_id: int) -> PageLine | None:
        """The revision a person made last on the page (who saved the page last, and when)."""
        row = self.ws.db.execute(
            """SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id
               WHERE r.page_id = ? AND r.source != 'ocr' ORDER BY r.id DESC LIMIT 1""", (page_id,)).fetchone()
        return _line(row) if row else None

    def page_history(self, page_id: int) -> list[tuple[PageLine, str]]:
        """The page text after each save a person made, oldest first, with the save's newest
        line revision (who, when, and the id a restore names). One save is the revisions written
        together: same author and time stamp."""
        rows = self.ws.db.execute(
            "SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id WHERE r.page_id = ? ORDER BY r.id",
            (page_id,)).fetchall()
        state: dict[int, PageLine] = {}
        out: list[tuple[PageLine, str]] = []
        for k, row in enumerate(rows):
            line = state[row["line_id"]] = _line(row)
            following = rows[k + 1] if k + 1 < len(rows) else None
            if line.by_person and (following is None or (following["author"], following["created_at"]) !=
                                   (row["author"], row["created_at"])):
                shown = sorted((li for li in state.values() if not li.deleted and li.layer == "student"),
                               key=lambda li: (li.position, li.id))
                out.append((line, "\n".join(li.text for li in shown)))
        return out

    def unsaved(self, page_id: int) -> list[PageLine]:
        """The page's student lines nobody has saved yet (only the reader's text)."""
        return [li for li in self.current(page_id) if li.layer == "student" and not li.by_person]

    def nothing_read(self, page_id: int) -> bool:
        """The page has no line: the reader found none and nobody typed or drew one yet."""
        found = self.ws.db.execute(
            "SELECT 1 FROM line_revisions WHERE id IN (SELECT MAX(id) FROM line_revisions WHERE page_id = ? "
            "GROUP BY line_id) AND deleted = 0 LIMIT 1", (page_id,)).fetchone()
        return found is None

    def has_lines(self, page_id: int) -> bool:
        return self.ws.db.execute("SELECT 1 FROM lines WHERE page_id = ? LIMIT 1", (page_id,)).fetchone() is not None

    def page_version(self, page_id: int) -> int | None:
        """The newest revision a person made on the page (``None``: only a reader's lines).
        What a whole-page save names as its base."""
        row = self.ws.db.execute(
            "SELECT MAX(id) FROM line_revisions WHERE page_id = ? AND source != 'ocr'", (page_id,)
        ).fetchone()
        return row[0]

    # -- writing one line -------------------------------------------------------------------
    def save(
        self,
        line_id: int,
        *,
        base: int,
        text: str | None = None,
        polygon: list[Point] | None = None,
        baseline: list[Point] | None = None,
        layer: LineLayer | None = None,
        position: float | None = None,
        deleted: bool | None = None,
        source: TextSource = "review",
        author: str | None = None,
    ) -> PageLine:
        """A new revision of one line with the given fields changed, the rest kept.

        ``base`` is the line revision the editor started from; if the line has a newer one, nothing
        is written and :class:`RevisionConflict` is raised (``ANY`` skips the check). A person's
        save drops the reader's words and their flags: the person has read the line.
        """
        changes: dict[str, Any] = {"text": text, "polygon": polygon, "baseline": baseline, "layer": layer,
                                   "position": position, "deleted": deleted}
        with self.ws.transaction() as db:
            return self._save(db, line_id, base, changes, source, author or self.ws.config.author)

    def _save(self, db: sqlite3.Connection, line_id: int, base: int, changes: dict[str, Any], source: TextSource,
              author: str) -> PageLine:
        row = db.execute(_CURRENT.format(where="line_id = ?"), (line_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no line {line_id} in {self.ws.root}")
        current = _line(row)
        if base != ANY and base != current.revision:
            raise RevisionConflict(
                f"line {line_id} was saved elsewhere meanwhile (revision {current.revision}, yours was based on {base})",
                current_revision=current.revision,
            )
        _refuse_deleted(current)
        state = {name: getattr(current, name) for name in _FIELDS}
        state.update({k: v for k, v in changes.items() if v is not None})
        for name in ("polygon", "baseline"):
            if changes.get(name) is not None:
                state[name] = _clip(db, current.page_id, changes[name])
        if source != "ocr":
            state["words"] = []
        revision = _insert_revision(db, line_id, current.page_id, state, source, author, parent=current.revision)
        return _line(db.execute("SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id WHERE r.id = ?",
                                (revision,)).fetchone())

    def store_reading(self, line_id: int, reading: Line, *, base: int, engine: str) -> PageLine:
        """A reader's new reading of one line (re-read after its outline changed): its text,
        words and confidence, outline kept. A reader's revision: the line awaits a person again."""
        with self.ws.transaction() as db:
            return self._save(db, line_id, base, {"text": reading.text, "conf": reading.conf,
                                                  "words": [w.model_dump() for w in reading.words]}, "ocr", engine)

    def delete(self, line_id: int, *, base: int, author: str | None = None) -> PageLine:
        """Mark a line deleted (a revision like any other: the history keeps it)."""
        return self.save(line_id, base=base, deleted=True, author=author)

    def insert(
        self,
        page_id: int,
        text: str = "",
        *,
        after: int | None = None,
        before: int | None = None,
        polygon: list[Point] | None = None,
        baseline: list[Point] | None = None,
        layer: LineLayer = "student",
        source: TextSource = "review",
        author: str | None = None,
    ) -> PageLine:
        """A new line after line ``after`` (or before line ``before``; neither: at the end).

        Only the new line is written: the others keep their ids, revisions and texts.
        """
        with self.ws.transaction() as db:
            position = self._place(db, self._current(db, page_id), after=after, before=before)
            polygon = _clip(db, page_id, polygon or [])
            baseline = _clip(db, page_id, baseline) if baseline else None
            origin: LineOrigin = "drawn" if polygon else "typed"
            return self._new(db, page_id, origin, {"position": position, "text": text, "polygon": polygon or [],
                                                   "baseline": baseline or bottom(polygon or []), "layer": layer},
                             source, author or self.ws.config.author)

    def split(self, line_id: int, at: int, *, base: int, author: str | None = None,
              polygons: tuple[list[Point], list[Point]] | None = None) -> tuple[PageLine, PageLine]:
        """Split a line's text at character ``at``: the first part stays, the rest becomes a new
        line right after it. Outlines: ``polygons`` if given, else the box cut in two (top and
        bottom halves when it is taller than a line usually is, else left and right at the cut)."""
        author = author or self.ws.config.author
        with self.ws.transaction() as db:
            line = self.get(line_id)
            _refuse_deleted(line)
            if not 0 <= at <= len(line.text):
                raise UserInputError(f"line {line_id} has {len(line.text)} characters: it cannot be split at {at}")
            ordered = self._current(db, line.page_id)
            first_text, rest = line.text[:at].rstrip(), line.text[at:].lstrip()
            first_poly, second_poly = polygons or cut(line, at, ordered)
            kept = self._save(db, line_id, base, {"text": first_text, "polygon": first_poly,
                                                  "baseline": bottom(first_poly)}, "review", author)
            position = self._place(db, self._current(db, line.page_id), after=line_id)
            second_poly = _clip(db, line.page_id, second_poly)
            new = self._new(db, line.page_id, "drawn" if second_poly else "typed",
                            {"position": position, "text": rest, "polygon": second_poly,
                             "baseline": bottom(second_poly), "layer": line.layer}, "review", author)
        return self.get(kept.id), new

    def merge(self, line_id: int, other_id: int, *, base: int, other_base: int,
              author: str | None = None) -> PageLine:
        """Join ``other_id`` into ``line_id``: texts joined by a space, outline around both; the
        other line is marked deleted. Both bases are checked."""
        author = author or self.ws.config.author
        if line_id == other_id:
            raise UserInputError(f"line {line_id} cannot be joined with itself")
        with self.ws.transaction() as db:
            line, other = self.get(line_id), self.get(other_id)
            _refuse_deleted(line)
            if line.page_id != other.page_id:
                raise NotFoundError(f"lines {line_id} and {other_id} are not on one page")
            self._save(db, other_id, other_base, {"deleted": True}, "review", author)
            polygon = box_around([p for p in line.polygon + other.polygon])
            text = " ".join(t for t in (line.text.strip(), other.text.strip()) if t)
            return self._save(db, line_id, base, {"text": text, "polygon": polygon, "baseline": bottom(polygon)},
                              "review", author)

    def move(self, line_id: int, *, base: int, after: int | None = None, before: int | None = None,
             author: str | None = None) -> PageLine:
        """Put a line after line ``after`` (or before ``before``); only this line gets a revision."""
        author = author or self.ws.config.author
        with self.ws.transaction() as db:
            line = self.get(line_id)
            _refuse_deleted(line)
            ordered = [li for li in self._current(db, line.page_id) if li.id != line_id]
            return self._save(db, line_id, base, {"position": self._place(db, ordered, after=after, before=before)},
                              "review", author)

    # -- writing a whole page ---------------------------------------------------------------
    def save_page_text(self, page_id: int, text: str, *, base: int | None = ANY, source: TextSource = "review",
                       author: str | None = None) -> int | None:
        """Store a whole page's text as line saves; returns the page version afterwards.

        See :func:`write_page_text` for how lines are matched. ``base`` is the page version the text started from
        (:meth:`page_version`); a newer one refuses the save with :class:`RevisionConflict`.
        """
        author = author or self.ws.config.author
        with self.ws.transaction() as db:
            version = db.execute("SELECT MAX(id) FROM line_revisions WHERE page_id = ? AND source != 'ocr'",
                                 (page_id,)).fetchone()[0]
            if base != ANY and base != version:
                raise RevisionConflict(
                    f"page {page_id} was saved elsewhere meanwhile (revision {version}, yours was based on {base})",
                    current_revision=version,
                )
            write_page_text(db, page_id, text, source, author)
        return self.page_version(page_id)

    # -- internals --------------------------------------------------------------------------
    def _current(self, db: sqlite3.Connection, page_id: int) -> list[PageLine]:
        return [li for li in map(_line, db.execute(_CURRENT.format(where="page_id = ?"), (page_id,))) if not li.deleted]

    def _place(self, db: sqlite3.Connection, ordered: list[PageLine], *, after: int | None = None,
               before: int | None = None) -> float:
        """A position for a line after ``after`` (or before ``before``) that no other line has.

        Positions are halved between neighbours; after about 50 lines put at one place the halves
        meet (floats run out of digits) and the order would flip. Then the page's lines are
        renumbered first: each gets a revision with only its position changed, written as by
        whoever wrote the line's newest revision (a reader's line stays a reader's line).
        """
        position = slot(ordered, after=after, before=before)
        if all(li.position != position for li in ordered):
            return position
        for index, line in enumerate(ordered):
            state = {name: getattr(line, name) for name in _FIELDS} | {
                "position": float(index + 1), "words": [w.model_dump() for w in line.words]}
            _insert_revision(db, line.id, line.page_id, state, line.source, line.author, parent=line.revision)
        renumbered = [li.model_copy(update={"position": float(index + 1)}) for index, li in enumerate(ordered)]
        return slot(renumbered, after=after, before=before)

    def _new(self, db: sqlite3.Connection, page_id: int, origin: LineOrigin, state: dict[str, Any],
             source: TextSource, author: str) -> PageLine:
        line_id = _insert_line(db, page_id, origin, None)
        revision = _insert_revision(db, line_id, page_id, state, source, author, parent=None)
        return _line(db.execute("SELECT r.*, l.origin FROM line_revisions r JOIN lines l ON l.id = r.line_id WHERE r.id = ?",
                                (revision,)).fetchone())


def apply_reading(db: sqlite3.Connection, page_id: int, reading_id: int, result: PageOCR, *,
                  stamp: str | None = None) -> bool:
    """Make a stored reading the page's lines (inside the caller's transaction).

    The reader's earlier lines are marked deleted and its new ones added; a page on which a
    person saved anything keeps its lines (the reading is still stored). Returns whether the
    lines were replaced.
    """
    if db.execute("SELECT 1 FROM line_revisions WHERE page_id = ? AND source != 'ocr' LIMIT 1", (page_id,)).fetchone():
        return False
    for row in db.execute(_CURRENT.format(where="page_id = ?"), (page_id,)).fetchall():
        if not row["deleted"]:
            state = {name: row[name] for name in _FIELDS} | {"deleted": 1}
            _insert_revision(db, row["line_id"], page_id, state, "ocr", result.engine, parent=row["id"], raw=True,
                             stamp=stamp)
    origin: LineOrigin = "typed" if result.engine == TYPED_ENGINE else "detected"
    for index, line in enumerate(result.lines):
        x0, y0, x1, y1 = line.bbox
        has_box = bool(line.polygon) or (x1 > x0 and y1 > y0)
        line_id = _insert_line(db, page_id, origin, reading_id, stamp=stamp)
        _insert_revision(db, line_id, page_id, {
            "position": float(index + 1), "text": line.text, "polygon": line.outline() if has_box else [],
            "baseline": line.base() if has_box else [], "layer": line.layer, "conf": line.conf,
            "words": [w.model_dump() for w in line.words]}, "ocr", result.engine, parent=None, stamp=stamp)
    return True


def write_page_text(db: sqlite3.Connection, page_id: int, text: str, source: str, author: str,
                    stamp: str | None = None) -> None:
    """Lay a whole page's text over its student lines (inside the caller's transaction).

    Equal stretches keep their lines; within a changed stretch text lines are paired with lines by
    :func:`align`, so a line inserted above others never pushes their texts down onto the wrong
    images. A paired line whose text differs (or that only a reader wrote) gets a revision; an
    unpaired line is marked deleted; an unpaired text line becomes a typed line at its place.
    All revisions of one save share one time stamp.
    """
    stamp = stamp or now()
    rows = db.execute(_CURRENT.format(where="page_id = ?"), (page_id,)).fetchall()
    lines = [li for li in map(_line, rows) if not li.deleted and li.layer == "student"]
    new = text.split("\n") if text else []

    def revise(line: PageLine, changes: dict[str, Any]) -> None:
        state = {name: getattr(line, name) for name in _FIELDS} | changes | {"words": []}
        _insert_revision(db, line.id, page_id, state, source, author, parent=line.revision, stamp=stamp)

    matcher = difflib.SequenceMatcher(None, [li.text for li in lines], new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = align([li.text for li in lines[i1:i2]], new[j1:j2]) if op != "insert" else []
        by_new = {j: i for i, j in enumerate(pairs) if j is not None}
        previous = lines[i1 - 1].position if i1 > 0 else None
        for k in range(j2 - j1):
            if k in by_new:
                i = by_new[k]
                line = lines[i1 + i]
                if line.text != new[j1 + k] or not line.by_person:
                    revise(line, {"text": new[j1 + k]})
                previous = line.position
                continue
            following = next((lines[i1 + i].position for i in range(len(pairs)) if (pair := pairs[i]) is not None and pair > k),
                             lines[i2].position if i2 < len(lines) else None)
            position = between(previous, following)
            line_id = _insert_line(db, page_id, "typed", None, stamp=stamp)
            _insert_revision(db, line_id, page_id, {"position": position, "text": new[j1 + k], "layer": "student"},
                             source, author, parent=None, stamp=stamp)
            previous = position
        for i, j in enumerate(pairs):
            if j is None:
                revise(lines[i1 + i], {"deleted": True})


def _insert_line(db: sqlite3.Connection, page_id: int, origin: LineOrigin, reading_id: int | None,
                 stamp: str | None = None) -> int:
    cur = db.execute("INSERT INTO lines (page_id, origin, ocr_result_id, created_at) VALUES (?, ?, ?, ?)",
                     (page_id, origin, reading_id, stamp or now()))
    return int(cur.lastrowid or 0)


def _insert_revision(db: sqlite3.Connection, line_id: int, page_id: int, state: dict[str, Any], source: str,
                     author: str, *, parent: int | None, raw: bool = False, stamp: str | None = None) -> int:
    """One row of ``line_revisions``; ``raw``: polygon/baseline/words are already JSON text."""
    def encoded(name: str) -> str:
        value = state.get(name, [])
        return value if raw else json.dumps([list(p) for p in value] if name != "words" else value,
                                            ensure_ascii=False)

    cur = db.execute(
        """INSERT INTO line_revisions (line_id, page_id, position, text, polygon, baseline, layer, words, conf,
                                       deleted, source, author, parent_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (line_id, page_id, float(state["position"]), state.get("text", ""), encoded("polygon"), encoded("baseline"),
         state.get("layer", "student"), encoded("words"), float(state.get("conf", -1)), int(bool(state.get("deleted"))),
         source, author, parent, stamp or now()),
    )
    return int(cur.lastrowid or 0)


def _line(row: sqlite3.Row) -> PageLine:
    return PageLine(
        id=row["line_id"], page_id=row["page_id"], revision=row["id"], position=row["position"], text=row["text"],
        polygon=[tuple(p) for p in json.loads(row["polygon"])], baseline=[tuple(p) for p in json.loads(row["baseline"])],
        layer=row["layer"], origin=row["origin"], words=json.loads(row["words"]), conf=row["conf"],
        deleted=bool(row["deleted"]), source=row["source"], author=row["author"], created_at=row["created_at"],
    )


def _refuse_deleted(line: PageLine) -> None:
    """A deleted line is never changed again: a save on it would be stored but shown nowhere."""
    if line.deleted:
        raise RevisionConflict(f"line {line.id} was deleted (revision {line.revision})", current_revision=line.revision)


def _clip(db: sqlite3.Connection, page_id: int, points: list[Point]) -> list[Point]:
    """``points`` moved onto the page (its stored size; :data:`MAX_COORD` when that is unknown):
    an outline far off the page would make re-reading it decode a gigantic image."""
    row = db.execute("SELECT width, height FROM pages WHERE id = ?", (page_id,)).fetchone()
    width, height = (row["width"], row["height"]) if row and row["width"] and row["height"] else (MAX_COORD, MAX_COORD)
    return [(min(max(int(x), 0), width - 1), min(max(int(y), 0), height - 1)) for x, y in points]
