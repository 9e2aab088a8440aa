"""Documents, their pages, OCR results and recorded failures.

Written by intake and OCR, read by review and export. OCR results are append-only: a re-run
(``--force``) adds a newer result and never touches what people wrote. Storing a reading makes it
the page's lines (:func:`examkit.lines.apply_reading`) unless a person already saved some.
A failure's reason may quote a service and is stored with the API key masked.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING

from examkit.clock import now
from examkit.errors import NotFoundError
from examkit.lines import apply_reading
from examkit.models import Document, Failure, Page, PageOCR
from examkit.service_messages import redact

if TYPE_CHECKING:
    from examkit.workspace import Workspace


class Documents:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- documents --------------------------------------------------------------------------
    def upsert(self, doc: Document) -> Document:
        """Add a document, or update where it comes from (a rescan of the same id)."""
        stamp = now()
        with self.ws.transaction() as db:
            db.execute(
                """INSERT INTO documents (id, exam, kind, source, source_hash, typed, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET exam=excluded.exam, kind=excluded.kind,
                     source=excluded.source, source_hash=excluded.source_hash, typed=excluded.typed,
                     updated_at=excluded.updated_at""",
                (doc.id, doc.exam, doc.kind, doc.source, doc.source_hash, int(doc.typed), stamp, stamp),
            )
        return self.get(doc.id)

    def get(self, document_id: str) -> Document:
        row = self.ws.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document {document_id!r} in {self.ws.root}", advice="See `examkit ocr status` for the ids.")
        return _document(row)

    def find(self, document_id: str) -> Document | None:
        row = self.ws.db.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return _document(row) if row else None

    def list(self, *, exam: str | None = None, kind: str | None = None) -> list[Document]:
        sql, args = "SELECT * FROM documents WHERE 1=1", []
        if exam is not None:
            sql += " AND exam = ?"
            args.append(exam)
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        return [_document(r) for r in self.ws.db.execute(sql + " ORDER BY id", args)]

    def exams(self) -> builtins.list[str]:
        return [r[0] for r in self.ws.db.execute("SELECT DISTINCT exam FROM documents ORDER BY exam")]

    def task_sheet(self, exam: str) -> Document | None:
        """The exam's task sheet document, if one was found."""
        row = self.ws.db.execute(
            "SELECT * FROM documents WHERE exam = ? AND kind = 'task' ORDER BY id LIMIT 1", (exam,)
        ).fetchone()
        return _document(row) if row else None

    # -- pages ------------------------------------------------------------------------------
    def set_page(
        self,
        document_id: str,
        number: int,
        *,
        image: str = "",
        original: str = "",
        width: int = 0,
        height: int = 0,
        source_hash: str = "",
    ) -> Page:
        """Create page ``number`` of a document, or update its image paths (same page id)."""
        with self.ws.transaction() as db:
            return _set_page(db, document_id, number, image, original, width, height, source_hash)

    def store_page_ocr(
        self,
        document_id: str,
        number: int,
        result: PageOCR,
        *,
        image: str = "",
        original: str = "",
        width: int = 0,
        height: int = 0,
        source_hash: str = "",
    ) -> Page:
        """Set a page and add its OCR reading in one transaction.

        A scan killed between the two can then never leave a page whose hash says "done" but
        whose reading is missing (or belongs to the previous content).
        """
        with self.ws.transaction() as db:
            page = _set_page(db, document_id, number, image, original, width, height, source_hash)
            _add_ocr(db, page.id, result)
        return page

    def pages(self, document_id: str) -> builtins.list[Page]:
        rows = self.ws.db.execute("SELECT * FROM pages WHERE document_id = ? ORDER BY number", (document_id,))
        return [_page(r) for r in rows]

    def every_page(self) -> dict[int, Page]:
        """Every page of the workspace by id."""
        return {r["id"]: _page(r) for r in self.ws.db.execute("SELECT * FROM pages")}

    def page(self, page_id: int) -> Page:
        row = self.ws.db.execute("SELECT * FROM pages WHERE id = ?", (page_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no page {page_id} in {self.ws.root}")
        return _page(row)

    # -- OCR results ------------------------------------------------------------------------
    def add_ocr(self, page_id: int, result: PageOCR) -> int:
        """Store one engine's reading of a page (append-only); returns its id."""
        with self.ws.transaction() as db:
            return _add_ocr(db, page_id, result)

    def has_margin_notes(self, document_id: str) -> bool:
        """Whether the newest reading of any page of the document holds a teacher's margin note
        (asked in SQL, so the overview parses no reading of a page without red ink)."""
        return self.ws.db.execute(
            """SELECT 1 FROM pages p JOIN ocr_results o ON o.id = (SELECT MAX(id) FROM ocr_results WHERE page_id = p.id)
               WHERE p.document_id = ? AND EXISTS (SELECT 1 FROM json_each(o.data, '$.marks') m
                                                   WHERE json_extract(m.value, '$.kind') = 'margin') LIMIT 1""",
            (document_id,)).fetchone() is not None

    def has_reading(self, page_id: int) -> bool:
        return self.ws.db.execute("SELECT 1 FROM ocr_results WHERE page_id = ? LIMIT 1", (page_id,)).fetchone() is not None

    def reading_id(self, document_id: str, number: int) -> int | None:
        """The id of the newest OCR reading of a page (None: none yet); a new reading changes it."""
        row = self.ws.db.execute(
            "SELECT MAX(o.id) FROM ocr_results o JOIN pages p ON p.id = o.page_id WHERE p.document_id = ? AND p.number = ?",
            (document_id, number),
        ).fetchone()
        return row[0]

    def latest_ocr(self, page_id: int) -> PageOCR | None:
        row = self.ws.db.execute(
            "SELECT data FROM ocr_results WHERE page_id = ? ORDER BY id DESC LIMIT 1", (page_id,)
        ).fetchone()
        return PageOCR.model_validate_json(row[0]) if row else None

    # -- failures ---------------------------------------------------------------------------
    def record_failure(self, stage: str, path: str, reason: str, *, document_id: str | None = None) -> None:
        """Remember that ``path`` failed in ``stage`` (shown by ``ocr status``, retried on rerun)."""
        with self.ws.transaction() as db:
            db.execute(
                "UPDATE failures SET resolved_at = ? WHERE stage = ? AND path = ? AND resolved_at IS NULL",
                (now(), stage, path),
            )
            db.execute(
                "INSERT INTO failures (stage, path, document_id, reason, created_at) VALUES (?, ?, ?, ?, ?)",
                (stage, path, document_id, redact(reason), now()),
            )

    def resolve_failures(self, stage: str, path: str) -> None:
        """Mark earlier failures of ``path`` as resolved (it went through this time)."""
        with self.ws.transaction() as db:
            db.execute(
                "UPDATE failures SET resolved_at = ? WHERE stage = ? AND path = ? AND resolved_at IS NULL",
                (now(), stage, path),
            )

    def failures(self, stage: str | None = None) -> builtins.list[Failure]:
        """Open (unresolved) failures, oldest first."""
        sql, args = "SELECT * FROM failures WHERE resolved_at IS NULL", []
        if stage:
            sql += " AND stage = ?"
            args.append(stage)
        rows = self.ws.db.execute(sql + " ORDER BY id", args)
        return [Failure(**{k: r[k] for k in r.keys() if k != "resolved_at"}) for r in rows]


def _document(row) -> Document:
    data = dict(row)
    data["typed"] = bool(data["typed"])
    data.pop("updated_at", None)
    return Document(**data)


def _page(row) -> Page:
    data = dict(row)
    data.pop("created_at", None)
    return Page(**data)



def _set_page(db, document_id: str, number: int, image: str, original: str, width: int, height: int,
              source_hash: str) -> Page:
    db.execute(
        """INSERT INTO pages (document_id, number, image, original, width, height, source_hash, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(document_id, number) DO UPDATE SET image=excluded.image,
             original=excluded.original, width=excluded.width, height=excluded.height,
             source_hash=excluded.source_hash""",
        (document_id, number, image, original, width, height, source_hash, now()),
    )
    row = db.execute("SELECT * FROM pages WHERE document_id = ? AND number = ?", (document_id, number)).fetchone()
    return _page(row)


def _add_ocr(db, page_id: int, result: PageOCR) -> int:
    cur = db.execute(
        "INSERT INTO ocr_results (page_id, engine, data, created_at) VALUES (?, ?, ?, ?)",
        (page_id, result.engine, result.model_dump_json(), now()),
    )
    apply_reading(db, page_id, int(cur.lastrowid), result)
    return int(cur.lastrowid)
