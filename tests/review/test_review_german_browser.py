"""The review page as a German teacher meets it, in Debian's chromium: bad input named in German,
invalid numbers marked and never counted, suggestions from the corrected text, history with a
word diff, focus where typing starts."""

from __future__ import annotations

import re

import pytest

from tests.review.conftest import STUDENT, page_ids
from tests.review.test_review_browser import CHROMIUM, browser, context, open_page, server  # noqa: F401 (fixtures)
from tests.review.test_review_german import ENGLISH, FIELD_PATH

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "`make setup` installs it"),
]

#: Everything the analysis view says: preview, problems, the message box, field tooltips.
SAID = """() => [
    document.getElementById('preview').innerText,
    document.getElementById('message').hidden ? '' : document.getElementById('message').innerText,
    ...Array.from(document.querySelectorAll('[title]')).map((n) => n.title),
    ...Array.from(document.querySelectorAll('.task-head [data-points]')).map((n) => n.innerText),
].join('\\n')"""


def _analysis(context, server):
    page = open_page(context, server, f"/analysis/{STUDENT}")
    page.get_by_test_id("analysis-preview").get_by_text("13 von 13 Punkten").wait_for()
    return page


def _max(page, task: int):
    return page.locator("fieldset.task").nth(task).get_by_label("Höchstpunkte")


def _add_error(page, task: int, quote: str, deduction: str):
    page.locator("fieldset.task").nth(task).get_by_role("button", name="+ Fehler").click()
    row = page.locator("fieldset.task").nth(task).locator(".error-row").last
    row.locator(".quote").fill(quote)
    row.locator(".comment").fill("ungenau")
    row.get_by_label("Punktabzug").fill(deduction)
    return row.get_by_label("Punktabzug")


def test_bad_input_is_named_in_german_without_field_paths(context, server, review_ws) -> None:
    page = _analysis(context, server)
    steps = [
        lambda: _max(page, 0).fill("x"),
        lambda: _add_error(page, 1, "", "abc"),
        lambda: _add_error(page, 1, "", "1.25"),
        lambda: _add_error(page, 1, "", "11"),
        lambda: _add_error(page, 1, "Der Papst war Luthers Freund", "1"),
        lambda: page.get_by_role("button", name="+ Zusatzpunkte (z. B. Form)").click(),
    ]
    said = []
    for step in steps:
        step()
        page.wait_for_timeout(400)  # the preview follows after 200 ms
        page.get_by_test_id("save").click()
        page.wait_for_timeout(300)
        said.append(page.evaluate(SAID))
    text = "\n".join(said)
    assert "Aufgabe A, Höchstpunkte: „x“ ist keine Zahl" in text
    assert "Aufgabe B, Fehler 1, Abzug: „abc“ ist keine Zahl" in text
    assert "Nicht gespeichert – bitte prüfen: Aufgabe A, Höchstpunkte" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)
    assert not FIELD_PATH.search(text), FIELD_PATH.search(text)
    assert "ENDSTOP" not in text
    assert review_ws.revisions.analyses(STUDENT) == []  # nothing with a bad number was stored


def test_an_invalid_deduction_is_marked_and_not_counted(context, server, review_ws) -> None:
    page = _analysis(context, server)
    preview = page.get_by_test_id("analysis-preview")
    deduction = _add_error(page, 0, "Textart: Quasi", "2")
    preview.get_by_text("11 von 13 Punkten").wait_for()
    deduction.fill("abc")
    assert "invalid" in deduction.get_attribute("class") and deduction.get_attribute("aria-invalid") == "true"
    assert page.locator("fieldset.task").first.locator("[data-points]").first.inner_text() == "= ? P."
    preview.get_by_text("Noch nicht stimmig").wait_for()
    assert "von 13 Punkten" not in preview.inner_text()  # neither 13 (counted as 0) nor the old 11
    shown = page.locator(".task-head [data-points]")
    assert shown.all_inner_texts() == ["= ? P.", "= 5 P."]  # the valid task keeps the server's count
    page.keyboard.press("Control+s")
    page.get_by_text("Nicht gespeichert – bitte prüfen: Aufgabe A, Fehler 1, Abzug: „abc“ ist keine Zahl").wait_for()
    assert review_ws.revisions.analyses(STUDENT) == []
    deduction.fill("1,5")  # the German way; "1.5" is taken too
    preview.get_by_text("11,5 von 13 Punkten").wait_for()
    assert deduction.get_attribute("aria-invalid") is None
    assert page.locator("fieldset.task").first.locator("[data-points]").first.inner_text() == "= 6,5 P."
    assert preview.locator(".stop-marker").inner_text() == "ENDSTOP"  # what the training file will contain
    page.get_by_test_id("save").click()
    page.get_by_text("Fehleranalyse gespeichert.").wait_for()
    assert "(-1,5 Punkte)" in review_ws.revisions.latest_analysis(STUDENT).text


