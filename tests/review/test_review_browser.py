"""The review page in a real browser: Debian's chromium driven by Playwright against the real
server (uvicorn in a thread on a free loopback port). Few and fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotate.review import ReviewState
from tests.review.conftest import STUDENT, other_listener, page_ids, serving

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); "
                                                     "`make setup` installs it"),
]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def server(review_ws) -> Iterator[str]:
    """The real app on a free port; yields its base URL, random path included (the token is set by `open_page`)."""
    state = ReviewState(review_ws.root, token="browser-token")
    with serving(state) as base:
        yield base
    state.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(locale="de-DE")
    ctx.set_default_timeout(5000)
    yield ctx
    ctx.close()


def open_page(context, server: str, path: str):
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}{path}?token=browser-token")
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return page


def test_edit_save_and_reload_shows_the_edit(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/page/{first}")
    text = page.get_by_test_id("page-text")
    text.fill("Die Reformation begann 1517 in Wittenberg.\nkorrigiert im Browser")
    page.get_by_test_id("save").click()
    page.get_by_text("Gespeichert.").wait_for()
    page.reload()
    assert page.get_by_test_id("page-text").input_value().endswith("korrigiert im Browser")
    page.get_by_test_id("mark-reviewed").click()
    page.get_by_text("Seite als durchgesehen markiert.").wait_for()
    assert review_ws.revisions.is_reviewed(first)


def test_select_a_phrase_add_an_error_and_the_preview_updates(context, server) -> None:
    page = open_page(context, server, f"/analysis/{STUDENT}")
    preview = page.get_by_test_id("analysis-preview")
    preview.get_by_text("13 von 13 Punkten").wait_for()
    answer = page.get_by_test_id("student-page").first  # selected by keyboard only
    answer.focus()
    page.evaluate("() => { const a = document.activeElement, at = a.value.indexOf('Textart: Quasi'); "
                  "a.setSelectionRange(at, at); }")
    for _ in "Textart: Quasi":
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Alt+f")
    page.locator(".error-row .comment").last.fill("ist falsch. Die Textart = Brief")
    page.locator(".error-row").last.get_by_label("Punktabzug").fill("1")  # a new error starts without one
    preview.get_by_text("12 von 13 Punkten").wait_for()
    assert '"Textart: Quasi" ist falsch. Die Textart = Brief (-1 Punkt)' in preview.inner_text()
    assert page.locator("#suggestions").is_hidden()  # the underline it came from is taken
    page.get_by_test_id("save").click()
    page.get_by_text("Fehleranalyse gespeichert.").wait_for()


def stale_save(context, server: str, page_id: int, mine: str):
    """Tab A saves, then tab B (opened before) saves ``mine``: returns tab B with the conflict open."""
    tab_a = open_page(context, server, f"/page/{page_id}")
    tab_b = open_page(context, server, f"/page/{page_id}")
    tab_a.get_by_test_id("page-text").fill("Fassung aus Tab A")
    tab_a.get_by_test_id("save").click()
    tab_a.get_by_text("Gespeichert.").wait_for()
    tab_b.get_by_test_id("page-text").fill(mine)
    tab_b.keyboard.press("Control+s")
    return tab_b


def test_a_stale_save_gets_the_conflict_and_keeps_both(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    tab_b = stale_save(context, server, first, "Fassung aus Tab B")
    dialog = tab_b.locator("#conflict")
    dialog.get_by_text("Fassung aus Tab A").wait_for()
    dialog.get_by_role("button", name="Meine Fassung speichern").click()
    tab_b.get_by_text("Gespeichert.").wait_for()
    assert [r.text for r in review_ws.revisions.texts(first)] == ["Fassung aus Tab A", "Fassung aus Tab B"]


def test_reload_after_a_conflict_keeps_my_text_to_copy(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    tab_b = stale_save(context, server, first, "Meine <b>ungespeicherte</b> Fassung")
    tab_b.locator("#conflict").get_by_role("button", name="Die andere Fassung übernehmen, meine zum Kopieren behalten").click()
    kept = tab_b.get_by_test_id("kept-text")
    kept.wait_for()
    assert kept.locator("textarea").input_value() == "Meine <b>ungespeicherte</b> Fassung"
    assert tab_b.get_by_test_id("page-text").input_value() == "Fassung aus Tab A"
    assert [r.text for r in review_ws.revisions.texts(first)] == ["Fassung aus Tab A"]


def test_markup_is_shown_as_text(context, server, review_ws) -> None:
    second = page_ids(review_ws)[1]
    page = open_page(context, server, f"/page/{second}")
    assert "<script>alert(1)</script>" in page.get_by_test_id("page-text").input_value()
    page = open_page(context, server, f"/analysis/{STUDENT}")
    assert "<script>alert(1)</script>" in page.get_by_test_id("student-page").nth(1).input_value()
    assert page.locator("#student-text script").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_line_editor_enter_saves_the_line_and_moves_on(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/lines/{first}")
    lines = page.locator(".line-input")
    assert lines.count() == 3
    lines.nth(2).fill("Textart: Quelle (Statement)")
    lines.nth(2).press("Enter")
    page.locator(".line-row").nth(2).get_by_text("gespeichert").wait_for()
    page.keyboard.press("F8")  # no flagged word after the cursor: wraps to the first, "1517"
    assert page.evaluate("document.activeElement.value.substring(document.activeElement.selectionStart, "
                         "document.activeElement.selectionEnd)") == "1517"
    assert review_ws.revisions.latest_text(first).text.splitlines() == [
        "Die Reformation begann 1517 in Wittenberg.", "Luther schrieb 95 Thesen gegen den Ablass.",
        "Textart: Quelle (Statement)"]


def test_line_editor_alt_arrows_jump_between_flagged_words(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/lines/{first}")
    page.locator(".line-input").nth(2).focus()
    page.keyboard.press("Alt+ArrowDown")  # nothing flagged after line 3: wraps to the first flagged word
    selected = ("document.activeElement.value.substring(document.activeElement.selectionStart, "
                "document.activeElement.selectionEnd)")
    assert page.evaluate(selected) == "1517"
    page.keyboard.press("Alt+ArrowUp")  # and back again, wrapping to the last one
    assert page.evaluate(selected) != ""


def test_the_token_cookie_never_reaches_another_local_port_and_two_servers_work_side_by_side(
        context, review_ws) -> None:
    first, second = ReviewState(review_ws.root, token="token-eins"), ReviewState(review_ws.root, token="token-zwei")
    with serving(first) as one, serving(second) as two, other_listener() as (other, seen):
        tab = context.new_page()
        tab.goto(f"{one}/?token=token-eins")
        tab.get_by_text("mueller-anna").first.wait_for()
        tab.goto(f"{two}/?token=token-zwei")  # the second server must not lock the first out
        tab.get_by_text("mueller-anna").first.wait_for()
        for url in (f"{one}/", f"{two}/", f"{one}/analysis/{STUDENT}"):
            assert tab.goto(url).status == 200, url
        for path in ("/", "/s/", "/api/pages/1"):
            tab.goto(other + path)
        assert {"/", "/s/", "/api/pages/1"} <= {r["path"] for r in seen}
        assert not [r for r in seen if "token-" in r.get("cookie", "")], seen
        assert sorted(c["path"] for c in context.cookies()) == sorted([f"{first.base_path}/", f"{second.base_path}/"])
    first.close()
    second.close()


def test_a_page_on_another_local_port_cannot_frame_the_review_page(context, server) -> None:
    open_page(context, server, "/").get_by_text("mueller-anna").first.wait_for()  # logged in
    with other_listener(f'<!doctype html><iframe src="{server}/" width="800" height="600"></iframe>') as (other, _):
        page = context.new_page()
        blocked = []
        page.on("console", lambda m: blocked.append(m.text))
        page.goto(other)
        page.wait_for_timeout(300)
        framed = page.frames[1]
        assert "mueller-anna" not in framed.content()
        assert any("frame-ancestors" in text or "X-Frame-Options" in text for text in blocked), blocked
