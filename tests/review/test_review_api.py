"""The review server's API and views through FastAPI's TestClient."""

from __future__ import annotations

from fastapi.testclient import TestClient

from annotate.model import analysis_from_data, computed_points
from annotate.review import create_app
from tests.review.conftest import STUDENT, page_ids


def test_every_request_needs_the_token(anon: TestClient, review_ws) -> None:
    page = page_ids(review_ws)[0]
    for url in ("/", f"/page/{page}", f"/api/pages/{page}", f"/img/page/{page}.jpg", "/static/review.css"):
        assert anon.get(url).status_code == 403, url
    assert anon.post(f"/api/pages/{page}/text", json={"text": "x", "base": None}).status_code == 403
    assert anon.get("/", headers={"X-Examkit-Token": "wrong"}).status_code == 403
    assert anon.get("/", headers={"Authorization": "Bearer test-token"}).status_code == 200
    assert review_ws.revisions.latest_text(page) is None


def test_token_in_the_url_sets_a_strict_cookie_and_is_dropped(anon: TestClient, state) -> None:
    first = anon.get("/?token=test-token", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == f"{state.base_path}/"
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and f"Path={state.base_path}/" in cookie
    assert anon.get("/").status_code == 200  # the cookie carries it from now on
    assert "Übersicht" in anon.get("/").text


def test_views_render_and_show_markup_as_text(client: TestClient, review_ws) -> None:
    first, second = page_ids(review_ws)
    overview = client.get("/")
    assert overview.status_code == 200 and "mueller-anna" in overview.text
    assert client.get(f"/lines/{first}").status_code == 200
    assert client.get(f"/analysis/{STUDENT}").status_code == 200
    page = client.get(f"/page/{second}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_save_is_a_revision_and_a_stale_save_gets_409_with_the_newer_text(client: TestClient, review_ws) -> None:
    page = page_ids(review_ws)[0]
    assert client.get(f"/api/pages/{page}").json()["base"] is None
    saved = client.post(f"/api/pages/{page}/text", json={"text": "Tab eins", "base": None})
    assert saved.status_code == 200
    first_id = saved.json()["revision"]["id"]
    stale = client.post(f"/api/pages/{page}/text", json={"text": "Tab zwei", "base": None})
    assert stale.status_code == 409
    assert stale.json()["current"]["text"] == "Tab eins"
    kept = client.post(f"/api/pages/{page}/text", json={"text": "Tab zwei", "base": first_id})
    assert kept.status_code == 200
    assert [r.text for r in review_ws.revisions.texts(page)] == ["Tab eins", "Tab zwei"]


def test_history_and_revert_make_a_new_revision(client: TestClient, review_ws) -> None:
    page = page_ids(review_ws)[0]
    one = client.post(f"/api/pages/{page}/text", json={"text": "eins", "base": None}).json()["revision"]["id"]
    two = client.post(f"/api/pages/{page}/text", json={"text": "zwei", "base": one}).json()["revision"]["id"]
    back = client.post(f"/api/pages/{page}/revert", json={"revision": one, "base": two})
    assert back.status_code == 200 and back.json()["revision"]["text"] == "eins"
    to_ocr = client.post(f"/api/pages/{page}/revert", json={"revision": None, "base": back.json()["revision"]["id"]})
    assert to_ocr.json()["revision"]["text"].startswith("Die Reformation begann 1517")
    history = client.get(f"/api/pages/{page}").json()["history"]
    assert [h["text"][:4] for h in history] == ["Die ", "eins", "zwei", "eins"]
    assert all(h["author"] == "Lehrkraft" and h["when"] for h in history)


def test_reviewed_mark(client: TestClient, review_ws) -> None:
    page = page_ids(review_ws)[0]
    assert client.post(f"/api/pages/{page}/reviewed", json={"reviewed": True}).status_code == 200
    assert review_ws.revisions.is_reviewed(page)
    assert "1 / 2" in client.get("/").text


def test_vanished_page_and_document_give_404_with_a_message(client: TestClient) -> None:
    saved = client.post("/api/pages/9999/text", json={"text": "x", "base": None})
    assert saved.status_code == 404 and "nicht" in saved.json()["detail"]
    view = client.get("/analysis/LK-Test-2024/gibt-es-nicht")
    assert view.status_code == 404 and "Nicht gefunden" in view.text
    assert client.get("/page/9999").status_code == 404
    assert client.post("/api/analysis", json={"document_id": "weg/da", "sheet": {"tasks": []}}).status_code == 404


def test_bodies_are_size_limited(state, review_ws) -> None:
    state.max_body = 2000
    with TestClient(create_app(state), base_url=f"http://127.0.0.1{state.base_path}") as small:
        small.headers["X-Examkit-Token"] = state.token
        page = page_ids(review_ws)[0]
        big = small.post(f"/api/pages/{page}/text", json={"text": "x" * 5000, "base": None})
        assert big.status_code == 413
        chunked = small.post(f"/api/pages/{page}/text", content=iter([b'{"text": "', b"x" * 5000, b'"}']),
                             headers={"Content-Type": "application/json"})
        assert chunked.status_code == 413
        assert small.post(f"/api/pages/{page}/text", json={"text": "kurz", "base": None}).status_code == 200
    assert [r.text for r in review_ws.revisions.texts(page)] == ["kurz"]


def test_preview_numbers_and_audit(client: TestClient) -> None:
    sheet = {"title": "DIE REFORMATION", "tasks": [
        {"label": "A", "max": 8, "errors": [
            {"quote": "Textart: Quasi", "comment": "ist falsch. Die Textart = Brief", "deduction": 1},
            {"quote": "Der Papst war Luthers Freund", "comment": "steht nicht da", "deduction": 1.5}]},
        {"label": "B", "max": 5, "tasks": [{"label": "a", "max": 2, "errors": [{"comment": "Genauer", "deduction": 1}]},
                                            {"label": "b", "max": 3}]}]}
    answer = client.post("/api/preview", json={"document_id": STUDENT, "sheet": sheet}).json()
    assert answer["ok"]
    assert answer["totals"] == {"points": 9.5, "max": 13, "percent": 73, "grade": "2-"}
    assert "\tA (5,5 von 8 Punkte):" in answer["text"]
    assert "Punkte: 9,5 von 13, das entspricht einer Leistung von: 73%" in answer["text"]
    assert [p["code"] for p in answer["problems"]] == ["quote-not-found"]  # the Papst quote is not in the text
    assert "Papst" in answer["problems"][0]["message"]
    model = analysis_from_data(sheet)
    expected = [(["tasks", 0], computed_points(model.tasks[0])), (["tasks", 1], computed_points(model.tasks[1])),
                (["tasks", 1, "tasks", 0], computed_points(model.tasks[1].tasks[0])),
                (["tasks", 1, "tasks", 1], computed_points(model.tasks[1].tasks[1]))]
    assert [(p["path"], p["points"]) for p in answer["points"]] == expected
    assert [p for _, p in expected] == [5.5, 4, 1, 3]  # deductions; sub-tasks; a sub-task's deduction; untouched
    stated = {"tasks": [{"label": "A", "max": 8, "points": 7, "errors": [{"comment": "x", "deduction": 2}]}]}
    answer = client.post("/api/preview", json={"document_id": STUDENT, "sheet": stated}).json()
    assert answer["points"] == [{"path": ["tasks", 0], "points": 7}]  # stated points win, as in the text
    typed = {"tasks": [sheet["tasks"][0], {"label": "B", "max": 5, "errors": [{"comment": "x", "deduction": "abc"}]}]}
    answer = client.post("/api/preview", json={"document_id": STUDENT, "sheet": typed}).json()
    assert not answer["ok"] and answer["points"] == [{"path": ["tasks", 0], "points": 5.5}]  # B counts nowhere
    bad = client.post("/api/preview", json={"document_id": STUDENT, "sheet": {"tasks": [
        {"label": "A", "max": 2, "errors": [{"comment": "x", "deduction": 3}]}]}}).json()
    assert not bad["ok"] and bad["points"] == []
    assert bad["errors"] == [{"path": ["tasks", 0], "field": "Aufgabe A",
                              "message": "Aufgabe A: die Abzüge ergeben 3 Punkte, mehr als die Höchstpunkte (2)"}]


def test_analysis_save_conflict_and_exam_sheet(client: TestClient, review_ws) -> None:
    view = client.get(f"/api/analysis/{STUDENT}").json()
    assert view["origin"] == "exam" and [t["label"] for t in view["sheet"]["tasks"]] == ["A", "B"]
    assert view["suggestions"] == [{"kind": "underline", "label": "Unterstreichung", "text": "Textart: Quasi", "page": 1,
                                    "found": True}]
    sheet = view["sheet"]
    sheet["tasks"][0]["errors"] = [{"quote": "Textart: Quasi", "comment": "falsch", "deduction": 1}]
    saved = client.post("/api/analysis", json={"document_id": STUDENT, "sheet": sheet, "base": None})
    assert saved.status_code == 200
    assert "Punkte: 12 von 13" in saved.json()["revision"]["text"]
    stale = client.post("/api/analysis", json={"document_id": STUDENT, "sheet": sheet, "base": None})
    assert stale.status_code == 409 and "12 von 13" in stale.json()["current"]["text"]
    again = client.get(f"/api/analysis/{STUDENT}").json()
    assert again["origin"] == "revision" and again["sheet"]["tasks"][0]["errors"][0]["quote"] == "Textart: Quasi"
    exam = client.post("/api/exam-sheet", json={"exam": "LK-Test-2024", "sheet": sheet})
    assert exam.json()["sheet"] == {"title": "DIE REFORMATION", "tasks": [{"label": "A", "max": 8}, {"label": "B", "max": 5}]}
    assert client.post("/api/exam-sheet", json={"exam": "../x", "sheet": sheet}).status_code == 404


def test_a_draft_is_shown_as_draft_until_the_teacher_saves(client: TestClient, review_ws) -> None:
    text = "Fehleranalyse:\n\tA (7 von 8 Punkte):\n\t\t- falsch (-1 Punkt)\n\n\tInsgesamt:\n\t\tPunkte: 7 von 8, das entspricht einer Leistung von: 87%\n\t\tVorgeschlagene Note: 1- ENDSTOP"
    draft = review_ws.revisions.add_analysis(STUDENT, text, source="draft", model="ft:examkit")
    view = client.get(f"/api/analysis/{STUDENT}").json()
    assert view["draft"]["model"] == "ft:examkit" and view["draft"]["readable"]
    assert view["base"] == draft.id and view["sheet"]["tasks"][0]["errors"][0]["comment"] == "falsch"
    assert "Entwurf prüfen" in client.get("/").text
    page = client.get(f"/analysis/{STUDENT}")
    assert "Entwurf" in page.text and "ft:examkit" in page.text


def test_page_image_is_downscaled_and_cached(client: TestClient, review_ws, state) -> None:
    page = page_ids(review_ws)[0]
    first = client.get(f"/img/page/{page}.jpg")
    assert first.status_code == 200 and first.headers["content-type"] == "image/jpeg"
    cached = list(state.cache_dir.glob(f"page-{page}-image-*.jpg"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    assert client.get(f"/img/page/{page}.jpg").content == first.content
    assert cached[0].stat().st_mtime_ns == stamp
    assert client.get("/img/page/9999.jpg").status_code == 404
