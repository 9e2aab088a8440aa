from __future__ import annotations

import pytest

from examkit.errors import MissingDependencyError, UserInputError
from ocr import programs
from ocr.engine import engine_class
from ocr.flags import implausible, should_flag
from ocr.tesseract import TesseractEngine, parse_data
from tests.ocr.conftest import draw_page


def test_engine_reads_a_clear_page_with_boxes_and_confidences():
    page = draw_page(["Die Reformation begann 1517", "Martin Luther schrieb Thesen"], size=40)
    engine = TesseractEngine()
    result = engine.recognize(page.bgr(), lang="deu")
    assert result.text.splitlines() == ["Die Reformation begann 1517", "Martin Luther schrieb Thesen"]
    truth = [b for row in page.words for _, b in row]
    words = [w for line in result.lines for w in line.words]
    for word, box in zip(words, truth):
        assert all(abs(a - b) <= 6 for a, b in zip(word.bbox, box)), (word, box)
        assert word.conf > 80 and not word.flagged


def test_hocr_and_snippets():
    page = draw_page(["Wittenberg 1517"], size=40)
    engine = TesseractEngine()
    assert b"ocrx_word" in engine.hocr(page.bgr(), lang="deu")
    assert engine.read_line(draw_page(["14/20"], size=40, width=400).bgr(), lang="deu").text == "14/20"


def test_a_blank_page_is_an_empty_result_with_a_warning():
    import numpy as np

    result = TesseractEngine().recognize(np.full((300, 400), 255, np.uint8), lang="deu")
    assert result.lines == [] and result.warnings == ["no text found on the page"]


def test_parse_data_groups_lines_and_flags_low_confidence():
    data = {"text": ["", "Luther", "schrieb", "Tbesen", "Zweite"], "conf": [-1, 96, 91, 41, 88],
            "left": [0, 10, 80, 170, 10], "top": [0, 10, 12, 11, 60], "width": [0, 60, 80, 70, 70],
            "height": [0, 30, 28, 29, 30], "block_num": [1, 1, 1, 1, 1], "par_num": [1, 1, 1, 1, 1],
            "line_num": [1, 1, 1, 1, 2]}
    lines = parse_data(data, flag_below=70)
    assert [line.text for line in lines] == ["Luther schrieb Tbesen", "Zweite"]
    assert [w.flagged for w in lines[0].words] == [False, False, True]
    assert lines[0].bbox == (10, 10, 240, 40)


@pytest.mark.parametrize("word", ["Re1igion", "|", "GeSchichte", "~~", "Thhhesen", "Schrmpf", "q"])
def test_implausible_words_are_flagged(word):
    assert implausible(word) is not None
    assert should_flag(word, 99, 70)


@pytest.mark.parametrize("word", ["Luther", "1517", "1517.", "a)", "19.", "z.B.", "(Thesen),", "-", "14/20", "2a", "Fürsten", "ÖKONOMIE"])
def test_plausible_words_pass(word):
    assert implausible(word) is None


def test_word_list_flags_unknown_words():
    words = frozenset({"luther", "schrieb"})
    assert implausible("Luther", words) is None
    assert implausible("Lutber", words) == "not in the word list"


def test_unknown_engine_and_missing_language():
    with pytest.raises(UserInputError, match="unknown OCR engine"):
        engine_class("abbyy")
    with pytest.raises(MissingDependencyError) as info:
        programs.check_ready("deu+klingon")
    assert "tesseract-ocr-klingon" in info.value.one_line()


def test_doctor_reports_versions_and_languages():
    report = programs.doctor("deu+eng")
    tesseract = next(p for p in report["programs"] if p["name"] == "tesseract")
    assert tesseract["version"].startswith(("4", "5")) and tesseract["install"] is None
    assert {item["lang"]: item["installed"] for item in report["languages"]} == {"deu": True, "eng": True}
    missing = programs.doctor("deu+xyz")
    assert missing["ok"] is False and missing["install"].endswith("tesseract-ocr-xyz")
