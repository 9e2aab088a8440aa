"""The review API attacked on purpose (issue 26): ids too large for the database, the server's
internal "any base" value, deleted lines, geometry far off the page, numbers no one can read,
the token link without its slash. Every answer is a German 4xx; nothing a person saved is lost,
doubled or hidden."""

from __future__ import annotations

import pytest

from examkit.models import Line, Word
from tests.review.conftest import STUDENT, page_ids

BIG = 2**63
GERMAN = ("Nicht", "Diese", "Die ", "Der ", "Ein ", "Eine", "Kein", "Zeile", "Neu lesen", "Aufgabe")


def german(answer) -> bool:
    if "json" not in answer.headers.get("content-type", ""):
        return 'lang="de"' in answer.text or answer.text.startswith(GERMAN)
    detail = answer.json()["detail"]
    return isinstance(detail, str) and detail.startswith(GERMAN)


def lines_of(client, page_id: int) -> list[dict]:
    return client.get(f"/api/pages/{page_id}/lines").json()["lines"]


def test_ids_too_large_for_the_database_get_a_german_4xx(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    line = lines_of(client, page)[0]
    gets = [f"/api/pages/{BIG}", f"/api/pages/{BIG}/lines", f"/api/lines/{BIG}/history", f"/page/{BIG}",
            f"/lines/{BIG}", f"/img/page/{BIG}.jpg"]
    posts = [(f"/api/pages/{BIG}/text", {"text": "x", "base": None}), (f"/api/pages/{BIG}/revert", {"revision": None, "base": None}),
             (f"/api/pages/{page}/revert", {"revision": BIG, "base": None}), (f"/api/pages/{BIG}/reviewed", {}),
             (f"/api/lines/{BIG}", {"base": 1, "text": "x"}), (f"/api/lines/{line['id']}", {"base": BIG, "text": "x"}),
             (f"/api/lines/{BIG}/delete", {"base": 1}), (f"/api/lines/{BIG}/split", {"base": 1, "at": 1}),
             (f"/api/lines/{BIG}/merge", {"base": 1, "other": 1, "other_base": 1}),
             (f"/api/lines/{line['id']}/merge", {"base": line["revision"], "other": BIG, "other_base": 1}),
             (f"/api/lines/{BIG}/move", {"base": 1}), (f"/api/lines/{line['id']}/move", {"base": line["revision"], "after": BIG}),
             (f"/api/lines/{BIG}/reread", {"base": 1}), (f"/api/pages/{BIG}/lines", {"text": "x"}),
             (f"/api/pages/{page}/lines", {"text": "x", "after": BIG}), (f"/api/pages/{page}/lines", {"text": "x", "before": -BIG}),
             ("/api/analysis", {"document_id": STUDENT, "sheet": {"tasks": [{"label": "A", "max": 1}]}, "base": BIG})]
    for url in gets:
        answer = client.get(url)
        assert answer.status_code in (404, 422) and german(answer), (url, answer.status_code, answer.text)
    for url, body in posts:
        answer = client.post(url, json=body)
        assert answer.status_code in (404, 409, 422) and german(answer), (url, body, answer.status_code, answer.text)
    assert review_ws.lines.current(page)[0].text == line["text"]


def test_split_of_a_deleted_line_and_odd_preview_numbers_are_refused_in_german(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    line = lines_of(client, page)[0]
    gone = client.post(f"/api/lines/{line['id']}/delete", json={"base": line["revision"]})
    assert gone.status_code == 200
    revision = review_ws.lines.get(line["id"]).revision
    answer = client.post(f"/api/lines/{line['id']}/split", json={"base": revision, "at": 2})
    assert answer.status_code in (409, 422) and "gelöscht" in answer.json()["detail"], answer.text
    for number in ("1e999", "NaN", "-Infinity"):
        body = '{"document_id": "%s", "sheet": {"tasks": [{"label": "A", "max": %s}]}}' % (STUDENT, number)
        for url in ("/api/preview", "/api/analysis", "/api/exam-sheet"):
            answer = client.post(url, content=body, headers={"Content-Type": "application/json"})
            assert answer.status_code in (200, 422) and answer.status_code != 500, (url, number, answer.text)
            if answer.status_code == 422:
                assert german(answer), answer.text
            else:
                assert answer.json()["ok"] is False
    assert review_ws.revisions.latest_analysis(STUDENT) is None


def test_reread_of_an_outline_far_off_the_page_reads_only_the_page(client, state, review_ws) -> None:
    class Reader:
        name, reads_lines = "fake", True

        def read_line(self, crop, *, lang):
            assert crop.shape[0] <= 1754 and crop.shape[1] <= 1240
            return Line(words=[Word(text="Neu", conf=90, bbox=(0, 0, 10, 10))], bbox=(0, 0, 10, 10))

    from ocr.reread import reread_line

    state.line_reader = lambda ws, line: (reread_line(ws, line, Reader()), "fake")
    page = page_ids(review_ws)[0]
    line = lines_of(client, page)[0]
    unreadable = [[0, 0], [1e30, 0], [1e30, 1e30]]
    answer = client.post(f"/api/lines/{line['id']}", json={"base": line["revision"], "polygon": unreadable})
    assert answer.status_code == 422 and german(answer), answer.text
    huge = [[0, 0], [1e15, 0], [1e15, 1e15], [-5000, 1e15]]
    saved = client.post(f"/api/lines/{line['id']}", json={"base": line["revision"], "polygon": huge})
    assert saved.status_code == 200, saved.text
    assert saved.json()["line"]["bbox"] == [0, 0, 1239, 1753]
    answer = client.post(f"/api/lines/{line['id']}/reread", json={"base": saved.json()["line"]["revision"]})
    assert answer.status_code == 200, answer.text
    drawn = client.post(f"/api/pages/{page}/lines", json={"polygon": [[-5000, -5000], [-4000, -5000], [-4000, -4000]]})
    assert drawn.status_code == 200 and drawn.json()["line"]["bbox"] == [0, 0, 0, 0]


def test_a_split_beyond_the_text_is_refused(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    line = lines_of(client, page)[0]
    answer = client.post(f"/api/lines/{line['id']}/split", json={"base": line["revision"], "at": 10000})
    assert answer.status_code == 422 and german(answer), answer.text
    assert [li["text"] for li in lines_of(client, page)] == [li.text for li in review_ws.lines.current(page)]
    assert len(lines_of(client, page)) == 3


def test_a_base_from_a_client_must_be_a_real_revision(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    one, two = lines_of(client, page)[:2]
    assert client.post(f"/api/lines/{one['id']}", json={"base": one["revision"], "text": "Eins"}).status_code == 200
    for url, body in ((f"/api/lines/{one['id']}", {"base": -1, "text": "überschrieben"}),
                      (f"/api/lines/{one['id']}/merge", {"base": -1, "other": one["id"], "other_base": -1}),
                      (f"/api/lines/{two['id']}/delete", {"base": -1}),
                      (f"/api/pages/{page}/text", {"text": "alles weg", "base": -1})):
        answer = client.post(url, json=body)
        assert answer.status_code == 422 and german(answer), (url, answer.text)
    current = review_ws.lines.get(one["id"])
    itself = client.post(f"/api/lines/{one['id']}/merge", json={"base": current.revision, "other": one["id"],
                                                                 "other_base": current.revision})
    assert itself.status_code == 422 and german(itself), itself.text
    assert [li.text for li in review_ws.lines.current(page)][:2] == ["Eins", two["text"]]


def test_many_inserts_after_one_line_keep_their_order(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    first, *others = lines_of(client, page)
    for k in range(70):
        answer = client.post(f"/api/pages/{page}/lines", json={"text": f"neu {k}", "after": first["id"]})
        assert answer.status_code == 200, answer.text
    texts = [li["text"] for li in lines_of(client, page)]
    assert texts == [first["text"], *(f"neu {k}" for k in reversed(range(70))), *(li["text"] for li in others)]
    for k in range(60):  # and before one line
        client.post(f"/api/pages/{page}/lines", json={"text": f"vor {k}", "before": others[0]["id"]})
    texts = [li["text"] for li in lines_of(client, page)]
    assert texts[-62:] == [*(f"vor {k}" for k in range(60)), *(li["text"] for li in others)]


def test_changes_to_a_deleted_line_are_refused_naming_the_deletion(client, review_ws) -> None:
    page = page_ids(review_ws)[0]
    one, two = lines_of(client, page)[:2]
    client.post(f"/api/lines/{two['id']}/delete", json={"base": two["revision"]})
    deleted = review_ws.lines.get(two["id"]).revision
    for url, body in ((f"/api/lines/{two['id']}", {"base": deleted, "text": "wieder da"}),
                      (f"/api/lines/{two['id']}/delete", {"base": deleted}),
                      (f"/api/lines/{two['id']}/move", {"base": deleted, "after": one["id"]}),
                      (f"/api/lines/{one['id']}/merge", {"base": one["revision"], "other": two["id"], "other_base": deleted}),
                      (f"/api/lines/{two['id']}/merge", {"base": deleted, "other": one["id"], "other_base": one["revision"]})):
        answer = client.post(url, json=body)
        assert answer.status_code in (409, 422) and "gelöscht" in answer.json()["detail"], (url, answer.text)
    assert [li.text for li in review_ws.lines.current(page)] == [one["text"], lines_of(client, page)[1]["text"]]
    assert two["text"] not in review_ws.revisions.page_text(page)


def test_the_token_link_without_its_slash_opens_the_page(anon, state) -> None:
    answer = anon.get(f"http://127.0.0.1{state.base_path}?token={state.token}", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == f"{state.base_path}/"
    assert anon.get(f"http://127.0.0.1{answer.headers['location']}").status_code == 200


def test_unknown_addresses_and_methods_are_answered_in_german(client) -> None:
    missing = client.get("/api/gibt-es-nicht")
    assert missing.status_code == 404 and german(missing), missing.text
    wrong = client.delete("/api/preview")
    assert wrong.status_code == 405 and german(wrong), wrong.text
    page = client.get("/gibt-es-nicht")
    assert page.status_code == 404 and 'lang="de"' in page.text


def test_reread_of_an_outline_stored_off_the_page_before_clipping_is_refused(client, state, review_ws) -> None:
    from examkit.lines import _FIELDS, _insert_revision

    state.line_reader = lambda ws, line: pytest.fail("read off the page")
    page = page_ids(review_ws)[0]
    line = review_ws.lines.current(page)[0]
    with review_ws.transaction() as db:  # as a workspace from before outlines were clipped holds it
        state = {name: getattr(line, name) for name in _FIELDS} | {"polygon": [(0, 0), (10**12, 0), (10**12, 10**12)],
                                                                   "words": []}
        _insert_revision(db, line.id, page, state, "review", "x", parent=line.revision)
    stored = review_ws.lines.get(line.id)
    answer = client.post(f"/api/lines/{line.id}/reread", json={"base": stored.revision})
    assert answer.status_code == 422 and german(answer) and "Seitenbild" in answer.json()["detail"], answer.text


def test_an_unexpected_error_is_answered_in_german(state, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from annotate.review import create_app

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("annotate.review.views.page_view", broken)
    with TestClient(create_app(state), base_url=f"http://127.0.0.1{state.base_path}",
                    raise_server_exceptions=False) as http:
        http.headers["X-Examkit-Token"] = state.token
        answer = http.get(f"/api/pages/{page_ids(state.reader)[0]}")
    assert answer.status_code == 500 and german(answer), answer.text
