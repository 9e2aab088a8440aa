"""The teacher's red ink in a real browser (chromium via Playwright): the sample page's red `3/5`
is the draft's points of Aufgabe 1 without typing; an empty analysis shows as „leer“."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotate.review import ReviewState
from tests.review.conftest import serving
from tests.review.redink_sample import SAMPLE, add_red_ink_sample
from tests.review.test_review_browser import CHROMIUM, browser, context, open_page  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")]


@pytest.fixture
def server(review_ws) -> Iterator[str]:
    add_red_ink_sample(review_ws)
    state = ReviewState(review_ws.root, token="browser-token")
    with serving(state) as base:
        yield base
    state.close()


def test_the_red_score_is_the_drafts_points_without_typing(context, server) -> None:  # noqa: F811
    page = open_page(context, server, f"/analysis/{SAMPLE}")
    page.get_by_test_id("redink-draft").wait_for()
    first = page.locator("#tasks fieldset.task").first
    assert first.locator("input.label").input_value() == "Aufgabe 1"
    assert first.locator("input.explicit-points").input_value() == "3"
    assert first.get_by_label("Höchstpunkte").input_value() == "5"
    page.get_by_test_id("analysis-preview").get_by_text("12 von 20 Punkten").wait_for()
    assert page.get_by_test_id("paper-check").count() == 0
    # the teacher changes a score: the red total no longer agrees, said beside the total
    first.locator("input.explicit-points").fill("4")
    page.get_by_test_id("paper-check").wait_for()
    assert page.get_by_test_id("paper-check").inner_text() == "Auf dem Blatt steht 12/20, die Aufgaben ergeben 13/20 — bitte prüfen."


def test_an_empty_analysis_is_leer_in_the_overview(context, server, review_ws) -> None:  # noqa: F811
    from annotate.model import Analysis
    from annotate.sheets import canonical_text, settings_from

    text = canonical_text(Analysis(), settings_from(review_ws.config.analysis, review_ws.root))  # what one Ctrl+S stores
    review_ws.revisions.add_analysis(SAMPLE, text, sheet=Analysis().model_dump())
    page = open_page(context, server, "/")
    row = page.locator("tr", has_text="richter-lea")
    row.get_by_text("leer", exact=True).wait_for()
    assert "stimmig" not in row.inner_text()


def test_the_red_notes_are_items_and_the_switch_hides_the_red_ink_too(context, server, review_ws) -> None:  # noqa: F811
    page_id = review_ws.documents.pages(SAMPLE)[0].id
    page = open_page(context, server, f"/page/{page_id}")
    notes = page.get_by_test_id("red-note")
    assert notes.count() == 6
    notes.filter(has_text="3/5").click()
    page.get_by_text("Randnotiz: 3/5 · Sicherheit 88 % · neben der Aufgabe (Überschrift des Schülers)").last.wait_for()
    page.get_by_label("Lehrermarkierungen").uncheck()
    assert not notes.first.is_visible()
    assert page.locator("#page-img").get_attribute("src").endswith("?v=student")