def test_a_suggestion_after_a_correction_carries_the_corrected_words(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    corrected = review_ws.revisions.page_text(first).replace("Textart: Quasi", "Textart: Quelle")
    review_ws.revisions.add_text(first, corrected, source="review")
    page = _analysis(context, server)
    suggestions = page.locator("#suggestion-list")
    assert "Textart: Quelle" in suggestions.inner_text() and "Quasi" not in suggestions.inner_text()
    suggestions.get_by_role("button", name="Übernehmen").click()
    assert page.locator(".error-row .quote").last.input_value() == "Textart: Quelle"
    assert page.locator(".error-row").last.get_by_label("Punktabzug").input_value() == ""  # the teacher decides
    page.locator(".error-row .comment").last.fill("ungenau")
    page.locator(".error-row").last.get_by_label("Punktabzug").fill("1")
    page.get_by_test_id("analysis-preview").get_by_text("12 von 13 Punkten").wait_for()
    assert "Zitat nicht im Schülertext gefunden" not in page.get_by_test_id("analysis-preview").inner_text()


def test_history_shows_who_when_and_a_word_diff(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/page/{first}")
    area = page.get_by_test_id("page-text")
    assert page.evaluate("document.activeElement.id") == "page-text"  # typing starts at once
    original = area.input_value()
    area.fill(original.replace("Quasi", "Quelle"))
    page.get_by_test_id("save").click()
    page.get_by_text("Gespeichert.").wait_for()
    area.fill(original.replace("Quasi", "Quelle").replace("begann", "begann am 31. Oktober"))
    page.keyboard.press("Control+s")
    history = page.locator("#history")
    history.locator("summary").get_by_text("Verlauf (2 gespeicherte Fassungen)").wait_for()
    history.locator("summary").click()
    entries = history.locator("li")
    assert re.search(r"\d\d:\d\d:\d\d", entries.first.inner_text())
    assert "Lehrkraft" in entries.first.inner_text()
    assert "+ „am 31. Oktober“" in entries.first.inner_text()
    assert "„Quasi“ → „Quelle“" in entries.nth(1).inner_text()
    entries.nth(1).get_by_role("button", name="Ansehen").click()
    dialog = page.locator("#show-revision")
    shown = dialog.get_by_test_id("revision-text")
    assert shown.locator("del").all_inner_texts() == ["Quasi"] and shown.locator("ins").all_inner_texts() == ["Quelle"]
    assert "Quasi Quelle (Statement)" in shown.inner_text()
    assert "Lehrkraft" in dialog.locator("h2").inner_text()


def test_one_saved_version_is_singular(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    review_ws.revisions.add_text(first, "eine Fassung", source="review")
    page = open_page(context, server, f"/page/{first}")
    assert page.locator("#history summary").inner_text() == "Verlauf (1 gespeicherte Fassung)"


def test_the_analysis_history_shows_what_each_save_changed(context, server, review_ws) -> None:
    page = _analysis(context, server)
    assert page.locator("#analysis-history").is_hidden()  # nothing saved yet
    deduction = _add_error(page, 0, "Textart: Quasi", "1")
    page.get_by_test_id("save").click()
    page.get_by_text("Fehleranalyse gespeichert.").wait_for()
    deduction.fill("2")
    page.get_by_test_id("save").click()
    history = page.locator("#analysis-history")
    history.locator("summary").get_by_text("Verlauf (2 gespeicherte Fassungen)").wait_for()
    history.locator("summary").click()
    assert "„(7“ → „(6“ (und 4 weitere Änderungen)" in history.locator("li").first.inner_text()  # A (7 → 6 von 8 …
    history.locator("li").first.get_by_role("button", name="Ansehen").click()
    shown = page.locator("#show-revision").get_by_test_id("revision-text")
    assert "(-2 Punkte)" in shown.locator("ins").all_inner_texts()
