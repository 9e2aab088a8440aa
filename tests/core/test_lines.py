"""Lines as workspace entities: ids bind text to outline; saves per line; the 0002 migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from examkit.confirmation import confirmed_lines, is_confirmed
from examkit.errors import RevisionConflict
from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import DB_NAME, Workspace

OLD_DUMP = Path(__file__).parent / "data" / "workspace_0001.sql"


def _line(text: str, y: int, *, flagged: bool = False) -> Line:
    words = [Word(text=t, conf=40.0, bbox=(100 + 60 * i, y, 150 + 60 * i, y + 40), flagged=flagged)
             for i, t in enumerate(text.split())]
    return Line(words=words, bbox=(100, y, 100 + 60 * len(words), y + 40))


def _page(ws: Workspace, texts: list[str], doc_id: str = "LK/anna") -> int:
    ws.documents.upsert(Document(id=doc_id, exam="LK", source=f"/scans/{doc_id}.pdf"))
    reading = PageOCR(engine="tesseract", lines=[_line(t, 100 + 60 * i, flagged=True) for i, t in enumerate(texts)])
    return ws.documents.store_page_ocr(doc_id, 1, reading, image="pages/anna.png").id


def test_a_reading_becomes_lines_with_outlines(ws):
    page = _page(ws, ["Luther hat Thesen", "an die Tur"])
    lines = ws.lines.current(page)
    assert [li.text for li in lines] == ["Luther hat Thesen", "an die Tur"]
    assert lines[0].polygon == [(100, 100), (280, 100), (280, 140), (100, 140)]
    assert lines[0].baseline == [(100, 140), (280, 140)]
    assert lines[0].origin == "detected" and lines[0].source == "ocr" and lines[0].words[0].flagged
    assert ws.revisions.page_text(page) == "Luther hat Thesen\nan die Tur"
    assert ws.revisions.page_text(page, source="reviewed") is None


def test_inserting_a_line_moves_no_other_lines_text(ws):
    page = _page(ws, ["Luther hat Thesen", "an die Tur", "geschlagen"])
    before = {li.id: (li.text, li.polygon) for li in ws.lines.current(page)}
    first = ws.lines.current(page)[0]
    heading = ws.lines.insert(page, "1B", before=first.id)
    added = ws.lines.insert(page, "neu", after=first.id)
    lines = ws.lines.current(page)
    assert [li.text for li in lines] == ["1B", "Luther hat Thesen", "neu", "an die Tur", "geschlagen"]
    assert [li.id for li in lines] == [heading.id, first.id, added.id, *list(before)[1:]]
    assert all(before[li.id] == (li.text, li.polygon) for li in lines if li.id in before)
    assert heading.origin == "typed" and heading.polygon == []


def test_two_tabs_saving_different_lines_both_succeed_and_the_same_line_conflicts(ws):
    page = _page(ws, ["eins", "zwei", "drei"])
    one, two, _ = ws.lines.current(page)
    ws.lines.save(one.id, base=one.revision, text="Eins")      # tab A
    ws.lines.save(two.id, base=two.revision, text="Zwei")      # tab B, opened before A saved
    assert ws.revisions.page_text(page) == "Eins\nZwei\ndrei"
    with pytest.raises(RevisionConflict) as info:
        ws.lines.save(one.id, base=one.revision, text="EINS")  # B on A's line
    assert info.value.current_revision == ws.lines.get(one.id).revision
    assert ws.lines.get(one.id).text == "Eins"


def test_a_line_a_person_saved_has_no_flags(ws):
    page = _page(ws, ["Lutber"])
    line = ws.lines.current(page)[0]
    saved = ws.lines.save(line.id, base=line.revision, text="Luther", author="Frau Keller")
    assert saved.words == [] and saved.by_person and saved.author == "Frau Keller"
    assert saved.polygon == line.polygon


def test_delete_split_merge_move_are_revisions(ws):
    page = _page(ws, ["eins zwei", "drei"])
    a, b = ws.lines.current(page)
    gone = ws.lines.delete(b.id, base=b.revision)
    assert gone.deleted and [li.text for li in ws.lines.current(page)] == ["eins zwei"]
    assert [h.text for h in ws.lines.history(b.id)] == ["drei", "drei"]
    left, right = ws.lines.split(a.id, 4, base=a.revision)
    assert (left.text, right.text) == ("eins", "zwei")
    assert left.bbox[2] <= right.bbox[0] + 1 and left.bbox[1] == right.bbox[1]
    moved = ws.lines.move(right.id, base=right.revision, before=left.id)
    assert [li.text for li in ws.lines.current(page)] == ["zwei", "eins"]
    merged = ws.lines.merge(moved.id, left.id, base=moved.revision, other_base=left.revision)
    assert merged.text == "zwei eins" and [li.id for li in ws.lines.current(page)] == [moved.id]
    assert merged.bbox == (100, 100, 220, 140)


def test_page_save_pairs_lines_so_an_inserted_heading_does_not_shift_texts(ws):
    page = _page(ws, ["Luther hat Thesen", "an die Tur geschlagen", "im Jahr 1517"])
    ocr = ws.lines.current(page)
    revision = ws.revisions.add_text(page, "1B\nLuther hat Thesen\nan die Tür geschlagen\nim Jahr 1517", base=None)
    lines = ws.lines.current(page)
    assert [li.text for li in lines] == ["1B", "Luther hat Thesen", "an die Tür geschlagen", "im Jahr 1517"]
    assert [li.id for li in lines[1:]] == [li.id for li in ocr]
    assert all(li.by_person and li.words == [] for li in lines)
    assert revision.text == ws.revisions.page_text(page)
    with pytest.raises(RevisionConflict):
        ws.revisions.add_text(page, "stale", base=None)


def test_a_rescan_never_replaces_a_persons_lines(ws):
    page = _page(ws, ["Lutber"])
    first = ws.lines.current(page)[0]
    ws.documents.add_ocr(page, PageOCR(engine="tesseract", lines=[_line("Lutker", 100), _line("neu", 160)]))
    assert [li.text for li in ws.lines.current(page)] == ["Lutker", "neu"]  # nobody saved: the new reading
    assert ws.lines.get(first.id).deleted
    line = ws.lines.current(page)[0]
    ws.lines.save(line.id, base=line.revision, text="Luther")
    ws.documents.add_ocr(page, PageOCR(engine="tesseract", lines=[_line("Lxther", 100)]))
    assert [li.text for li in ws.lines.current(page)] == ["Luther", "neu"]
    assert ws.revisions.page_text(page, source="ocr") == "Lxther"


def test_a_page_is_confirmed_by_saving_lines_only_once_every_line_is_saved(ws):
    page = _page(ws, ["eins", "zwei"])
    one, two = ws.lines.current(page)
    ws.lines.save(one.id, base=one.revision, text="Eins")
    assert not is_confirmed(ws, ws.documents.page(page))
    ws.lines.save(two.id, base=two.revision, text="zwei")  # Enter on an unchanged line confirms it
    assert is_confirmed(ws, ws.documents.page(page))


def test_confirmed_lines_are_those_a_person_saved_or_on_reviewed_pages(ws):
    page = _page(ws, ["eins", "zwei"])
    other = _page(ws, ["drei", ""], doc_id="LK/ben")
    one = ws.lines.current(page)[0]
    ws.lines.save(one.id, base=one.revision, text="Eins")
    assert [(c.document_id, c.text) for c in confirmed_lines(ws)] == [("LK/anna", "Eins")]
    ws.revisions.mark_reviewed(other)
    confirmed = confirmed_lines(ws)
    assert [(c.document_id, c.text) for c in confirmed] == [("LK/anna", "Eins"), ("LK/ben", "drei")]
    assert confirmed[1].image == "pages/anna.png" and confirmed[1].polygon[0] == (100, 100)
    assert confirmed[1].baseline == [(100, 140), (160, 140)] and confirmed[1].layer == "student"


def _old_workspace(ws_path: Path) -> Path:
    ws_path.mkdir()
    db = sqlite3.connect(ws_path / DB_NAME)
    db.executescript(OLD_DUMP.read_text("utf-8"))
    db.execute("PRAGMA user_version = 1")
    db.close()
    return ws_path


@pytest.fixture(params=["as today", "after the repository changed"])
def repository(request, monkeypatch):
    """The migration is frozen: it gives the same result when today's line repository writes
    differently (here: cannot write at all)."""
    if request.param != "as today":
        import examkit.lines

        def changed(*args, **kwargs):
            raise AssertionError("migration 0002 called today's line repository")

        for name in ("_insert_revision", "_insert_line", "apply_reading", "write_page_text", "align"):
            monkeypatch.setattr(examkit.lines, name, changed)
    return request.param


def test_migration_from_schema_0001_keeps_every_text_and_binds_it_to_its_line(ws_path, repository):
    with Workspace.open(_old_workspace(ws_path)) as ws:
        assert ws.schema_version() == 2
        page1, page2, page3 = ws.documents.pages("Klasse/arslan-deniz")
        # the person's newest text, exactly; the earlier revision still readable as it was
        assert ws.revisions.page_text(page1.id) == "1B\nLuther hat Thesen\nan die Tür geschlagen\nim Jahr 1517\n"
        assert [r.text for r in ws.revisions.texts(page1.id)] == [
            "Luther hat Thesen\nan die Tür geschlagen\nim Jahr 1517",
            "1B\nLuther hat Thesen\nan die Tür geschlagen\nim Jahr 1517\n"]
        assert [r.author for r in ws.revisions.texts(page1.id)] == ["Frau Keller"] * 2
        assert ws.db.execute("SELECT COUNT(*) FROM text_revisions").fetchone()[0] == 3
        # the heading the reader missed is a line of its own; every text sits on its own outline
        lines = ws.lines.current(page1.id)
        assert [(li.text, li.origin, li.bbox[1] if li.bbox else None) for li in lines] == [
            ("1B", "typed", None), ("Luther hat Thesen", "detected", 200),
            ("an die Tür geschlagen", "detected", 260), ("im Jahr 1517", "detected", 320), ("", "typed", None)]
        assert all(li.words == [] for li in lines)  # a person's lines carry no flags
        assert ws.revisions.page_text(page1.id, layer="teacher") == "Randbemerkung: gut"
        assert ws.revisions.is_reviewed(page1.id)
        # pages nobody corrected read as before
        assert ws.revisions.page_text(page2.id) == "Die Bauern\nzogen los"
        assert ws.revisions.page_text(page2.id, source="reviewed") is None
        assert ws.lines.current(page3.id) == [] and ws.revisions.page_text(page3.id) == ""
        assert ws.revisions.document_text("Klasse/typed-tom") == "Getippt"
        assert ws.revisions.latest_analysis("Klasse/arslan-deniz").text.startswith("Fehleranalyse")
        confirmed = [(c.text, bool(c.polygon)) for c in confirmed_lines(ws)]
        assert confirmed == [("1B", False), ("Luther hat Thesen", True), ("an die Tür geschlagen", True),
                             ("im Jahr 1517", True), ("Getippt", False)]  # typed text counts (examkit.confirmation)


def test_a_page_with_nothing_read_is_its_own_state_in_ocr_status(ws):
    from ocr.views import status

    _page(ws, ["eins"])
    ws.documents.upsert(Document(id="LK/leer", exam="LK", source="/scans/leer.pdf"))
    empty = ws.documents.store_page_ocr("LK/leer", 1, PageOCR(engine="tesseract"))
    states = {d["id"]: (d["state"], d["empty"]) for d in status(ws)["documents"]}
    assert states == {"LK/anna": ("ocr'd", 0), "LK/leer": ("nothing read", 1)}
    ws.lines.insert(empty.id, "getippt")
    assert {d["id"]: d["state"] for d in status(ws)["documents"]}["LK/leer"] == "reviewed"  # typed by a person


def test_align_by_order_or_fuzzy() -> None:
    from examkit.line_geometry import align

    assert align(["a", "b"], ["x", "y"]) == [0, 1]
    ocr = ["Die Refornation begann", "zzzz qqqq", "Luther schrieb an den Erzbischof"]
    assert align(ocr, ["Die Reformation begann", "Luther schrieb an den Erzbischof"]) == [0, None, 1]
    assert align(["Die Reformation"], ["Ganz anders", "Die Reformation.", "Noch was"]) == [1]
