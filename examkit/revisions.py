"""What people wrote: page texts, analyses, exam sheets, review marks. Append-only.

Every save is a new row; nothing is updated or deleted (triggers in the schema enforce it). A save
names the revision it was based on; if a newer one exists by then, the save is refused with
:class:`RevisionConflict` so two tabs or an editor round trip can never overwrite each other
silently.

A page's student text lives in its lines (:mod:`examkit.lines`): a page-text save here is split
into line saves, and the page's "revision" is its newest line revision a person made (its id is
the base of the next whole-page save). Pages without lines (nothing read, or no reading at all)
read as the OCR text. The teacher layer's page texts are page revisions as before; the page
revisions written before lines existed stay readable in :meth:`Revisions.texts`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal

from examkit.clock import now
from examkit.errors import RevisionConflict
from examkit.models import AnalysisRevision, AnalysisSource, Layer, TextRevision, TextSource

if TYPE_CHECKING:
    from examkit.workspace import Workspace

#: ``base`` for a save that does not care what came before (imports, ground truth).
ANY = -1


class Revisions:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- page texts -------------------------------------------------------------------------
    def add_text(
        self,
        page_id: int,
        text: str,
        *,
        layer: Layer = "student",
        source: TextSource = "review",
        author: str | None = None,
        base: int | None = ANY,
    ) -> TextRevision:
        """Save a page text as a new revision.

        ``base`` is the revision id the editor started from (``None``: it started from the OCR
        text, no revision yet). If the newest revision is another one, nothing is written and
        :class:`RevisionConflict` is raised. ``ANY`` skips the check.
        """
        author = author or self.ws.config.author
        if layer == "student":
            self.ws.lines.save_page_text(page_id, text, base=base, source=source, author=author)
            history = self.texts(page_id)  # the whole history: the new revision names its parent
            latest = history[-1] if history else None
            if latest is None:  # a reader's text stored as lines (source "ocr"): nobody's revision
                newest = max((li.revision for li in self.ws.lines.current(page_id, include_deleted=True)), default=0)
                return TextRevision(id=newest, page_id=page_id, layer=layer, text=self.ws.lines.page_text(page_id),
                                    source=source, author=author, created_at=now())
            return latest
        with self.ws.transaction() as db:
            latest_id = _newest(
                db, "SELECT id FROM text_revisions WHERE page_id = ? AND layer = ? ORDER BY id DESC LIMIT 1",
                (page_id, layer), base=base, what=f"page {page_id}",
            )
            cur = db.execute(
                """INSERT INTO text_revisions (page_id, layer, text, source, author, parent_id, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (page_id, layer, text, source, author, latest_id, now()),
            )
            row = db.execute("SELECT * FROM text_revisions WHERE id = ?", (cur.lastrowid,)).fetchone()
        return TextRevision(**dict(row))

    def texts(self, page_id: int, layer: Layer = "student") -> list[TextRevision]:
        """The revisions of a page's text, oldest first (the history); for the student layer the
        page text after each save a person made to its lines."""
        rows = self.ws.db.execute(
            "SELECT * FROM text_revisions WHERE page_id = ? AND layer = ? ORDER BY id", (page_id, layer)
        )
        if layer != "student":
            return [TextRevision(**dict(r)) for r in rows]
        history, parent = [], None
        for newest, text in self.ws.lines.page_history(page_id):
            history.append(TextRevision(id=newest.revision, page_id=page_id, layer=layer, text=text, source=newest.source,
                                        author=newest.author, parent_id=parent, created_at=newest.created_at))
            parent = newest.revision
        return history

    def latest_text(self, page_id: int, layer: Layer = "student") -> TextRevision | None:
        """The page's text as a person last saved it (``None``: nobody has yet)."""
        if layer == "student":
            newest = self.ws.lines.newest_by_person(page_id)
            if newest is None:
                return None
            return TextRevision(id=newest.revision, page_id=page_id, layer=layer, text=self.ws.lines.page_text(page_id),
                                source=newest.source, author=newest.author, created_at=newest.created_at)
        row = self.ws.db.execute(
            "SELECT * FROM text_revisions WHERE page_id = ? AND layer = ? ORDER BY id DESC LIMIT 1",
            (page_id, layer),
        ).fetchone()
        return TextRevision(**dict(row)) if row else None

    def page_text(
        self, page_id: int, *, source: Literal["best", "ocr", "reviewed"] = "best", layer: Layer = "student"
    ) -> str | None:
        """A page's text: ``reviewed`` (newest revision), ``ocr`` (newest reading), or ``best``
        (reviewed where it exists, else OCR). ``None`` when the asked-for kind does not exist."""
        if layer == "student" and source != "ocr" and self.ws.lines.has_lines(page_id):
            if source == "reviewed" and self.ws.lines.page_version(page_id) is None:
                return None
            return self.ws.lines.page_text(page_id)
        if source in ("best", "reviewed"):
            revision = self.latest_text(page_id, layer)
            if revision is not None:
                return revision.text
            if source == "reviewed":
                return None
        reading = self.ws.documents.latest_ocr(page_id)
        if reading is None:
            return None
        return reading.teacher_text if layer == "teacher" else reading.text

    def document_text(
        self, document_id: str, *, source: Literal["best", "ocr", "reviewed"] = "best", layer: Layer = "student"
    ) -> str | None:
        """All pages' texts joined by form feeds (``\\f``), or ``None`` when no page has one."""
        texts = [self.page_text(p.id, source=source, layer=layer) for p in self.ws.documents.pages(document_id)]
        if all(t is None for t in texts):
            return None
        return "\f".join(t or "" for t in texts)

    # -- review marks -----------------------------------------------------------------------
    def mark_reviewed(self, page_id: int, reviewed: bool = True, *, author: str | None = None) -> None:
        with self.ws.transaction() as db:
            db.execute(
                "INSERT INTO page_reviews (page_id, reviewed, author, created_at) VALUES (?, ?, ?, ?)",
                (page_id, int(reviewed), author or self.ws.config.author, now()),
            )

    def is_reviewed(self, page_id: int) -> bool:
        row = self.ws.db.execute(
            "SELECT reviewed FROM page_reviews WHERE page_id = ? ORDER BY id DESC LIMIT 1", (page_id,)
        ).fetchone()
        return bool(row[0]) if row else False

    # -- analyses ---------------------------------------------------------------------------
    def add_analysis(
        self,
        document_id: str,
        text: str,
        *,
        sheet: dict | None = None,
        source: AnalysisSource = "teacher",
        author: str | None = None,
        model: str | None = None,
        base: int | None = ANY,
    ) -> AnalysisRevision:
        """Save an analysis of a document as a new revision (same ``base`` rule as :meth:`add_text`).

        Drafts (``source="draft"``) are machine-written: they are stored for the teacher to correct
        and never count as training data until a person saves a revision of their own.
        """
        author = author or (model if source == "draft" and model else self.ws.config.author)
        with self.ws.transaction() as db:
            latest_id = _newest(
                db, "SELECT id FROM analysis_revisions WHERE document_id = ? ORDER BY id DESC LIMIT 1",
                (document_id,), base=base, what=f"the analysis of {document_id}",
            )
            cur = db.execute(
                """INSERT INTO analysis_revisions (document_id, text, sheet, source, author, model, parent_id, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (document_id, text, json.dumps(sheet, ensure_ascii=False) if sheet is not None else None,
                 source, author, model, latest_id, now()),
            )
            row = db.execute("SELECT * FROM analysis_revisions WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _analysis(row)

    def analyses(self, document_id: str) -> list[AnalysisRevision]:
        rows = self.ws.db.execute(
            "SELECT * FROM analysis_revisions WHERE document_id = ? ORDER BY id", (document_id,)
        )
        return [_analysis(r) for r in rows]

    def latest_analysis(self, document_id: str, *, include_drafts: bool = False) -> AnalysisRevision | None:
        """The newest analysis a person saved (or imported); with ``include_drafts`` also drafts."""
        sql = "SELECT * FROM analysis_revisions WHERE document_id = ?"
        if not include_drafts:
            sql += " AND source != 'draft'"
        row = self.ws.db.execute(sql + " ORDER BY id DESC LIMIT 1", (document_id,)).fetchone()
        return _analysis(row) if row else None

    # -- exam sheets (tasks and maxima, entered once per exam) -------------------------------
    def set_exam_sheet(self, exam: str, sheet: dict, *, author: str | None = None) -> int:
        with self.ws.transaction() as db:
            cur = db.execute(
                "INSERT INTO exam_sheets (exam, sheet, author, created_at) VALUES (?, ?, ?, ?)",
                (exam, json.dumps(sheet, ensure_ascii=False), author or self.ws.config.author, now()),
            )
        return int(cur.lastrowid or 0)

    def exam_sheet(self, exam: str) -> dict | None:
        row = self.ws.db.execute(
            "SELECT sheet FROM exam_sheets WHERE exam = ? ORDER BY id DESC LIMIT 1", (exam,)
        ).fetchone()
        return json.loads(row[0]) if row else None


def _newest(db, sql: str, args: tuple, *, base: int | None, what: str) -> int | None:
    """The newest revision id (inside the caller's write transaction); a save based on another
    one is refused, unless ``base`` is :data:`ANY`."""
    row = db.execute(sql, args).fetchone()
    latest_id = row[0] if row else None
    if base != ANY and base != latest_id:
        raise RevisionConflict(
            f"{what} was saved elsewhere meanwhile (revision {latest_id}, yours was based on {base})",
            current_revision=latest_id,
        )
    return latest_id


def _analysis(row) -> AnalysisRevision:
    data = dict(row)
    data["sheet"] = json.loads(data["sheet"]) if data["sheet"] else None
    return AnalysisRevision(**data)
