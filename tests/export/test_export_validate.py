"""Validation catches every defect class, names FILE:LINE, and goes on past a broken line."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from examkit import tokens
from examkit.config import Config
from export.pipeline import validation_options
from export.privacy import Roster
from export.validate import Options, validate_file

GOOD = (
    "Fehleranalyse:\n\tA (7 von 8 Punkte):\n\t\t- \"Textart: Quasi\" ist falsch (-1 Punkt)\n\tB (5 von 5 Punkte)\n\n"
    "\tInsgesamt:\n\t\tPunkte: 12 von 13, das entspricht einer Leistung von: 92%\n\t\tVorgeschlagene Note: 1 ENDSTOP"
)


def example(i: int, assistant: str = GOOD) -> dict:
    return {"messages": [
        {"role": "system", "content": "Du bist Geschichtslehrer."},
        {"role": "user", "content": f"Schüler {i}: Textart: Quasi. Die Reformation."},
        {"role": "assistant", "content": assistant},
    ]}


def write(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


@pytest.fixture
def options() -> Options:
    return validation_options(Config())


def codes(report, line=None) -> set[str]:
    return {p.code for p in report.problems if line is None or p.line == line}


def test_clean_file_passes_with_summary(tmp_path: Path, options: Options) -> None:
    report = validate_file(write(tmp_path / "ok.jsonl", [example(i) for i in range(12)]), options)
    assert not report.has_errors, report.problems
    summary = report.summary()
    assert summary["n_examples"] == 12
    assert summary["total_tokens"] == sum(tokens.count_chat_tokens(example(i)["messages"], options.model) for i in range(12))
    assert summary["epochs"] == 8 and summary["billed_tokens"] == 8 * summary["total_tokens"]
    assert summary["cost_usd"] == pytest.approx(summary["billed_tokens"] * 3.0 / 1e6, abs=1e-4)


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda e: ["a", "list"], "data-type"),
    (lambda e: {"prompt_only": 1}, "missing-messages"),
    (lambda e: {"messages": []}, "missing-messages"),
    (lambda e: e["messages"][1].pop("role") and e, "message-missing-key"),
    (lambda e: e["messages"][1].update(extra=1) or e, "message-unrecognized-key"),
    (lambda e: e["messages"][1].update(role="teacher") or e, "unrecognized-role"),
    (lambda e: e["messages"][1].update(content="") or e, "missing-content"),
    (lambda e: e["messages"][1].update(content=["x"]) or e, "missing-content"),
    (lambda e: e["messages"].pop() and e, "missing-assistant"),
    (lambda e: e["messages"][2].update(weight=2) or e, "bad-weight"),
    (lambda e: e["messages"][1].update(weight=1) or e, "bad-weight"),
    (lambda e: e["messages"][2].update(content=GOOD.replace("12 von 13", "11 von 13")) or e, "total-mismatch"),
    (lambda e: e["messages"][2].update(content="Gut gemacht. ENDSTOP") or e, "not-parsed"),
    (lambda e: e["messages"][2].update(content=GOOD.replace(" ENDSTOP", "")) or e, "stop-marker-inconsistent"),
    (lambda e: e["messages"][1].update(content="Name: Anna Müller\nTextart: Quasi") or e, "likely-name"),
])
def test_each_defect_is_named_at_its_line(tmp_path: Path, options: Options, mutate, code: str) -> None:
    rows = [example(i) for i in range(12)]
    rows[4] = mutate(copy.deepcopy(rows[4]))
    report = validate_file(write(tmp_path / "bad.jsonl", rows), options)
    assert code in codes(report, line=5), report.problems
    assert all(p.line == 5 for p in report.problems if p.severity == "error"), report.problems


def test_weight_zero_and_one_are_fine(tmp_path: Path, options: Options) -> None:
    rows = [example(i) for i in range(12)]
    rows[0]["messages"][2]["weight"] = 0
    rows[1]["messages"][2]["weight"] = 1
    assert not validate_file(write(tmp_path / "w.jsonl", rows), options).has_errors


def test_broken_json_lines_are_named_and_the_rest_checked(tmp_path: Path, options: Options, cli) -> None:
    rows = [example(i) for i in range(12)]
    rows[2] = '{"messages": [ broken'
    rows[7]["messages"].pop()
    path = write(tmp_path / "mixed.jsonl", rows)
    report = validate_file(path, options)
    assert "not-json" in codes(report, line=3) and "missing-assistant" in codes(report, line=8)
    assert report.n_examples == 10  # the other lines were still counted
    result = cli("export", "validate", path)
    assert result.exit_code == 1
    assert f"{path}:3: error: not-json" in result.stderr
    assert f"{path}:8: error: missing-assistant" in result.stderr


def test_dataset_level_checks(tmp_path: Path, options: Options) -> None:
    report = validate_file(write(tmp_path / "few.jsonl", [example(1)] * 3), options)
    assert "too-few-examples" in codes(report)
    assert {p.line for p in report.problems if p.code == "duplicate"} == {2, 3}
    conflicting = [example(1), example(1, GOOD.replace("Textart: Quasi", "Quasi"))]
    assert "conflicting" in codes(validate_file(write(tmp_path / "c.jsonl", conflicting), options))


def test_too_long_against_the_model_limit(tmp_path: Path) -> None:
    options = validation_options(Config(), model="gpt-3.5-turbo")
    long_user = example(0)
    long_user["messages"][1]["content"] = "Reformation " * 17000
    report = validate_file(write(tmp_path / "long.jsonl", [long_user] + [example(i) for i in range(1, 11)]), options)
    assert [p.line for p in report.problems if p.code == "too-long"] == [1]
    assert report.cost.billed_tokens_per_epoch < sum(report.token_counts)  # capped at the limit for billing
    limited = validation_options(Config.model_validate({"export": {"token_limits": {"gpt-4o-mini": 100}}}))
    assert "too-long" in codes(validate_file(write(tmp_path / "ok.jsonl", [example(i) for i in range(10)]), limited))


def test_roster_names_left_over_are_warned(tmp_path: Path) -> None:
    roster_csv = tmp_path / "roster.csv"
    roster_csv.write_text("vorname;nachname\nAnna;Müller\n", encoding="utf-8")
    options = validation_options(Config(), roster=Roster.load(roster_csv))
    rows = [example(i) for i in range(10)]
    rows[3]["messages"][1]["content"] += " Annas Heft."
    report = validate_file(write(tmp_path / "n.jsonl", rows), options)
    assert [p.line for p in report.problems if p.code == "likely-name"] == [4]
    assert not report.has_errors


def test_validate_json_output_fields(tmp_path: Path, cli) -> None:
    path = write(tmp_path / "ok.jsonl", [example(i) for i in range(10)] + ["nope"])
    result = cli("export", "validate", path, "--json", "--model", "gpt-3.5-turbo")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    for key in ("n_examples", "total_tokens", "max_tokens", "problems", "billed_tokens_per_epoch", "epochs", "cost_usd"):
        assert key in data
    assert data["encoding"] == "cl100k_base"
    assert data["problems"][0] == {"file": str(path), "line": 11, "code": "not-json", "severity": "error",
                                   "message": data["problems"][0]["message"]}


def test_prompt_completion_files_are_checked_too(tmp_path: Path, options: Options) -> None:
    rows = [{"prompt": f"Antwort {i}", "completion": GOOD} for i in range(10)] + [{"prompt": "x", "completion": ""}]
    report = validate_file(write(tmp_path / "pc.jsonl", rows), options)
    assert "legacy-format" in codes(report) and "missing-assistant" in codes(report, line=11)


def test_name_line_heuristic_ignores_blank_fields_and_headers():
    from export.validate import NAME_LINE

    assert NAME_LINE.search("Name: Anna Müller\nAufgabe 1")
    assert NAME_LINE.search("  Schülerin: Lea")
    assert not NAME_LINE.search("Name: Bearbeitungszeit: 135 Minuten Hilfsmittel:")
    assert not NAME_LINE.search("Name: ______________   Datum: ________")
    assert not NAME_LINE.search("Name:\nAufgabe 1")
