"""The teacher's red ink on the review page: a draft from it, its notes, its total checked."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.review.redink_sample import SAMPLE, add_red_ink_sample

EMPTY = {"title": None, "tasks": [], "extras": []}


def test_the_red_ink_prefills_a_draft_with_each_tasks_points(client: TestClient, review_ws) -> None:
    add_red_ink_sample(review_ws)
    view = client.get(f"/api/analysis/{SAMPLE}").json()
    assert view["origin"] == "redink"
    tasks = [(t["label"], t["points"], t["max"]) for t in view["sheet"]["tasks"]]
    assert tasks == [("Aufgabe 1", 3, 5), ("Aufgabe 2", 6, 9), ("Aufgabe 3", 3, 6)]
    assert [(e["quote"], e["deduction"]) for e in view["sheet"]["tasks"][1]["errors"]] == [("1925 mit der Rentenmark", 1)]
    rules = {n["text"]: n["rule"] for n in view["red_ink"]["notes"]}
    assert rules == {"12/20": "total", "3/5": "heading", "-1": "underline", "6/9": "heading", "-3": "underline",
                     "3/6": "heading"}
    assert view["red_ink"]["total"] == [12, 20] and view["red_ink"]["checks"] == []
    assert review_ws.revisions.latest_analysis(SAMPLE, include_drafts=True) is None  # shown, never stored
    overview = client.get("/").text
    assert "Entwurf prüfen" in overview[overview.index("richter-lea"):][:1500]


def test_a_red_total_that_differs_is_said_in_german_beside_the_total(client: TestClient, review_ws) -> None:
    add_red_ink_sample(review_ws)
    sheet = {"title": None, "extras": [], "tasks": [{"label": "Aufgabe 1", "max": 5, "points": None, "errors": [], "tasks": []},
                                                    {"label": "Aufgabe 2", "max": 9, "points": 8, "errors": [], "tasks": []},
                                                    {"label": "Aufgabe 3", "max": 6, "points": 5, "errors": [], "tasks": []}]}
    answer = client.post("/api/preview", json={"document_id": SAMPLE, "sheet": sheet}).json()
    paper = [p for p in answer["problems"] if p["code"] == "red-total-mismatch"]
    assert [p["message"] for p in paper] == ["Auf dem Blatt steht 12/20, die Aufgaben ergeben 18/20 — bitte prüfen."]
    assert paper[0]["severity"] == "warning"


def test_an_empty_analysis_is_leer_not_stimmig(client: TestClient, review_ws) -> None:
    add_red_ink_sample(review_ws)
    assert client.post("/api/analysis", json={"document_id": SAMPLE, "sheet": EMPTY, "base": None}).status_code == 200
    page = client.get("/").text
    row = page[page.index("richter-lea"):][:1500]
    assert ">leer<" in row and "stimmig" not in row


def test_the_page_shows_the_red_notes_as_items_with_their_reading(client: TestClient, review_ws) -> None:
    page_id = add_red_ink_sample(review_ws)
    html = client.get(f"/page/{page_id}").text
    assert html.count('data-testid="red-note"') == 6
    assert "Randnotiz: 3/5 · Sicherheit 88 % · neben der Aufgabe (Überschrift des Schülers)" in html


def test_without_the_teachers_marks_the_page_shows_the_scan_without_red_ink(client: TestClient, review_ws) -> None:
    from PIL import Image

    page_id = add_red_ink_sample(review_ws)
    with_red = client.get(f"/img/page/{page_id}.jpg?v=student").content  # no red-free image kept: the page itself
    assert with_red == client.get(f"/img/page/{page_id}.jpg").content
    page = review_ws.documents.page(page_id)
    Image.new("L", (400, 600), 128).save(review_ws.path(page.image.rsplit(".", 1)[0] + ".student.jpg"))
    without = client.get(f"/img/page/{page_id}.jpg?v=student")
    assert without.status_code == 200 and without.content != with_red


def test_a_red_note_is_corrected_in_place_and_the_draft_follows(client: TestClient, review_ws) -> None:
    page_id = add_red_ink_sample(review_ws)
    view = client.get(f"/api/pages/{page_id}").json()
    note = next(m for m in view["marks"] if m["kind"] == "margin" and m["text"] == "3/5")
    saved = client.post(f"/api/pages/{page_id}/notes/{note['ordinal']}", json={"text": "4/5", "base": view["notes_base"]})
    assert saved.status_code == 200
    analysis = client.get(f"/api/analysis/{SAMPLE}").json()
    assert [t["points"] for t in analysis["sheet"]["tasks"]] == [4, 6, 3]
    corrected = next(n for n in analysis["red_ink"]["notes"] if n["text"] == "4/5")
    assert (corrected["conf"], corrected["rule"]) == (100, "heading")
    assert review_ws.documents.latest_ocr(page_id).marks[note["index"]].text == "3/5"  # the reading is kept
    stale = client.post(f"/api/pages/{page_id}/notes/0", json={"text": "13/20", "base": view["notes_base"]})
    assert stale.status_code == 409
    again = client.get(f"/api/pages/{page_id}").json()
    assert client.post(f"/api/pages/{page_id}/notes/99", json={"text": "x", "base": again["notes_base"]}).status_code == 404
