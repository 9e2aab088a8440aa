"""The teacher-note reader: a CTC search held to the forms red notes take (ocr/notes.py)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from examkit.models import Line, Word
from ocr import marks
from ocr.note_grammar import teacher_notes
from ocr.notes import NoteReader, NoteReading, normalise, read_scores

CLASSES = ["", *"0123456789/,.-+PNoteRGrAZ?falschungenäöü朗", " "]


def matrix(*steps: dict[str, float]) -> np.ndarray:
    """(steps × classes) probabilities: each step's given classes, the rest of the mass on blank."""
    out = np.full((len(steps), len(CLASSES)), 1e-6)
    for i, step in enumerate(steps):
        for char, p in step.items():
            out[i, CLASSES.index(char)] = p
        out[i, 0] = max(1e-6, 1 - sum(step.values()))
    return out


BLANK: dict[str, float] = {}


def test_the_grammar_spells_note_forms_and_nothing_else():
    grammar = teacher_notes()
    kinds = {text: grammar.accepts(text) for text in
             ("3/5", "6,5/8", "14/20", "-1", "-0,5", "+1", "2-", "Note 3", "11 P.", "gut", "R", "Gr", "?", "falsch",
              "Bezug?", "✓", "315", "6,518", "朗", "3/", "1,7/5", "14/20 P.", "Note: 2")}
    assert kinds == {"3/5": "score", "6,5/8": "score", "14/20": "score", "-1": "deduction", "-0,5": "deduction",
                     "+1": "deduction", "2-": "grade", "Note 3": "grade", "11 P.": "grade", "gut": "grade",
                     "R": "word", "Gr": "word", "?": "word", "falsch": "word", "Bezug?": "word", "✓": "tick",
                     "315": None, "6,518": None, "朗": None, "3/": None, "1,7/5": None, "14/20 P.": "score",
                     "Note: 2": "grade"}


def test_a_slash_read_as_one_comes_out_as_a_score():
    # greedy reading: "315" -- the reader saw the slash as a 1
    probs = matrix({"3": 0.9}, BLANK, {"1": 0.8, "/": 0.05}, BLANK, {"5": 0.9})
    reading = read_scores(probs, CLASSES)
    assert (reading.text, reading.kind) == ("3/5", "score")
    assert reading.conf > 50


def test_a_score_read_as_a_chinese_character_is_searched_among_digits():
    probs = matrix({"朗": 0.7, "6": 0.2}, {"朗": 0.8, "/": 0.1}, {"朗": 0.7, "9": 0.2})
    reading = read_scores(probs, CLASSES)
    assert (reading.text, reading.kind) == ("6/9", "score")
    assert reading.conf < 50  # it had to give up much of what the reader believed


def test_repeated_digits_need_a_blank_between_them():
    probs = matrix({"1": 0.9}, BLANK, {"1": 0.9}, {"/": 0.9}, {"2": 0.9}, {"0": 0.9})
    assert read_scores(probs, CLASSES).text == "11/20"
    merged = matrix({"6": 0.9}, {"6": 0.9}, {"/": 0.9}, {"6": 0.9})
    assert read_scores(merged, CLASSES).text == "6/6"


def test_decimal_comma_and_deductions():
    probs = matrix({"-": 0.9}, {"0": 0.9}, {".": 0.6}, {"5": 0.9})
    assert read_scores(probs, CLASSES) == NoteReading("-0,5", "deduction", read_scores(probs, CLASSES).conf)
    probs = matrix({"6": 0.9}, {",": 0.8}, {"5": 0.9}, {"1": 0.7}, {"8": 0.9})
    assert read_scores(probs, CLASSES).text == "6,5/8"


