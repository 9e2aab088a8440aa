"""Fuzzing the review API and the files people import (issue 26): random ids, bases, outlines and
numbers against every route, random manifests for ``review import`` and random sheets for
``export import``. Never a 500, never an internal error; every refusal on the page is German."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from examkit.errors import ExamkitError
from examkit.models import Line, Word
from tests.review.conftest import EXAM, STUDENT, page_ids

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EDGES = [-1, 0, 2**31, 2**63 - 1, 2**63, -2**63, 2**70]
#: Stands for the line's current revision (resolved when the request is sent), so saves get past
#: the stale-save check and reach the code behind it.
CURRENT = "current"
ids = st.one_of(st.integers(1, 12), st.integers(1, 12), st.sampled_from(EDGES))
bases = st.one_of(st.just(CURRENT), st.just(CURRENT), st.none(), st.integers(0, 40), st.sampled_from(EDGES))
numbers = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([1e30, -5000, 1e999, 2**64]))
coordinates = st.one_of(st.integers(-10**4, 10**7), st.integers(0, 1500), st.integers(0, 1500), numbers)
points = st.lists(st.lists(coordinates, min_size=2, max_size=2), max_size=6)
texts = st.text(max_size=40)

ROUTES = {
    "save": lambda d: ("POST", f"/api/lines/{d(ids)}", {"base": d(bases), "text": d(st.one_of(st.none(), texts)),
                                                     "polygon": d(st.one_of(st.none(), points))}),
    "insert": lambda d: ("POST", f"/api/pages/{d(ids)}/lines", {"text": d(texts), "after": d(bases), "before": d(bases),
                                                              "polygon": d(st.one_of(st.none(), points))}),
    "delete": lambda d: ("POST", f"/api/lines/{d(ids)}/delete", {"base": d(bases)}),
    "split": lambda d: ("POST", f"/api/lines/{d(ids)}/split", {"base": d(bases), "at": d(numbers)}),
    "merge": lambda d: ("POST", f"/api/lines/{d(ids)}/merge", {"base": d(bases), "other": d(ids), "other_base": d(bases)}),
    "move": lambda d: ("POST", f"/api/lines/{d(ids)}/move", {"base": d(bases), "after": d(bases), "before": d(bases)}),
    "reread": lambda d: ("POST", f"/api/lines/{d(ids)}/reread", {"base": d(bases)}),
    "text": lambda d: ("POST", f"/api/pages/{d(ids)}/text", {"text": d(texts), "base": d(bases)}),
    "revert": lambda d: ("POST", f"/api/pages/{d(ids)}/revert", {"revision": d(bases), "base": d(bases)}),
    "reviewed": lambda d: ("POST", f"/api/pages/{d(ids)}/reviewed", {"reviewed": d(st.booleans())}),
    "history": lambda d: ("GET", f"/api/lines/{d(ids)}/history", None),
    "page": lambda d: ("GET", f"/api/pages/{d(ids)}", None),
    "image": lambda d: ("GET", f"/img/page/{d(ids)}.jpg", None),
    "sheet": lambda d: ("POST", d(st.sampled_from(["/api/preview", "/api/analysis"])),
                        {"document_id": STUDENT, "base": d(bases), "sheet": {"tasks": [
                            {"label": "A", "max": d(numbers), "errors": [{"comment": "x", "deduction": d(numbers)}]}]}}),
    "exam": lambda d: ("POST", "/api/exam-sheet", {"exam": EXAM, "sheet": {"tasks": [{"label": "A", "max": d(numbers)}]}}),
}


class Reader:
    name, reads_lines = "fake", True

    def read_line(self, crop, *, lang):
        assert crop.size <= 1240 * 1754
        return Line(words=[Word(text="neu", conf=90, bbox=(0, 0, 5, 5))], bbox=(0, 0, 5, 5))


@pytest.fixture
def reading(state):
    from ocr.reread import reread_line

    state.line_reader = lambda ws, line: (reread_line(ws, line, Reader()), "fake")


def _resolved(ws, url: str, body):
    """``body`` with :data:`CURRENT` replaced by the current revision of the line it names."""
    if not isinstance(body, dict):
        return body

    def current(line_id) -> int:
        try:
            return ws.lines.get(int(line_id)).revision
        except (ExamkitError, OverflowError, ValueError, TypeError):
            return 1

    line = url.split("/")[3] if url.startswith("/api/lines/") else None
    out = dict(body)
    for key, owner in (("base", line), ("other_base", body.get("other")), ("revision", None)):
        if out.get(key) == CURRENT:
            out[key] = current(owner) if owner is not None else 1
    for key in ("after", "before"):
        if out.get(key) == CURRENT:
            out[key] = int(line) if line and line.isdigit() else 1
    return out


def _json(body):
    """The body as JSON text (NaN and Infinity as Python writes them, as a careless client would)."""
    return json.dumps(body, allow_nan=True)


@SETTINGS
@given(data=st.data())
def test_no_request_makes_the_review_server_fail(client, review_ws, reading, data) -> None:
    for _ in range(4):
        method, url, body = ROUTES[data.draw(st.sampled_from(sorted(ROUTES)))](data.draw)
        if method == "GET":
            answer = client.get(url)
        else:
            body = _resolved(review_ws, url, body)
            answer = client.post(url, content=_json(body), headers={"Content-Type": "application/json"})
        assert answer.status_code < 500, (url, body, answer.text)
        if answer.status_code >= 400 and "json" in answer.headers.get("content-type", ""):
            detail = answer.json()["detail"]
            assert isinstance(detail, str) and not detail.startswith(("Not Found", "Method", "Input", "Field")), detail
    for page in page_ids(review_ws):  # what the server holds is still readable, one line per line
        lines = review_ws.lines.current(page)
        assert len({li.id for li in lines}) == len(lines)
        assert all(all(0 <= x < 1240 and 0 <= y < 1754 for x, y in li.polygon) for li in lines if li.origin == "drawn")


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                                     st.floats(allow_nan=False), st.text(max_size=8)),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=8)
entries = st.fixed_dictionaries({}, optional={"kind": st.sampled_from(["page", "analysis", "bild"]) | json_values,
                                              "page_id": ids | json_values, "document_id": st.just(STUDENT) | json_values,
                                              "base": bases | json_values, "written": st.text(max_size=4) | json_values,
                                              "final_newline": json_values})


@SETTINGS
@given(manifest=st.one_of(json_values, st.fixed_dictionaries({"files": st.dictionaries(
    st.sampled_from([f"{STUDENT}/page-001.txt", f"{STUDENT}/analysis.yaml", "../weg.txt", "x/page.txt"]),
    st.one_of(entries, json_values), max_size=4)})))
def test_no_manifest_makes_review_import_fail(review_ws, tmp_path_factory, manifest) -> None:
    from annotate.review.roundtrip import MANIFEST, export_folder, import_folder

    folder = tmp_path_factory.mktemp("edit")
    export_folder(review_ws, folder)
    for name in (f"{STUDENT}/page-001.txt", "x/page.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("geändert\n", "utf-8")
    (folder / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    try:
        import_folder(review_ws, folder)
    except ExamkitError as exc:
        assert "\n" not in exc.one_line()


cells = st.one_of(texts, st.sampled_from(["²", "9" * 5000, "-1", "=1+1", "'=x", "@A1", "\t=2", "1", "0", " 3 "]))


@SETTINGS
@given(rows=st.lists(st.fixed_dictionaries({"document_id": st.one_of(cells, st.sampled_from([STUDENT, f"{EXAM}/aufgabe"])),
                                            "revision": cells, "prompt": cells, "completion": cells}), min_size=1, max_size=4),
       suffix=st.sampled_from([".csv", ".xlsx"]))
def test_no_sheet_makes_export_import_fail(review_ws, tmp_path_factory, rows, suffix) -> None:
    from export.formats import csv_bytes, xlsx_bytes
    from export.importer import import_files

    path = Path(tmp_path_factory.mktemp("sheets")) / f"blatt{suffix}"
    try:
        path.write_bytes(csv_bytes(rows) if suffix == ".csv" else xlsx_bytes(rows))
    except ExamkitError:  # a control character xlsx cannot store: the export names it
        return
    result = import_files(review_ws, [path])
    assert all("\n" not in line for line in result.failures + result.warnings)

