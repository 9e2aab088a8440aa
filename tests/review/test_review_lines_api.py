"""The line editor's API: saves per line, structure changes, conflicts, re-reading one line."""

from __future__ import annotations

from examkit.models import Line, Word
from tests.review.conftest import page_ids


def test_saves_on_two_lines_from_one_start_both_succeed_and_the_same_line_conflicts(client, review_ws) -> None:
    first = page_ids(review_ws)[0]
    lines = client.get(f"/api/pages/{first}/lines").json()["lines"]
    a = client.post(f"/api/lines/{lines[0]['id']}", json={"text": "A", "base": lines[0]["revision"]})
    b = client.post(f"/api/lines/{lines[2]['id']}", json={"text": "B", "base": lines[2]["revision"]})
    assert (a.status_code, b.status_code) == (200, 200)
    stale = client.post(f"/api/lines/{lines[0]['id']}", json={"text": "A2", "base": lines[0]["revision"]})
    assert stale.status_code == 409 and stale.json()["current"]["text"] == "A"
    assert review_ws.revisions.page_text(first).splitlines()[::2] == ["A", "B"]


def test_a_pasted_line_break_never_makes_two_lines_of_one(client, review_ws) -> None:
    first = page_ids(review_ws)[0]
    line = client.get(f"/api/pages/{first}/lines").json()["lines"][1]
    saved = client.post(f"/api/lines/{line['id']}", json={"text": "eins\nzwei", "base": line["revision"]}).json()
    assert saved["line"]["text"] == "eins zwei" and saved["line"]["flagged"] == 0


def test_reread_stores_the_engines_reading_in_page_pixels(client, state, review_ws) -> None:
    class Reader:
        name, reads_lines = "fake", True

        def read_line(self, crop, *, lang):
            assert crop.ndim == 2 and crop.shape[0] > 10
            return Line(words=[Word(text="Neu", conf=40, bbox=(2, 3, 30, 20), flagged=True)], bbox=(0, 0, 40, 30))

    from ocr.reread import reread_line

    state.line_reader = lambda ws, line: (reread_line(ws, line, Reader()), Reader.name)
    first = page_ids(review_ws)[0]
    line = client.get(f"/api/pages/{first}/lines").json()["lines"][0]
    answer = client.post(f"/api/lines/{line['id']}/reread", json={"base": line["revision"]})
    assert answer.status_code == 200, answer.text
    stored = answer.json()["line"]
    x0, y0 = line["bbox"][:2]
    assert stored["text"] == "Neu" and stored["flagged"] == 1 and not stored["by_person"]
    assert stored["words"][0]["bbox"] == [x0 + 2, y0 + 3, x0 + 30, y0 + 20]
    assert stored["polygon"] == line["polygon"]
    again = client.post(f"/api/lines/{line['id']}/reread", json={"base": line["revision"]})
    assert again.status_code == 409


def test_reread_without_an_engine_says_so_in_german(client, state, review_ws) -> None:
    assert state.line_reader is None  # a review app built without the OCR stage
    line = client.get(f"/api/pages/{page_ids(review_ws)[0]}/lines").json()["lines"][0]
    answer = client.post(f"/api/lines/{line['id']}/reread", json={"base": line["revision"]})
    assert answer.status_code == 422 and answer.json()["detail"].startswith("Neu lesen ist hier nicht möglich")


def test_a_drawn_line_goes_after_the_nearest_line_above_it(client, review_ws) -> None:
    """conftest's lines sit at y 150–190, 240–280 and 330–370; a box drawn between two of them
    lands between them, one above all first, one below all last; no other line's text moves."""
    first = page_ids(review_ws)[0]
    before = [li["text"] for li in client.get(f"/api/pages/{first}/lines").json()["lines"]]

    def draw(top: int, bottom: int) -> list[dict]:
        box = [[120, top], [700, top], [700, bottom], [120, bottom]]
        answer = client.post(f"/api/pages/{first}/lines", json={"text": "", "polygon": box})
        assert answer.status_code == 200, answer.text
        assert answer.json()["line"]["origin"] == "drawn"
        return answer.json()["lines"]

    lines = draw(195, 235)
    assert [li["text"] for li in lines] == [before[0], "", before[1], before[2]]
    assert lines[1]["bbox"] == [120, 195, 700, 235]
    lines = draw(20, 60)
    assert lines[0]["bbox"] == [120, 20, 700, 60] and [li["text"] for li in lines[1:]] == [before[0], "", *before[1:]]
    lines = draw(600, 640)
    assert lines[-1]["bbox"] == [120, 600, 700, 640]
    assert [li["text"] for li in lines if li["text"]] == before
    assert review_ws.revisions.page_text(first).split("\n") == ["", before[0], "", before[1], before[2], ""]
