"""A teacher's afternoon in the line editor (issue 28): the caret stays where the next keystroke goes,
a missed line can be added from the keyboard with its own image, and an empty new line is no line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotate.review import ReviewState
from examkit.models import Line, Word
from tests.review.conftest import EXAM, STUDENT, page_ids, serving
from tests.review.test_review_browser import browser, context, open_page, pytestmark  # noqa: F401


@pytest.fixture
def reading_server(review_ws) -> Iterator[str]:
    """The real app with a line reader that reads every line as "Neu gelesen"."""
    def read(ws, line):
        word = Word(text="Neu gelesen", conf=60, bbox=(0, 0, 10, 10))
        return Line(words=[word], bbox=(0, 0, 10, 10), conf=60), "fake"

    state = ReviewState(review_ws.root, token="browser-token", line_reader=read)
    with serving(state) as base:
        yield base
    state.close()


def active_line(page) -> int:
    return page.evaluate("() => Array.from(document.querySelectorAll('.line-input')).indexOf(document.activeElement)")


def test_after_neu_lesen_the_caret_is_in_the_line_just_read(context, reading_server, review_ws) -> None:
    page = open_page(context, reading_server, f"/lines/{page_ids(review_ws)[0]}")
    page.locator(".line-row").nth(1).get_by_role("button", name="Neu lesen").click()
    page.get_by_text("Neu gelesen. Bitte prüfen").wait_for()
    assert page.locator(".line-input").nth(1).input_value() == "Neu gelesen"
    assert active_line(page) == 1
    page.keyboard.press("Enter")  # the next keystroke confirms it, no click needed
    page.locator(".line-row").nth(1).get_by_text("gespeichert").wait_for()


def test_alt_enter_adds_a_line_in_the_gap_below_with_its_own_image(context, reading_server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, reading_server, f"/lines/{first}")
    page.locator(".line-input").first.focus()
    page.keyboard.press("Alt+Enter")
    page.wait_for_function("() => document.querySelectorAll('.line-row').length === 4")
    assert active_line(page) == 1
    crop = page.locator(".line-row").nth(1).get_by_test_id("crop")
    top, bottom = crop.get_attribute("data-top"), crop.get_attribute("data-bottom")
    assert (int(top), int(bottom)) == (190, 230)  # below line 1 (150-190), down to line 2's top (240) at most
    page.locator(".line-row").nth(1).get_by_role("button", name="Neu lesen").click()
    page.get_by_text("Neu gelesen. Bitte prüfen").wait_for()
    assert page.locator(".line-input").nth(1).input_value() == "Neu gelesen"


def test_an_empty_new_line_after_the_last_goes_when_left(context, reading_server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, reading_server, f"/lines/{first}")
    page.locator(".line-input").nth(2).focus()
    page.keyboard.press("Enter")  # save the last line: an empty one follows to type into
    page.wait_for_function("() => document.querySelectorAll('.line-row').length === 4")
    assert active_line(page) == 3
    page.keyboard.press("ArrowUp")  # left empty: it goes, nothing stored
    page.wait_for_function("() => document.querySelectorAll('.line-row').length === 3")
    assert active_line(page) == 2
    assert len(review_ws.lines.current(first)) == 3


def test_a_new_error_starts_without_a_deduction(context, reading_server, review_ws) -> None:
    page = open_page(context, reading_server, f"/analysis/{STUDENT}")
    page.get_by_test_id("analysis-preview").get_by_text("13 von 13 Punkten").wait_for()
    page.locator("fieldset.task").first.get_by_role("button", name="+ Fehler").click()
    row = page.locator("fieldset.task").first.locator(".error-row").last
    assert row.get_by_label("Punktabzug").input_value() == ""
    row.locator(".comment").fill("ungenau")
    page.wait_for_timeout(400)
    page.get_by_test_id("analysis-preview").get_by_text("13 von 13 Punkten").wait_for()  # nothing taken off unasked


def test_a_suggestion_already_taken_in_other_spelling_is_not_offered_again(context, reading_server, review_ws) -> None:
    page = open_page(context, reading_server, f"/analysis/{STUDENT}")
    suggestions = page.locator("#suggestion-list")
    assert "Textart: Quasi" in suggestions.inner_text()
    page.locator("fieldset.task").first.get_by_role("button", name="+ Fehler").click()
    page.locator(".error-row .quote").last.fill("Textart – Quasie")  # the teacher's spelling of the same words
    page.wait_for_function("() => document.getElementById('suggestions').hidden")


def test_tasks_for_the_whole_exam_are_applied_only_after_a_yes(context, reading_server, review_ws) -> None:
    before = review_ws.revisions.exam_sheet(EXAM)
    page = open_page(context, reading_server, f"/analysis/{STUDENT}")
    page.get_by_test_id("analysis-preview").get_by_text("13 von 13 Punkten").wait_for()
    page.locator("fieldset.task").first.get_by_label("Höchstpunkte").fill("9")
    page.get_by_role("button", name="Aufgaben für die ganze Klausur übernehmen").click()
    page.wait_for_timeout(300)
    assert any("für alle Arbeiten der Klausur" in message for message in page.dialogs)  # asked, and answered no
    assert review_ws.revisions.exam_sheet(EXAM) == before


def test_the_overview_says_when_a_scanned_task_sheet_is_unchecked(client, review_ws) -> None:
    assert "Aufgabenblatt noch nicht geprüft" in client.get("/").text
    [sheet_page] = page_ids(review_ws, f"{EXAM}/aufgabe")
    review_ws.revisions.mark_reviewed(sheet_page)
    assert "Aufgabenblatt noch nicht geprüft" not in client.get("/").text


def test_ganze_seite_fits_the_whole_page_in_the_window(context, reading_server, review_ws) -> None:
    page = open_page(context, reading_server, f"/page/{page_ids(review_ws)[0]}")
    page.set_viewport_size({"width": 1280, "height": 700})
    page.locator("#page-img").wait_for()
    inner_scroll = "() => { const p = document.querySelector('.image-pane'); return p.scrollHeight - p.clientHeight; }"
    assert page.evaluate(inner_scroll) > 100  # a scan is taller than the window: its foot needs scrolling in its box
    page.get_by_test_id("fit-page").check()
    assert page.evaluate(inner_scroll) <= 1  # the whole page in view, its bottom edge too, to draw a missed line
    page.reload()
    assert page.get_by_test_id("fit-page").is_checked()  # kept for the next page


def test_after_plus_aufgabe_the_caret_is_in_the_new_tasks_name(context, reading_server, review_ws) -> None:
    page = open_page(context, reading_server, f"/analysis/{STUDENT}")
    page.get_by_test_id("analysis-preview").get_by_text("13 von 13 Punkten").wait_for()
    page.locator("#add-task").click()
    page.keyboard.type("C")
    assert page.locator("fieldset.task").last.locator(".label").input_value() == "C"
