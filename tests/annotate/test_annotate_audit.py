"""Every audit code from defective data of our own, and none on consistent variants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.audit import AuditRecord, audit_text, quote_found
from annotate.infer import infer_scale
from annotate.scales import get_scale
from annotate.sources import audit_path

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "spec_example.txt").read_text(encoding="utf-8")
STUDENT = ('Textart: Quasi (Statement). Adressanten: An alle gläubigen und Beiger. Luther schrieb 1517 an den '
           'Erzbischof.')


def codes(record: AuditRecord) -> set[str]:
    return {p.code for p in record.problems}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(GOOD, id="canonical"),
        pytest.param(GOOD.replace("\n", " "), id="one line"),
        pytest.param(GOOD.replace("\t", "  ").replace("\n", "\r\n"), id="spaces crlf"),
        pytest.param(GOOD.replace("83%", "83 %"), id="percent with space"),
        pytest.param(GOOD.replace("(5 von 5 Punkte)\n\tC", "(5/5 Punkten)\n\tC"), id="slash"),
    ],
)
def test_consistent_variants_raise_nothing(text):
    record = audit_text(text, student_text=STUDENT)
    assert record.parsed and record.problems == []
    assert not record.has_errors


def test_rounded_percent_is_accepted():
    # 20/24 = 83.3 → floor and round agree; 19/24 = 79.17 → 79 (floor) and 79 (round); use 17/24 = 70.8
    text = GOOD.replace("(5 von 8 Punkte)", "(2 von 8 Punkte)").replace("(-1 Punkt)\n\n\tB", "(-4 Punkte)\n\n\tB")
    text = text.replace("20 von 24", "17 von 24").replace("83%", "71%").replace("2+ ENDSTOP", "2- ENDSTOP")
    assert audit_text(text).problems == []


DEFECTS = {
    "not-parsed": "Alles richtig, weiter so!",
    "heading": GOOD.replace("Fehleranalyse:", "Fehleranalye:"),
    "total-missing": GOOD.split("\tInsgesamt")[0],
    "total-mismatch": GOOD.replace("20 von 24", "21 von 24").replace("83%", "87%").replace("2+ ", "1- "),
    "task-mismatch": GOOD.replace("\tB (5 von 5 Punkte)\n\tC (5 von 5 Punkte)\n",
                                  "\tB (9 von 10 Punkte):\n\t\tB1 (4 von 4 Punkte)\n\t\tB2 (4 von 5 Punkte)\n"),
    "deduction-mismatch": GOOD.replace("A (5 von 8 Punkte)", "A (4 von 8 Punkte)").replace("20 von 24", "19 von 24")
    .replace("83%", "79%").replace("2+ ", "2 "),
    "deduction-unquantified": GOOD.replace("achten! (-1 Punkt)", "achten! (keine Punkte erhalten)"),
    "percent-mismatch": GOOD.replace("83%", "85%"),
    "grade-mismatch": GOOD.replace("2+ ENDSTOP", "2- ENDSTOP"),
    "stop-marker-missing": GOOD.replace(" ENDSTOP", ""),
}


@pytest.mark.parametrize("code", sorted(DEFECTS))
def test_each_defect_is_found(code):
    record = audit_text(DEFECTS[code])
    assert code in codes(record), record.problems
    severity = next(p.severity for p in record.problems if p.code == code)
    assert severity == SPEC_SEVERITY[code]
    if severity == "error":
        assert record.has_errors


# every audit check, with its code and severity
SPEC_SEVERITY = {
    "missing-assistant": "error", "not-parsed": "error", "heading": "warning", "total-missing": "error",
    "total-mismatch": "error", "task-mismatch": "error", "deduction-mismatch": "error",
    "deduction-unquantified": "warning", "percent-mismatch": "error", "grade-mismatch": "warning",
    "stop-marker-missing": "warning", "quote-not-found": "warning", "too-long": "error",
}


def test_unquantified_remainder_explained_is_only_a_warning():
    record = audit_text(DEFECTS["deduction-unquantified"])
    assert codes(record) == {"deduction-unquantified"} and not record.has_errors


def test_unquantified_line_counts_zero_when_numbers_add_up():
    text = GOOD.replace("achten! (-1 Punkt)", "achten! (-1 Punkt)\n\t\t- Rechtschreibung beachten")
    assert audit_text(text).problems == []


def test_quote_not_found_and_ocr_tolerance():
    record = audit_text(GOOD, student_text="Luther schrieb an den Erzbischof Albrecht.")
    assert "quote-not-found" in codes(record)
    assert quote_found("Textart: Quasi (Statement)", "die textart: quasi (statemcnt) ist")  # one OCR slip
    assert quote_found("Adressanten: An alle gläubigen", "Adressanten:\nAn  alle glaubigen und")
    assert not quote_found("Kaiser Karl V. verbot die Thesen", STUDENT)


def test_missing_assistant_and_too_long():
    assert codes(audit_text(None)) == {"missing-assistant"}
    assert codes(audit_text("   ")) == {"missing-assistant"}
    record = audit_text(GOOD, max_tokens=10, count_tokens=lambda text: len(text.split()))
    assert codes(record) == {"too-long"} and record.has_errors
    assert audit_text(GOOD, max_tokens=10_000, count_tokens=lambda t: len(t.split())).problems == []


def test_grade_as_notenpunkte_is_accepted():
    assert audit_text(GOOD.replace("2+ ENDSTOP", "12 NP ENDSTOP")).problems == []


def test_other_scale():
    record = audit_text(GOOD.replace("2+ ENDSTOP", "2 ENDSTOP"), scale=get_scale("sek1"))
    assert record.problems == [] and record.computed.grade == "2"


# -- files ---------------------------------------------------------------------------------------------
def test_jsonl_chat_prompt_completion_and_a_broken_line(tmp_path):
    path = tmp_path / "train.jsonl"
    lines = [
        json.dumps({"messages": [{"role": "system", "content": "Lehrer"}, {"role": "user", "content": STUDENT},
                                 {"role": "assistant", "content": GOOD.rstrip("\n")}]}),
        "{not json",
        "",
        json.dumps({"prompt": STUDENT, "completion": DEFECTS["percent-mismatch"]}),
        json.dumps({"messages": [{"role": "user", "content": STUDENT}]}),
        json.dumps({"text": "?"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = audit_path(path)
    assert [r.record for r in records] == [1, 2, 4, 5, 6]
    assert records[0].problems == []
    assert codes(records[1]) == {"not-parsed"} and "line 2" in records[1].problems[0].message
    assert codes(records[2]) == {"percent-mismatch"}
    assert codes(records[3]) == {"missing-assistant"}
    assert codes(records[4]) == {"not-parsed"}


def test_csv_utf8_and_cp1252(tmp_path):
    import csv
    import io

    good = tmp_path / "a.csv"
    with good.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["prompt", "completion"])
        writer.writerow([STUDENT, GOOD])
        writer.writerow([STUDENT, DEFECTS["grade-mismatch"]])
    records = audit_path(good)
    assert [r.record for r in records] == [2, 2 + GOOD.count("\n") + 1]
    assert records[0].problems == [] and codes(records[1]) == {"grade-mismatch"}

    legacy = tmp_path / "b.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["prompt", "completion"], [STUDENT, GOOD]])
    legacy.write_bytes(buffer.getvalue().encode("cp1252"))
    warnings: list[str] = []
    records = audit_path(legacy, on_warning=warnings.append)
    assert records[0].problems == [] and "cp1252" in warnings[0]


def test_folder_walk(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "y.txt").write_text(DEFECTS["total-mismatch"], encoding="utf-8")
    (tmp_path / "scan.png").write_bytes(b"\x89PNG")
    records = audit_path(tmp_path)
    assert [Path(r.source).name for r in records] == ["x.txt", "y.txt"]


def test_json_shape():
    data = audit_text(GOOD, source="a.txt").to_json()
    assert set(data) == {"source", "record", "parsed", "stated", "computed", "tasks", "problems"}
    assert data["stated"] == {"points": 20, "max": 24, "percent": 83, "grade": "2+"}
    assert data["computed"] == data["stated"]
    assert data["tasks"][0]["label"] == "A" and data["tasks"][0]["points"] == 5
    failed = audit_text("kaputt").to_json()
    assert failed["parsed"] is False and failed["problems"][0]["code"] == "not-parsed"
    assert failed["stated"] == {"points": None, "max": None, "percent": None, "grade": None}
    json.dumps(data)


# -- scale inference ---------------------------------------------------------------------------------
def _graded(pct: int, grade: str, n: int) -> AuditRecord:
    text = (f"Fehleranalyse:\n\tA ({pct} von 100 Punkte)\n\n\tInsgesamt:\n\t\tPunkte: {pct} von 100, das "
            f"entspricht einer Leistung von: {pct}%\n\t\tVorgeschlagene Note: {grade} ENDSTOP")
    return audit_text(text, record=n)


def test_infer_scale_fits_thresholds_and_names_the_non_monotone_record():
    graded = [(97, "1+"), (93, "1+"), (91, "1"), (88, "1"), (86, "1-"), (85, "1"), (84, "1-"), (70, "2"), (60, "3")]
    records = [_graded(p, g, i) for i, (p, g) in enumerate(graded, start=1)]
    fit = infer_scale(records)
    rows = {r.grade: r for r in fit.rows}
    assert rows["1+"].lowest == 93 and rows["1"].lowest in (85, 88) and rows["2"].threshold_range == (61, 70)
    # 86 % graded worse (1-) than 85 % (1): one of them cannot be explained
    assert len(fit.unexplained) == 1 and fit.unexplained[0][2] in (85, 86)
    assert fit.to_json()["rows"][0]["grade"] == "1+"


UNCLOSED = """Fehleranalyse:
Aufgabe 1 (4 von 6 Punkte):
- Ungenau (-2 Punkte)
Aufgabe 3 (2 von 2 Punkte: -Alles richtig!
Insgesamt:
Punkte: 6 von 8, das entspricht einer Leistung von: 75%
Vorgeschlagene Note: 2 ENDSTOP"""


def test_an_unclosed_heading_bracket_is_read_with_a_warning(tmp_path):
    """From a real teacher file: the closing bracket after the points was never typed."""
    record = audit_text(UNCLOSED)
    assert record.parsed and not record.has_errors
    assert [t["label"] for t in record.tasks] == ["Aufgabe 1", "Aufgabe 3"]
    assert record.tasks[1]["points"] == 2 and record.tasks[1]["max"] == 2
    assert [p.code for p in record.problems] == ["bracket-missing"]
    assert "line 4" in record.problems[0].message and "(2 von 2 Punkte)" in record.problems[0].message
    sheet = tmp_path / "unclosed.txt"
    sheet.write_text(UNCLOSED, encoding="utf-8")
    (shown,) = json.loads(_check_json(sheet))
    assert [p["code"] for p in shown["problems"]] == ["bracket-missing"]


def test_a_listed_full_mark_task_means_every_task_is_listed():
    """Aufgabe 2 got full marks and is listed: the 4 missing points are a sum that does not add up."""
    text = """Fehleranalyse:
Aufgabe 1 (4 von 6 Punkte):
- Ungenau (-2 Punkte)
Aufgabe 2 (5 von 5 Punkte)
Insgesamt:
Punkte: 13 von 15, das entspricht einer Leistung von: 86%
Vorgeschlagene Note: 1- ENDSTOP"""
    record = audit_text(text)
    assert [p.code for p in record.problems] == ["total-mismatch"]
    assert record.computed.max == 11


def test_assumed_full_mark_tasks_are_a_problem_in_check_json(tmp_path):
    """No full-mark task listed: the surplus is taken as tasks left out, and that is said."""
    text = """Fehleranalyse:
Aufgabe 1 (4 von 6 Punkte):
- Ungenau (-2 Punkte)
Insgesamt:
Punkte: 8 von 10, das entspricht einer Leistung von: 80%
Vorgeschlagene Note: 2+ ENDSTOP"""
    sheet = tmp_path / "teilweise.txt"
    sheet.write_text(text, encoding="utf-8")
    (shown,) = json.loads(_check_json(sheet))
    assert [p["code"] for p in shown["problems"]] == ["tasks-unlisted"]
    assert shown["problems"][0]["severity"] == "warning" and "4 points" in shown["problems"][0]["message"]
    assert shown["computed"]["points"] == 8 and shown["computed"]["max"] == 10


def _check_json(path: Path) -> str:
    from typer.testing import CliRunner

    from examkit_app import app

    result = CliRunner().invoke(app, ["annotate", "check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return result.stdout
