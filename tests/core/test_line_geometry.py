"""The pure rules of a page's lines, without a workspace (examkit/line_geometry.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from examkit.errors import NotFoundError
from examkit.line_geometry import align, between, bottom, box_around, cut, slot
from examkit.models import PageLine


def line(line_id: int, position: float, text: str = "", box: tuple[int, int, int, int] | None = None) -> PageLine:
    polygon = box_around([(box[0], box[1]), (box[2], box[3])]) if box else []
    return PageLine(id=line_id, page_id=1, revision=line_id, position=position, text=text, polygon=polygon,
                    created_at=datetime(2026, 1, 1))


def test_a_new_line_goes_between_its_neighbours_or_after_the_last():
    ordered = [line(1, 1.0), line(2, 2.0), line(3, 3.0)]
    assert slot(ordered, after=1) == 1.5 and slot(ordered, before=1) == 0.0 and slot(ordered) == 4.0
    assert slot(ordered, after=3) == 4.0 and slot([]) == 1.0
    with pytest.raises(NotFoundError, match="no line 9"):
        slot(ordered, after=9)
    assert (between(None, None), between(2.0, None), between(None, 2.0), between(1.0, 2.0)) == (1.0, 3.0, 1.0, 1.5)


def test_a_split_cuts_a_box_holding_two_written_lines_into_top_and_bottom():
    ordered = [line(1, 1.0, "eins", (0, 0, 100, 20)), line(2, 2.0, "zwei\ndrei", (0, 30, 100, 80)),
               line(3, 3.0, "vier", (0, 90, 100, 110))]
    top, below = cut(ordered[1], 4, ordered)
    assert top == box_around([(0, 30), (100, 55)]) and below == box_around([(0, 55), (100, 80)])
    left, right = cut(ordered[0], 2, ordered)  # a normal line: left and right at the text's share
    assert left == box_around([(0, 0), (50, 20)]) and right == box_around([(50, 0), (100, 20)])
    assert bottom(left) == [(0, 20), (50, 20)] and bottom([]) == []


def test_text_lines_pair_with_lines_by_number_or_by_likeness_in_order():
    assert align(["a", "b"], ["x", "y"]) == [0, 1]
    assert align(["Luther schrieb", "im Jahr 1517"], ["1B", "Luther schrieb", "im Jahr 1517"]) == [1, 2]
    assert align(["ganz anders"], ["nichts", "gleich"]) == [None]
