"""The one rule for "a person confirmed this page's text" (training data, counts, ground truth).

Training data must be what a teacher confirmed, never raw OCR: a model trained on OCR noise
learns to grade noise. Export (``export chat/csv/xlsx``, ``export ocr-gt``), ``ocr status`` and
the review page's overview all ask this module, so "reviewed" means the same everywhere.

A page is confirmed when

- a person saved its text: every line of its student text was saved by a person (in the line
  editor, or all at once as a page text: ``review`` in the review page, ``import`` from ``review
  import`` or a teacher's sheet via ``export import``, ``ground-truth`` typed in by a person);
  a page where some lines are still only the reader's is not confirmed yet, or
- a person marked it reviewed (the newest review mark is "reviewed"), or
- the document is typed (``.txt``/``.docx``): its text is what the student wrote, no OCR involved.

Whichever of the two person actions is newer decides: a page whose text was saved and then
explicitly marked *not* reviewed is not confirmed. Plain OCR text is never confirmed.

``make demo`` stores the samples' exact transcriptions with the source ``ground-truth`` (author
``demo: ground truth``); they count as confirmed, because they stand in for a teacher's review of
every page and are exactly what a reviewer would have typed (see ``scripts/demo.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from examkit.models import TYPED_ENGINE, ConfirmedLine, Page

if TYPE_CHECKING:
    from examkit.workspace import Workspace

#: Text revision sources a person wrote (``ocr`` is the machine's).
PERSON_SOURCES = frozenset({"review", "import", "ground-truth"})

How = Literal["saved", "marked", "typed"]


@dataclass(frozen=True)
class PageConfirmation:
    """Whether and how a page's text was confirmed, and which stored text that is.

    ``text_revision`` is the newest text revision (``None``: the text is the OCR reading
    ``ocr_result``), so an export can name exactly what each record was built from.
    """

    page_id: int
    number: int
    how: How | None
    text_revision: int | None
    ocr_result: int | None

    @property
    def confirmed(self) -> bool:
        return self.how is not None

    def trace(self) -> dict[str, int | str | None]:
        """What this page's text was built from, for export manifests."""
        return {"page": self.number, "text_revision": self.text_revision, "ocr_result": self.ocr_result,
                "confirmed": self.how}


def page_confirmation(ws: Workspace, page: Page) -> PageConfirmation:
    """The rule of this module for one page (see the module docstring)."""
    text = ws.revisions.latest_text(page.id)
    ocr_id, engine = _latest_reading(ws, page.id)
    mark = ws.db.execute(
        "SELECT reviewed, created_at FROM page_reviews WHERE page_id = ? ORDER BY id DESC LIMIT 1", (page.id,)
    ).fetchone()
    how: How | None = None
    saved = text is not None and text.source in PERSON_SOURCES and not ws.lines.unsaved(page.id)
    saved_at = text.created_at.isoformat(timespec="microseconds") if saved and text else None
    if mark is not None and (saved_at is None or mark["created_at"] >= saved_at):
        how = "marked" if mark["reviewed"] else None
    elif saved_at is not None:
        how = "saved"
    elif text is None and engine == TYPED_ENGINE:
        how = "typed"
    return PageConfirmation(page.id, page.number, how, text.id if text else None, ocr_id)


def is_confirmed(ws: Workspace, page: Page) -> bool:
    return page_confirmation(ws, page).confirmed


def confirmed_lines(ws: Workspace) -> list[ConfirmedLine]:
    """Lines whose text a person saved or confirmed, with outline, baseline and page image.

    A line counts when its newest revision was made by a person (saved in the review, imported,
    ground truth), or when its page is confirmed (marked reviewed, or typed); empty lines never
    do. What OCR ground truth is written from, what a handwriting reader trains on, and what the
    reader's language model learns the class's words from.
    """
    pages = ws.documents.every_page()
    out = []
    for page_id in sorted(_pages_a_person_touched(ws)):
        whole: bool | None = None
        for line in ws.lines.current(page_id):
            if not line.text.strip():
                continue
            if not line.by_person:
                whole = is_confirmed(ws, pages[page_id]) if whole is None else whole
                if not whole:
                    continue
            page = pages[page_id]
            out.append(ConfirmedLine(
                document_id=page.document_id, page_id=line.page_id, page_number=page.number, line_id=line.id,
                revision=line.revision, polygon=line.polygon, baseline=line.baseline, layer=line.layer,
                text=line.text, image=page.image))
    out.sort(key=lambda c: (c.document_id, c.page_number))  # stable: line order within a page kept
    return out


def _pages_a_person_touched(ws: Workspace) -> set[int]:
    """The only pages that can hold a confirmed line: a person saved a line or a page text there,
    marked it, or it is typed. The rest is a reader's text nobody looked at (in an archive, most
    pages): skipping them keeps this quick at 10⁵ pages."""
    rows = ws.db.execute(
        """SELECT page_id FROM line_revisions WHERE source != 'ocr'
           UNION SELECT page_id FROM text_revisions WHERE layer = 'student'
           UNION SELECT page_id FROM page_reviews
           UNION SELECT p.id FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.typed = 1
           UNION SELECT page_id FROM ocr_results WHERE engine = ?""", (TYPED_ENGINE,))
    return {row[0] for row in rows}


def document_confirmation(ws: Workspace, document_id: str) -> list[PageConfirmation]:
    """Every page's confirmation, in page order."""
    return [page_confirmation(ws, page) for page in ws.documents.pages(document_id)]


def unconfirmed_pages(ws: Workspace, document_id: str) -> list[int]:
    """Numbers of the pages of a document nobody confirmed (empty: the whole document is)."""
    return [c.number for c in document_confirmation(ws, document_id) if not c.confirmed]


def _latest_reading(ws: Workspace, page_id: int) -> tuple[int | None, str | None]:
    row = ws.db.execute(
        "SELECT id, engine FROM ocr_results WHERE page_id = ? ORDER BY id DESC LIMIT 1", (page_id,)
    ).fetchone()
    return (row["id"], row["engine"]) if row else (None, None)
