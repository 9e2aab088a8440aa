"""The scoring of ``train eval``: pure functions, hand-computed expectations."""

from __future__ import annotations

import pytest

from annotate.parse import parse_text
from annotate.scales import get_scale
from tests.training.data import CLOSE, EXPECTED, FAR, REFERENCE, UNREADABLE
from training.scoring import aggregate, label_key, same_grade, score

SCALE = get_scale("oberstufe")


def scored(answer: str) -> dict:
    return score(answer, parse_text(REFERENCE), scale=SCALE)


def test_close_answer():
    item = scored(CLOSE)
    assert item["parsed"] and item["total_points_error"] == 0 and item["percent_error"] == 0 and item["grade_exact"]
    assert [(t["label"], t["answer"], t["error"]) for t in item["tasks"]] == [("A", 7, 1), ("B", 4, 1)]
    assert (item["quotes"], item["quotes_recalled"]) == (2, 1)


def test_answer_without_summary_uses_computed_totals():
    item = scored(FAR)
    assert item["answer"] == {"points": 4, "max": 8, "percent": 50, "grade": "4+"}
    assert item["total_points_error"] == 7 and item["percent_error"] == 34 and not item["grade_exact"]
    assert [(t["label"], t["answer"], t["error"]) for t in item["tasks"]] == [("A", 4, 2), ("B", None, 5)]
    assert item["quotes_recalled"] == 1


def test_stated_total_wins_over_computed():
    stated = CLOSE.replace("Punkte: 11 von 13", "Punkte: 12 von 13")
    assert scored(stated)["total_points_error"] == 1


def test_unreadable_answer():
    item = scored(UNREADABLE)
    assert not item["parsed"] and item["parse_error"]


def test_aggregate_matches_the_hand_computed_figures():
    report = aggregate([scored(CLOSE), scored(FAR), scored(UNREADABLE)])
    assert {k: report[k] for k in EXPECTED} == EXPECTED
    assert len(report["items"]) == 3


def test_aggregate_of_nothing_parsed():
    report = aggregate([scored(UNREADABLE)])
    assert report["parsed_rate"] == 0 and report["total_points_mae"] is None and report["quote_recall"] is None


@pytest.mark.parametrize("a, b, same", [("13 NP", "1-", True), ("2 +", "2+", True), ("2", "2+", False)])
def test_grades_compare_by_place_on_the_scale(a, b, same):
    assert same_grade(a, b, SCALE) is same


def test_labels_match_with_or_without_the_word_aufgabe():
    assert label_key("Aufgabe 2") == label_key("2") == label_key("2.")
