"""The one rule for a confirmed page: a person saved its text or marked it reviewed."""

from __future__ import annotations

from examkit.confirmation import document_confirmation, is_confirmed, page_confirmation, unconfirmed_pages
from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import Workspace


def _scanned(ws: Workspace, doc_id: str = "E/anna", *, engine: str = "tesseract", pages: int = 1):
    ws.documents.upsert(Document(id=doc_id, exam="E", source=f"{doc_id}.pdf", typed=engine == "typed"))
    out = []
    for number in range(1, pages + 1):
        page = ws.documents.set_page(doc_id, number)
        line = Line(words=[Word(text="Refornation", conf=40, bbox=(0, 0, 10, 10))], bbox=(0, 0, 10, 10))
        ws.documents.add_ocr(page.id, PageOCR(engine=engine, lines=[line]))
        out.append(page)
    return out


def test_plain_ocr_is_not_confirmed(ws: Workspace) -> None:
    (page,) = _scanned(ws)
    state = page_confirmation(ws, page)
    assert state.how is None
    assert state.text_revision is None
    assert state.ocr_result is not None


def test_text_saved_by_a_person_confirms(ws: Workspace) -> None:
    for source in ("review", "import", "ground-truth"):
        (page,) = _scanned(ws, f"E/{source}")
        ws.revisions.add_text(page.id, "Reformation", source=source)
        assert page_confirmation(ws, page).how == "saved", source


def test_an_ocr_revision_does_not_confirm(ws: Workspace) -> None:
    (page,) = _scanned(ws)
    ws.revisions.add_text(page.id, "Refornation", source="ocr")
    assert not is_confirmed(ws, page)


def test_marked_reviewed_confirms_and_the_newer_action_decides(ws: Workspace) -> None:
    (page,) = _scanned(ws)
    ws.revisions.mark_reviewed(page.id)
    assert page_confirmation(ws, page).how == "marked"
    ws.revisions.add_text(page.id, "Reformation", source="review")
    assert page_confirmation(ws, page).how == "saved"
    ws.revisions.mark_reviewed(page.id, False)
    assert page_confirmation(ws, page).how is None
    ws.revisions.add_text(page.id, "Reformation!", source="review")
    assert page_confirmation(ws, page).how == "saved"


def test_typed_documents_are_confirmed(ws: Workspace) -> None:
    (page,) = _scanned(ws, engine="typed")
    assert page_confirmation(ws, page).how == "typed"


def test_a_document_is_confirmed_only_when_every_page_is(ws: Workspace) -> None:
    first, second = _scanned(ws, pages=2)
    ws.revisions.mark_reviewed(first.id)
    assert unconfirmed_pages(ws, "E/anna") == [2]
    ws.revisions.add_text(second.id, "Reformation", source="review")
    assert unconfirmed_pages(ws, "E/anna") == []
    assert [c.trace()["confirmed"] for c in document_confirmation(ws, "E/anna")] == ["marked", "saved"]
