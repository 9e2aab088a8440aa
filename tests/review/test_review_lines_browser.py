"""The line editor in a real browser (Debian's chromium): every line keeps its own image and its
own text, tabs on different lines never meet, the conflict dialog never discards on Enter, an
empty page can be typed line by line, and a line drawn on the page view lands where it was drawn."""

from __future__ import annotations

import re

from examkit.models import Document, PageOCR
from tests.review.conftest import EXAM, page_ids
from tests.review.test_review_browser import browser, context, open_page, pytestmark, server  # noqa: F401

#: Where conftest's page draws each line (y of its box), by the line's text.
TOP = {"Die Reformation begann 1517 in Wittenberg.": 150, "Luther schrieb 95 Thesen gegen den Ablass.": 240,
       "Textart: Quasi (Statement)": 330}


def crops_and_texts(page) -> list[tuple[int | None, str]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.line-row')).map((row) => {
        const crop = row.querySelector('[data-testid=crop]');
        return [crop ? Number(crop.dataset.top) : null, row.querySelector('.line-input').value];
    })""")


def test_a_line_inserted_above_others_leaves_every_crop_above_its_own_text(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/lines/{first}")
    page.locator(".line-input").first.focus()
    page.keyboard.press("Alt+Enter")  # a new line under the first, above the other two
    page.locator(".line-input").nth(1).wait_for()
    page.wait_for_function("() => document.querySelectorAll('.line-row').length === 4")
    new = page.locator(".line-input").nth(1)
    new.fill("1B")
    new.press("Enter")
    page.locator(".line-row").nth(1).get_by_text("gespeichert").wait_for()
    for _ in range(2):
        rows = crops_and_texts(page)
        assert [text for _, text in rows] == ["Die Reformation begann 1517 in Wittenberg.", "1B",
                                              "Luther schrieb 95 Thesen gegen den Ablass.", "Textart: Quasi (Statement)"]
        assert [top for top, _ in rows] == [TOP.get(text, 190) for _, text in rows]  # "1B": the gap under line 1
        page.reload()
    assert review_ws.revisions.page_text(first).splitlines()[1] == "1B"


def test_two_tabs_saving_different_lines_both_succeed(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    tab_a = open_page(context, server, f"/lines/{first}")
    tab_b = open_page(context, server, f"/lines/{first}")
    tab_a.locator(".line-input").nth(0).fill("Die Reformation begann 1517 in Wittenberg (A).")
    tab_a.locator(".line-input").nth(0).press("Enter")
    tab_a.locator(".line-row").nth(0).get_by_text("gespeichert").wait_for()
    tab_b.locator(".line-input").nth(2).fill("Textart: Quelle (B)")
    tab_b.locator(".line-input").nth(2).press("Enter")
    tab_b.locator(".line-row").nth(2).get_by_text("gespeichert").wait_for()
    assert not tab_b.locator("#conflict").is_visible()
    assert review_ws.revisions.page_text(first).splitlines() == [
        "Die Reformation begann 1517 in Wittenberg (A).", "Luther schrieb 95 Thesen gegen den Ablass.",
        "Textart: Quelle (B)"]


def test_the_conflict_dialog_never_discards_on_enter(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    tab_a = open_page(context, server, f"/lines/{first}")
    tab_b = open_page(context, server, f"/lines/{first}")
    tab_a.locator(".line-input").nth(1).fill("Luther schrieb 95 Thesen (A)")
    tab_a.locator(".line-input").nth(1).press("Enter")
    tab_a.locator(".line-row").nth(1).get_by_text("gespeichert").wait_for()
    tab_b.locator(".line-input").nth(1).fill("Luther schrieb 95 Thesen (B)")
    tab_b.locator(".line-input").nth(1).press("Enter")
    dialog = tab_b.locator("#conflict")
    dialog.get_by_text("Diese Zeile wurde inzwischen anderswo gespeichert").wait_for()
    assert dialog.get_by_test_id("conflict-theirs").locator("mark").all_inner_texts() == ["(A)"]
    assert dialog.get_by_test_id("conflict-mine").locator("mark").all_inner_texts() == ["(B)"]
    assert tab_b.evaluate("document.activeElement.dataset.action") == "cancel"
    dialog.get_by_role("button", name="Meine Fassung speichern").focus()
    tab_b.keyboard.press("Enter")  # Enter on the destructive button does nothing
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Abbrechen – nichts speichern, mein Text bleibt im Feld").focus()
    tab_b.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    assert tab_b.locator(".line-input").nth(1).input_value() == "Luther schrieb 95 Thesen (B)"
    assert review_ws.revisions.page_text(first).splitlines()[1] == "Luther schrieb 95 Thesen (A)"


def test_an_empty_page_is_typed_line_by_line(context, server, review_ws) -> None:
    doc = f"{EXAM}/leer-lena"
    review_ws.documents.upsert(Document(id=doc, exam=EXAM, kind="student", source="/scans/leer-lena.pdf"))
    page_id = review_ws.documents.store_page_ocr(doc, 1, PageOCR(engine="test")).id
    overview = open_page(context, server, "/")
    assert overview.locator("tr", has_text="leer-lena").get_by_test_id("nothing-read").inner_text() == "nichts erkannt"
    page = open_page(context, server, f"/lines/{page_id}")
    for n, text in enumerate(["Erste Zeile", "Zweite Zeile", "Dritte Zeile"]):
        field = page.locator(".line-input").nth(n)
        field.fill(text)
        field.press("Enter")
        page.wait_for_function(f"() => document.querySelectorAll('.line-input').length === {n + 2}")
        assert page.evaluate("document.activeElement === document.querySelectorAll('.line-input')[%d]" % (n + 1))
    assert review_ws.revisions.page_text(page_id) == "Erste Zeile\nZweite Zeile\nDritte Zeile"
    assert [li.origin for li in review_ws.lines.current(page_id)] == ["typed"] * 3


def test_a_box_drawn_between_two_lines_on_the_page_view_becomes_a_line_between_them(context, server, review_ws) -> None:
    first = page_ids(review_ws)[0]
    page = open_page(context, server, f"/page/{first}")
    button = page.get_by_role("button", name="Zeile einzeichnen")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")  # Esc leaves the drawing mode
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    img = page.locator("#page-img").bounding_box()
    scale = img["width"] / 1240  # the image is shown scaled: screen → page pixels is the page's job

    def at(x: float, y: float) -> tuple[float, float]:
        return img["x"] + x * scale, img["y"] + y * scale

    page.mouse.move(*at(120, 196))  # between "Die Reformation …" (y 150–190) and "Luther …" (y 240–280)
    page.mouse.down()
    page.mouse.move(*at(400, 215))
    page.mouse.move(*at(700, 234))
    page.mouse.up()
    page.wait_for_url(re.compile(rf"/lines/{first}\?neu=\d+$"))
    page.wait_for_function("() => document.querySelectorAll('.line-row').length === 4")
    rows = crops_and_texts(page)
    assert [text for _, text in rows] == ["Die Reformation begann 1517 in Wittenberg.", "",
                                          "Luther schrieb 95 Thesen gegen den Ablass.", "Textart: Quasi (Statement)"]
    assert [top for top, _ in rows[::2]] == [150, 240] and rows[3][0] == 330
    assert abs(rows[1][0] - 196) <= 2  # the drawn box, in page pixels
    new_row = page.locator(".line-row").nth(1)
    assert new_row.get_by_role("button", name="Neu lesen").is_visible()
    assert page.evaluate("() => document.activeElement === document.querySelectorAll('.line-input')[1]")
    page.keyboard.type("1B")
    page.keyboard.press("Enter")
    new_row.get_by_text("gespeichert").wait_for()
    assert review_ws.revisions.page_text(first).splitlines() == [
        "Die Reformation begann 1517 in Wittenberg.", "1B", "Luther schrieb 95 Thesen gegen den Ablass.",
        "Textart: Quasi (Statement)"]
    assert [li.origin for li in review_ws.lines.current(first)][1] == "drawn"
