"""Which confirmed lines are learned from: wrong pairs and unknown characters are left out, and said."""

import numpy as np

from ocr.learn.samples import LineSample
from ocr.learn.selection import MISMATCHED, NO_KNOWN_CHARS, select

CLASSES = ["", *"abcdefghijklmnopqrstuvwxyzMV", " "]


def line(text: str, page: str = "anna#1", kind: str = "student") -> LineSample:
    return LineSample(np.full((8, 8), 255, np.uint8), text, page, kind)


def test_a_text_far_from_the_bundled_reading_is_left_out_and_counted():
    samples = [line("hard but right"), line("miss virginia fitch", "ben#2"), line("???"), line("naïve", "ben#1", "margin")]
    readings = ["hnrd bvt riglt", "golden gate kindergarten association", "", "naive"]
    selection = select(samples, CLASSES, readings)
    assert [s.text for s in selection.kept] == ["hard but right", "naïve"]
    assert selection.left_out == {MISMATCHED: 1, NO_KNOWN_CHARS: 1}
    assert selection.unknown_chars == {"ï": 1}
    described = "\n".join(selection.describe())
    assert "learning from 2 lines on 2 pages: margin 1, student 1" in described
    assert "2 documents: anna 1, ben 1" in described
    assert f"left out: 1 lines, {MISMATCHED}" in described and "'ï'" in described
    assert selection.to_json()["by_document"] == {"anna": 1, "ben": 1}
