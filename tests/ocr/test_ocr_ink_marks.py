from __future__ import annotations

import cv2
import numpy as np

from ocr import ink, marks
from ocr.notes import NoteReading
from tests.ocr.conftest import DrawnPage


def test_red_ink_is_split_from_the_student_layer(marked_page: DrawnPage):
    layers = ink.separate(marked_page.bgr())
    assert not ink.red_mask(layers.student).any()  # no red left for the engine
    underline = marked_page.marks[0]["bbox"]
    x0, y0, x1, y1 = underline
    assert layers.teacher[y0 : y1 + 1, x0:x1].mean() > 100  # the underline is in the teacher layer
    blue = np.all(np.abs(marked_page.bgr().astype(int) - (120, 40, 30)) < 40, axis=2)
    assert (layers.teacher[blue] == 0).all()  # student ink is not taken as red


def test_struck_words_stay_readable_in_the_student_layer(marked_page: DrawnPage):
    layers = ink.separate(marked_page.bgr())
    _, (x0, y0, x1, y1) = marked_page.words[2][2]
    word = cv2.cvtColor(layers.student[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    original = cv2.cvtColor(marked_page.bgr()[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    strike_rows = slice((y1 - y0) // 2 - 3, (y1 - y0) // 2 + 3)
    # ink under the stroke is restored, not left as a white gap through the letters
    assert (word[strike_rows] < 128).mean() > 0.3 * (original[strike_rows] < 200).mean()


def test_marks_are_found_and_mapped_to_the_words_they_mark(marked_page: DrawnPage):
    layers = ink.separate(marked_page.bgr())
    found, teacher_text = marks.detect(layers.teacher, marked_page.lines(), reader=lambda crop: NoteReading("-1", "deduction", 90.0))
    by_kind = {}
    for mark in found:
        by_kind.setdefault(mark.kind, []).append(mark)
    assert [m.text for m in by_kind["underline"]] == ["Edikt von Nantes"]
    assert [m.text for m in by_kind["strike"]] == ["verwalteten"]
    assert [m.text for m in by_kind["circle"]] == ["Merkantilismus"]
    assert [m.text for m in by_kind["margin"]] == ["-1"]
    assert teacher_text == "-1"
    drawn = {m["kind"]: m["bbox"] for m in marked_page.marks}
    for kind in ("underline", "strike", "circle", "margin"):
        box = by_kind[kind][0].bbox
        assert abs(box[0] - drawn[kind][0]) < 20 and abs(box[2] - drawn[kind][2]) < 20, kind


def test_no_red_no_marks(marked_page: DrawnPage):
    empty = np.zeros(marked_page.bgr().shape[:2], np.uint8)
    assert marks.detect(empty, marked_page.lines()) == ([], "")


def test_hue_ranges_are_configurable(marked_page: DrawnPage):
    assert ink.red_mask(marked_page.bgr(), hues=[(100, 130)]).any()  # the student's blue, if asked for
    assert not ink.separate(marked_page.bgr(), hues=[(40, 60)]).teacher.any()  # nothing green on the page


def test_a_stroke_on_the_baseline_underlines_and_one_through_the_middle_strikes():
    from examkit.models import Line, Word
    from ocr.marks import _line_stroke

    words = [Word(text=t, conf=90, bbox=(100 + 200 * i, 100, 280 + 200 * i, 200)) for i, t in enumerate(["Edikt", "von"])]
    lines = [Line(bbox=(100, 100, 480, 200), words=words)]
    stroke = (100, 0, 480, 0)  # spans both words; only its row (ys) differs below
    assert _line_stroke(stroke, 150, lines, 100)[0] == "strike"  # through the middle of the letters
    assert _line_stroke(stroke, 175, lines, 100)[0] == "underline"  # on the baseline, three quarters down
    assert _line_stroke(stroke, 215, lines, 100) == ("underline", words)  # under the descenders
