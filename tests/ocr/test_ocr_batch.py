from __future__ import annotations

from pathlib import Path

import pytest

from examkit.workspace import Workspace
from ocr.batch import scan
from ocr.page import ScanOptions
from tests.ocr.conftest import FakeEngine, draw_page

OPTIONS = ScanOptions(workers=1)


def _reading_counts(ws: Workspace) -> dict[tuple[str, int], int]:
    rows = ws.db.execute(
        "SELECT p.document_id, p.number, COUNT(o.id) FROM pages p LEFT JOIN ocr_results o ON o.page_id = p.id "
        "GROUP BY p.id"
    )
    return {(r[0], r[1]): r[2] for r in rows}


def test_scan_reads_every_page_once_and_a_rerun_skips_them(ws: Workspace, exam_folder: Path):
    engine = FakeEngine()
    report = scan(ws, [exam_folder], engine=engine, options=OPTIONS)
    assert (report.documents, report.pages_read, report.typed, report.failed) == (3, 3, 1, [])
    assert _reading_counts(ws) == {("LK-Test/anna", 1): 1, ("LK-Test/ben", 1): 1, ("LK-Test/ben", 2): 1,
                                   ("LK-Test/cem", 1): 1}
    page = ws.documents.pages("LK-Test/ben")[1]
    assert ws.path(page.image).is_file() and ws.path(page.original).is_file()
    assert ws.documents.latest_ocr(page.id).steps  # what preprocessing did is recorded
    assert ws.revisions.document_text("LK-Test/cem") == "Getippte Antwort\nzweite Zeile"

    again = scan(ws, [exam_folder], engine=engine, options=OPTIONS)
    assert (again.pages_read, again.pages_skipped, again.typed) == (0, 3, 0)
    assert engine.calls == 3
    assert set(_reading_counts(ws).values()) == {1}


def test_force_reads_again_and_keeps_what_people_wrote(ws: Workspace, exam_folder: Path):
    scan(ws, [exam_folder], engine=FakeEngine(), options=OPTIONS)
    page = ws.documents.pages("LK-Test/anna")[0]
    ws.revisions.add_text(page.id, "Die Reformation begann 1517", author="teacher")
    ws.revisions.mark_reviewed(page.id)
    report = scan(ws, [exam_folder], engine=FakeEngine(), options=ScanOptions(workers=1, force=True))
    assert report.pages_read == 3 and report.typed == 1
    assert set(_reading_counts(ws).values()) == {2}
    assert ws.revisions.page_text(page.id) == "Die Reformation begann 1517"
    assert ws.revisions.is_reviewed(page.id)
    assert [p.id for p in ws.documents.pages("LK-Test/anna")] == [page.id]


def test_a_changed_scan_is_read_again(ws: Workspace, exam_folder: Path):
    scan(ws, [exam_folder], engine=FakeEngine(), options=OPTIONS)
    draw_page(["Eine neue Seite"], width=900).image.save(exam_folder / "LK-Test" / "anna.png")
    report = scan(ws, [exam_folder], engine=FakeEngine(), options=OPTIONS)
    assert (report.pages_read, report.pages_skipped) == (1, 2)


def test_failures_are_recorded_and_retried(ws: Workspace, exam_folder: Path):
    bad = exam_folder / "LK-Test" / "dora.png"
    bad.write_bytes(b"")
    broken = exam_folder / "LK-Test" / "emil.pdf"
    broken.write_bytes(b"%PDF-1.4 nothing else")
    report = scan(ws, [exam_folder], engine=FakeEngine(), options=OPTIONS)
    assert sorted(Path(p).name for p in report.failed) == ["dora.png", "emil.pdf"]
    assert report.pages_read == 3  # the batch went on
    reasons = {Path(f.path).name: f.reason for f in ws.documents.failures("ocr")}
    assert "empty" in reasons["dora.png"] and "not a readable PDF" in reasons["emil.pdf"]

    draw_page(["Jetzt lesbar"], width=900).image.save(bad)
    broken.unlink()
    again = scan(ws, [exam_folder], engine=FakeEngine(), options=OPTIONS)
    assert again.failed == [] and again.pages_read == 1
    assert [Path(f.path).name for f in ws.documents.failures("ocr")] == ["emil.pdf"]  # still open: file gone


@pytest.mark.slow
def test_pages_are_read_in_a_process_pool(ws: Workspace, exam_folder: Path, tmp_path: Path):
    from ocr.tesseract import TesseractEngine

    steps = tmp_path / "steps"
    hocr = tmp_path / "hocr"
    report = scan(ws, [exam_folder], engine=TesseractEngine(),
                  options=ScanOptions(workers=2, save_steps=steps, hocr=hocr))
    assert report.pages_read == 3 and report.failed == [] and report.peak_rss_kb > 0
    reading = ws.documents.latest_ocr(ws.documents.pages("LK-Test/anna")[0].id)
    assert "Reformation" in reading.text
    written = (hocr / "LK-Test" / "ben" / "p0002.hocr").read_text("utf-8")
    assert (hocr / "LK-Test" / "ben" / "p0002.png").is_file() and 'image "p0002.png"' in written
    names = sorted(p.name for p in (steps / "LK-Test" / "anna").iterdir())
    assert names[0] == "p0001-01-original.png" and any("binarize" in n for n in names)


def test_step_images_of_umlaut_ids_never_share_a_folder(ws: Workspace, exam_folder: Path, tmp_path: Path):
    """``müller`` and ``mueller`` spell the same without umlauts: each gets its own folder."""
    for name in ("müller", "mueller"):
        draw_page([f"Antwort von {name}"], width=900).image.save(exam_folder / "LK-Test" / f"{name}.png")
    steps = tmp_path / "steps"
    report = scan(ws, [exam_folder], engine=FakeEngine(), options=ScanOptions(workers=1, save_steps=steps))
    assert report.failed == []
    folders = sorted(p.name for p in (steps / "LK-Test").iterdir())
    assert folders == ["anna", "ben", "mueller", "mueller-2"]
    originals = {f: (steps / "LK-Test" / f / "p0001-01-original.png").read_bytes() for f in ("mueller", "mueller-2")}
    assert originals["mueller"] != originals["mueller-2"]


def test_a_page_with_red_ink_is_kept_without_it_too(ws: Workspace, tmp_path: Path, marked_page):
    folder = tmp_path / "exams" / "LK-Rot"
    folder.mkdir(parents=True)
    marked_page.image.save(folder / "rot.png")
    draw_page(["Ohne Korrektur"], width=900).image.save(folder / "blau.png")
    scan(ws, [tmp_path / "exams"], engine=FakeEngine(), options=OPTIONS)
    plain, red = ws.documents.pages(ws.documents.list()[0].id)  # a folder of images is one document: blau, rot
    assert ws.path(red.image).with_name(Path(red.image).stem + ".student.jpg").is_file()
    assert not ws.path(plain.image).with_name(Path(plain.image).stem + ".student.jpg").exists()
