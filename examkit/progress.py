"""How far a document has come: pages, pages read, pages on which nothing was read, pages confirmed.

One rule for ``ocr status`` and the review overview, which both show it for every document; cheap
queries only (no reading is parsed), since an archive has 10⁵ pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from examkit.confirmation import is_confirmed

if TYPE_CHECKING:
    from examkit.workspace import Workspace


@dataclass(frozen=True)
class Progress:
    pages: int
    read: int  #: pages with a reading
    empty: int  #: read pages without a line: nobody typed or drew one yet ("nichts erkannt")
    reviewed: int  #: pages a person confirmed (examkit.confirmation)
    first_page: int | None


def document_progress(ws: Workspace, document_id: str) -> Progress:
    pages = ws.documents.pages(document_id)
    read = [p for p in pages if ws.documents.has_reading(p.id)]
    return Progress(pages=len(pages), read=len(read), empty=sum(1 for p in read if ws.lines.nothing_read(p.id)),
                    reviewed=sum(1 for p in pages if is_confirmed(ws, p)), first_page=pages[0].id if pages else None)