def test_words_stay_words():
    probs = matrix({"f": 0.9}, {"a": 0.9}, {"l": 0.9}, {"s": 0.9}, {"c": 0.9}, {"h": 0.9})
    reading = read_scores(probs, CLASSES)
    assert (reading.text, reading.kind) == ("falsch", "word")
    other = matrix({"g": 0.9}, {"e": 0.9}, {"n": 0.9}, {"a": 0.9}, {"u": 0.9}, {"e": 0.9}, {"r": 0.9})
    reading = read_scores(other, CLASSES)
    assert (reading.text, reading.kind) == ("genauer", "text")  # no note form: kept as the words it is


def _mask_with(*notes: tuple[str, tuple[int, int]]) -> np.ndarray:
    mask = np.zeros((700, 1200), np.uint8)
    for text, (x, y) in notes:
        cv2.putText(mask, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.6, 255, 4)
    return mask


def _student_lines() -> list[Line]:
    return [Line(bbox=(50, y, 800, y + 60), words=[Word(text="Wort", conf=90, bbox=(50 + 160 * i, y, 190 + 160 * i, y + 60))
                                                 for i in range(5)]) for y in range(100, 600, 80)]


def test_notes_side_by_side_and_stacked_are_read_one_by_one():
    seen: list[tuple[int, int]] = []

    def reader(crop: np.ndarray) -> NoteReading:
        seen.append(crop.shape)
        return NoteReading("x", "text", 50.0)

    mask = _mask_with(("-1", (900, 200)), ("6/8", (1010, 200)), ("-2", (900, 420)), ("4/7", (900, 470)))
    found, _ = marks.detect(mask, _student_lines(), reader)
    boxes = sorted(m.bbox for m in found if m.kind == "margin")
    assert len(boxes) == 4, boxes
    assert all(m.note == "text" and m.conf == 50.0 for m in found if m.kind == "margin")


def test_the_written_forms_come_out_in_one_spelling():
    assert [normalise(t, k) for t, k in (("14 / 20 P.", "score"), ("6.5/8", "score"), ("-1 P", "deduction"),
                                         ("Note: 2-", "grade"), ("V", "tick"))] == ["14/20", "6,5/8", "-1", "Note 2-", "✓"]


def test_red_specks_make_no_note():
    mask = np.zeros((700, 1200), np.uint8)
    mask[300:308, 1000:1008] = 255  # a few stray red pixels in the margin
    mask[500:508, 300:308] = 255  # and between the lines
    found, _ = marks.detect(mask, _student_lines(), lambda crop: NoteReading("1", "grade", 3.0))
    assert found == []


def test_a_page_without_red_ink_has_no_notes():
    found, text = marks.detect(np.zeros((700, 1200), np.uint8), _student_lines(), lambda crop: NoteReading("?", "word", 1))
    assert found == [] and text == ""


@pytest.mark.slow
def test_rendered_scores_are_read_as_scores():
    reader = NoteReader()
    for text in ("3/5", "14/20", "-1"):
        crop = np.full((90, 60 + 45 * len(text)), 255, np.uint8)
        cv2.putText(crop, text, (20, 65), cv2.FONT_HERSHEY_SIMPLEX, 1.8, 0, 4)
        reading = reader(crop)
        assert reading.text == text, reading


def test_without_the_bundled_model_the_engines_reader_reads_or_the_note_stays_unread(monkeypatch):
    from examkit.errors import MissingDependencyError
    from ocr import notes

    def missing():
        raise MissingDependencyError("the rapidocr Python package (reads handwriting)", install="pip install rapidocr")

    monkeypatch.setattr(notes, "_bundled_reader", missing)
    crop = np.full((40, 80), 255, np.uint8)
    assert NoteReader(lambda c: "3/5")(crop) == NoteReading("3/5", "score", -1)
    assert NoteReader()(crop) == NoteReading("", "text", -1)
    mask = _mask_with(("-1", (900, 200)))
    found, _ = marks.detect(mask, _student_lines(), NoteReader())
    assert [(m.kind, m.text, m.conf) for m in found] == [("margin", "", -1)]  # kept, unread
