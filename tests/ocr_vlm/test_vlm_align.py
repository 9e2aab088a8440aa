"""Aligning a model's answer to Tesseract's word boxes on a rendered page."""

from __future__ import annotations

import pytest

from examkit.models import Line, Word
from ocr.align import align, pair_words
from ocr.tesseract import TesseractEngine
from ocr.vlm import VlmEngine
from tests.ocr_vlm.conftest import render_lines

LINES = ["Martin Luther schlug 1517 seine Thesen an",
         "die Tür der Schlosskirche in Wittenberg.",
         "Er kritisierte den Ablasshandel der Kirche",
         "und wollte die Kirche reformieren."]


@pytest.fixture(scope="module")
def page():
    image = render_lines(LINES)
    layout = TesseractEngine(lang="deu").recognize(image, lang="deu").lines
    truth = {w.text: w.bbox for line in layout for w in line.words}
    assert "Schlosskirche" in truth and "Ablasshandel" in truth, "Tesseract must read the printed page"
    return image, layout


def centre(box):
    return ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)


def inside(box, outer, slack=4):
    x, y = centre(box)
    return outer[0] - slack <= x <= outer[2] + slack and outer[1] - slack <= y <= outer[3] + slack


def test_boxes_land_on_the_right_words_and_disagreements_are_flagged(page):
    image, layout = page
    answer = [line.split() for line in LINES]
    answer[0][2] = "schluk"                  # the model reads a word differently
    answer[2].insert(3, "damals")            # and a word Tesseract did not see
    answer[3] = ["und", "wollte", "die", "Kirche", "reformieren."]
    lines = align(answer, layout, width=image.shape[1], height=image.shape[0])

    assert [line.text for line in lines] == [" ".join(words) for words in answer]  # the model's text and lines
    tess = [w for line in layout for w in line.words]
    by_text = {}
    for w in tess:
        by_text.setdefault(w.text, []).append(w.bbox)
    placed = [(w, li) for li, line in enumerate(lines) for w in line.words]
    for word, _ in placed:
        if word.text in ("schluk", "damals"):
            continue
        assert word.bbox in by_text[word.text], word.text  # took the box of the same word
        assert not word.flagged
    schluk = lines[0].words[2]
    assert schluk.flagged and schluk.bbox == by_text["schlug"][0]     # paired, but the readings differ
    damals = lines[2].words[3]
    den, ablass = lines[2].words[2].bbox, lines[2].words[4].bbox
    assert damals.flagged and den[2] <= centre(damals.bbox)[0] <= ablass[0]  # interpolated between neighbours
    assert ablass[1] - 5 <= centre(damals.bbox)[1] <= ablass[3] + 5         # on its own line


def test_line_that_tesseract_missed_entirely_gets_a_box_between_its_neighbours(page):
    image, layout = page
    answer = [line.split() for line in LINES]
    answer[1] = ["völlig", "anders", "gelesen"]          # nothing pairs on line 2
    lines = align(answer, layout, width=image.shape[1], height=image.shape[0])
    free_line = next(ln for ln in layout if any(w.text == "Schlosskirche" for w in ln.words))
    for word in lines[1].words:
        assert word.flagged
        assert inside(word.bbox, free_line.bbox, slack=10)    # the one unmatched Tesseract line, in order


def test_without_any_layout_lines_are_spread_down_the_page():
    lines = align([["eins", "zwei"], ["drei"]], [], width=1000, height=1400)
    assert lines[0].bbox[1] < lines[1].bbox[1] < 1400 and all(w.flagged for ln in lines for w in ln.words)
    assert lines[0].words[0].bbox[2] <= lines[0].words[1].bbox[0]


def test_pairing_keeps_order_and_tolerates_small_differences():
    assert pair_words(["Die", "Reformatoin", "begann", "1517."], ["Die", "Reformation", "1517"]) == [0, 1, None, 2]
    assert pair_words(["a"], []) == [None]
    word = Word(text="x", conf=90, bbox=(0, 0, 1, 1))
    assert align([], [Line(words=[word], bbox=(0, 0, 1, 1))], width=10, height=10) == []


def test_vlm_engine_places_its_words_with_a_tesseract_layout_pass(openai_server, answer, page):
    image, _ = page
    answer("\n".join(LINES))
    engine = VlmEngine(model="fake-vl", base_url=openai_server.base_url, api_key=openai_server.api_key)
    result = engine.recognize(image, lang="deu")
    assert result.text == "\n".join(LINES)
    flagged = [w.text for line in result.lines for w in line.words if w.flagged]
    assert len(flagged) <= 2, flagged  # both engines read a clean print alike
    assert all(w.bbox != (0, 0, 0, 0) for line in result.lines for w in line.words)
