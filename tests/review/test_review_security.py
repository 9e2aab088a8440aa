"""The review server's guards over real HTTP (uvicorn on a free loopback port): the ``Host``
check, the random base path, the token redirect that never leaves the server, and the security
headers on every answer. The browser side (cookies, framing, two servers) is in
``test_review_browser.py``."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from annotate.model import MAX_DEPTH
from annotate.review import ReviewState
from tests.review.conftest import STUDENT, serving


@pytest.fixture
def live(review_ws) -> Iterator[tuple[str, ReviewState]]:
    state = ReviewState(review_ws.root, token="http-token")
    with serving(state) as base:
        yield base, state
    state.close()


def origin(base: str) -> str:
    return base.split("/s/")[0]


def test_host_header_must_name_this_server(live) -> None:
    base, state = live
    port = origin(base).rsplit(":", 1)[1]
    auth = {"X-Examkit-Token": state.token}
    with httpx.Client(timeout=10) as http:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            assert http.get(f"{base}/", headers={**auth, "Host": host}).status_code == 200, host
        for host in (f"evil.example:{port}", "127.0.0.1:1", f"127.0.0.1.evil.example:{port}", ""):
            answer = http.get(f"{base}/", headers={**auth, "Host": host})
            assert answer.status_code == 400 and "Falsche Adresse" in answer.text, host
        rebound = http.post(f"{base}/api/preview", headers={**auth, "Host": f"evil.example:{port}"},
                            json={"document_id": "x", "sheet": {}})
        assert rebound.status_code == 400 and "Falsche Adresse" in rebound.json()["detail"]


def test_only_the_random_base_path_is_served(live) -> None:
    base, state = live
    auth = {"X-Examkit-Token": state.token}
    with httpx.Client(timeout=10) as http:
        for path in ("/", "/page/1", "/static/review.css", "/api/pages/1", "/s/", "/s/geraten/"):
            answer = http.get(origin(base) + path, headers=auth)
            assert answer.status_code == 404 and state.base_path not in answer.text, path
        assert http.get(f"{base}/static/review.css", headers=auth).status_code == 200


def test_the_token_redirect_stays_under_the_base_path(live) -> None:
    base, state = live
    with httpx.Client(timeout=10) as http:
        for path in ("//evil.example/x", f"{state.base_path}//evil.example/x", "/\\evil.example/x",
                     f"{state.base_path}/%2F%2Fevil.example"):
            answer = http.get(f"{origin(base)}{path}?token={state.token}&v=1", follow_redirects=False)
            location = answer.headers["location"]
            assert answer.status_code == 303 and location.startswith(f"{state.base_path}/"), (path, location)
            assert "//" not in location and "token" not in location and location.endswith("?v=1"), location
            assert f"Path={state.base_path}/" in answer.headers["set-cookie"]
        wrong = http.get(f"{origin(base)}//evil.example/x?token=falsch", follow_redirects=False)
        assert wrong.status_code == 404 and "location" not in wrong.headers


def test_every_answer_forbids_framing(live) -> None:
    base, state = live
    with httpx.Client(timeout=10) as http:
        answers = [http.get(f"{base}/", headers={"X-Examkit-Token": state.token}),  # 200
                   http.get(f"{base}/"),  # 403
                   http.get(f"{origin(base)}/"),  # 404
                   http.get(f"{base}/", headers={"Host": "evil.example"})]  # 400
    assert [a.status_code for a in answers] == [200, 403, 404, 400]
    for answer in answers:
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_page_urls_are_relative_to_the_base_path() -> None:
    """The app lives under ``/s/<random>/`` (base.html's ``<base href>``): a URL starting with ``/``
    would leave it and get 404. Write ``page/3``, ``api/...``, ``static/...`` instead."""
    import re
    from pathlib import Path

    import annotate.review

    root_url = re.compile(r"""(?:href|src|action)=["']/(?!/)|["'`]/(?:api|img|page|lines|analysis|static|document)\b""")
    folder = Path(annotate.review.__file__).parent
    found = [f"{path.relative_to(folder)}:{number}: {line.strip()}"
             for path in sorted([*folder.glob("templates/*.html"), *folder.glob("static/*.js")])
             for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if root_url.search(line)]
    assert found == []


def test_huge_numbers_and_deep_nesting_get_a_german_4xx_not_500(live) -> None:
    base, state = live
    deep = '{"document_id": "%s", "sheet": {"tasks": %s}}' % (STUDENT, "[" * 3000 + "]" * 3000)
    nested = ('{"document_id": "%s", "sheet": {"tasks": [' % STUDENT + '{"label": "A", "max": 1, "tasks": [' * 300
              + '{"label": "A", "max": 1}' + "]}" * 300 + "]}}")
    digits = '{"document_id": "%s", "sheet": {"tasks": [{"label": "A", "max": %s}]}}' % (STUDENT, "9" * 5000)
    huge = {"document_id": STUDENT, "sheet": {"tasks": [{"label": "A", "max": 1e308}]}}
    with httpx.Client(base_url=base, headers={"X-Examkit-Token": state.token}, timeout=30) as http:
        for url in ("/api/preview", "/api/analysis", "/api/exam-sheet"):
            for body in (deep, nested):
                answer = http.post(url, content=body, headers={"Content-Type": "application/json"})
                assert answer.status_code == 422, (url, answer.text)
                assert answer.json()["detail"].startswith("Die Eingabe ist zu tief verschachtelt"), answer.text
            answer = http.post(url, content=digits, headers={"Content-Type": "application/json"})
            assert answer.status_code == 422 and answer.json()["detail"] == "Eine Zahl ist zu groß (höchstens 10000).", url
        saved = http.post("/api/analysis", json=huge)
        assert saved.status_code == 422 and saved.json()["detail"] == "Aufgabe A, Höchstpunkte: höchstens 10000", saved.text
        preview = http.post("/api/preview", json=huge).json()
        assert preview["ok"] is False and preview["errors"][0]["message"] == "Aufgabe A, Höchstpunkte: höchstens 10000"
        thirteen = {"label": "A", "max": 1}
        for _ in range(MAX_DEPTH):
            thirteen = {"label": "A", "max": 1, "tasks": [thirteen]}
        answer = http.post("/api/analysis", json={"document_id": STUDENT, "sheet": {"tasks": [thirteen]}})
        assert answer.status_code == 422, answer.text
        assert answer.json()["detail"] == f"Fehleranalyse: zu tief verschachtelt (Teilaufgaben höchstens {MAX_DEPTH} Ebenen tief)"
        assert http.get("/").status_code == 200  # the server is still there
    assert state.reader.revisions.latest_analysis(STUDENT) is None
