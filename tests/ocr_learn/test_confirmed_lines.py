"""Confirmed lines become line images cut along their outline; a lost page image is named once."""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np

from ocr.learn.confirmed import confirmed_samples
from ocr.learn.samples import crop_line, split_by_page


def _line(image: str, text: str, polygon, page: int = 1, layer: str = "student"):
    return SimpleNamespace(document_id="kl8/anna", page_number=page, image=image, polygon=polygon, text=text, layer=layer)


def test_lines_are_cut_along_their_outline_and_missing_pages_are_named(tmp_path, monkeypatch):
    page = np.full((100, 200, 3), 255, np.uint8)
    page[40:60, 20:180] = 0  # the line's ink
    page[0:10, 0:200] = 0  # ink of the line above, inside the box but outside the outline
    cv2.imwrite(str(tmp_path / "p1.png"), page)
    box = [(20, 35), (180, 35), (180, 65), (20, 65)]
    lines = [_line("p1.png", "Hallo Welt", box),
             _line("p1.png", "oben", [(0, 0), (10, 0), (10, 10)]),
             _line("gone.png", "fehlt", box, page=2),
             _line("gone.png", "fehlt auch", box, page=2),
             _line("", "ohne Bild", box, page=3),
             _line("p1.png", "getippt, ohne Umriss", [], page=1)]
    monkeypatch.setattr("ocr.learn.confirmed.confirmed_lines", lambda ws: lines)
    ws = SimpleNamespace(path=lambda rel: tmp_path / rel)
    samples, warnings = confirmed_samples(ws)
    assert [s.text for s in samples] == ["Hallo Welt", "oben"]
    assert samples[0].page == "kl8/anna#1" and samples[0].kind == "student"
    assert samples[0].image.shape[:2] == (35, 165)  # box of the outline plus a 2-pixel margin
    assert len(warnings) == 2 and warnings[0].startswith("gone.png:")
    assert warnings[1].startswith("2 confirmed lines have no outline")


def test_outside_the_outline_is_white():
    page = np.zeros((50, 50), np.uint8)
    crop = crop_line(page, [(10, 10), (40, 10), (10, 40)], margin=0)
    assert crop[2, 2] == 0 and crop[28, 28] == 255  # inside the triangle, beyond its long edge


def test_split_keeps_pages_whole():
    samples = [SimpleNamespace(page=f"p{i // 3}", kind="student") for i in range(30)]
    train, held = split_by_page(samples, 0.2)
    assert {s.page for s in train}.isdisjoint({s.page for s in held})
    assert len({s.page for s in held}) == 2 and len(train) + len(held) == 30


def test_held_out_pages_cover_each_kind_and_writer_first():
    """Ten pages of print from one document and two of handwriting from two others: holding out
    two pages takes one of each kind, the handwritten one from a writer with a page left to learn."""
    samples = [SimpleNamespace(page=f"typed#{i}", kind="printed") for i in range(10) for _ in range(5)]
    samples += [SimpleNamespace(page=f"{doc}#{n}", kind="handwritten") for doc, pages in (("anna", 2), ("ben", 1))
                for n in range(1, pages + 1) for _ in range(3)]
    for seed in range(5):
        _, held = split_by_page(samples, 0.15, seed=seed)
        held_pages = {s.page for s in held}
        assert len(held_pages) == 2 and {s.kind for s in held} == {"printed", "handwritten"}
        assert held_pages & {"anna#1", "anna#2"} and "ben#1" not in held_pages
