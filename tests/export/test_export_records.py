"""The exam folder exports to chat JSONL that is canonical, exactly counted and OpenAI-valid."""

from __future__ import annotations

import json
from pathlib import Path

from annotate.sheets import canonical_text, load_sheet, settings_from
from examkit.workspace import Workspace
from export.records import collect_records
from export.validate import format_problems
from tests.export.conftest import EXAM, N_TYPED, SCAN_OCR, SCAN_REVIEWED, TASK_TEXT, read_lines, sheet_yaml


def test_records_are_canonical_and_leave_out_what_cannot_train(exam_ws: Workspace, tmp_path: Path) -> None:
    collection = collect_records(exam_ws)
    by_id = {r.document_id: r for r in collection.records}
    assert len(by_id) == N_TYPED + 2  # typed + scan + loose text
    skipped = {s.document_id: s.reason for s in collection.skipped}
    assert set(skipped) == {f"{EXAM}/ohne-analyse", f"{EXAM}/nur-entwurf", f"{EXAM}/falsch-addiert"}
    assert "draft" in skipped[f"{EXAM}/nur-entwurf"]
    assert "total-mismatch" in skipped[f"{EXAM}/falsch-addiert"] or "deduction-mismatch" in skipped[f"{EXAM}/falsch-addiert"]

    settings = settings_from(exam_ws.config.analysis, exam_ws.root)
    sheet = tmp_path / "s.yaml"
    sheet.write_text(sheet_yaml(3), encoding="utf-8")
    expected = canonical_text(load_sheet(sheet), settings)
    record = by_id[f"{EXAM}/schueler-03"]
    assert record.assistant == expected
    assert record.assistant.endswith("ENDSTOP") and not record.assistant.endswith("\n")
    assert record.assistant.startswith("Fehleranalyse:\n\tDIE REFORMATION")
    assert TASK_TEXT in record.user and "Antwort 3:" in record.user
    assert record.system == exam_ws.config.export.system_prompt

    scan = by_id[f"{EXAM}/scan-emil"]
    assert SCAN_REVIEWED[0] in scan.user and SCAN_OCR[0] not in scan.user  # reviewed text wins
    loose = by_id[f"{EXAM}/loose-lena"]
    assert "Punkte: 19 von 21, das entspricht einer Leistung von: 90%" in loose.assistant


def test_export_chat_writes_valid_lines_with_exact_tokens(exam_ws: Workspace, cli, official_encoding) -> None:
    out = exam_ws.root / "train.jsonl"
    result = cli("export", "chat", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    lines = read_lines(out)
    assert len(lines) == N_TYPED + 2
    for line in lines:
        assert set(line) == {"messages"}
        assert [m["role"] for m in line["messages"]] == ["system", "user", "assistant"]
        assert all(set(m) == {"role", "content"} for m in line["messages"])
        assert not [p for p in format_problems(line) if p[1] == "error"]
    assert "left out" in result.stderr and "ohne-analyse" in result.stderr
    assert "cost" in result.stderr and "billed tokens" in result.stderr

    report = cli("export", "validate", out, "--json", "--workspace", exam_ws.root)
    assert report.exit_code == 0, report.output
    data = json.loads(report.stdout)
    enc = official_encoding("o200k_base")  # gpt-4o-mini, tiktoken's own constructor
    expected = [3 + sum(3 + len(enc.encode(m["role"])) + len(enc.encode(m["content"])) for m in line["messages"]) for line in lines]
    assert data["n_examples"] == len(lines)
    assert data["total_tokens"] == sum(expected)
    assert data["max_tokens"] == max(expected)
    assert data["exact_tokens"] is True and data["encoding"] == "o200k_base"
    assert data["epochs"] == 100 // len(lines)  # the guide's rule for few examples
    assert data["cost_usd"] > 0
    assert all(p["severity"] == "warning" for p in data["problems"])
    assert exam_ws.runs.exports()[-1]["n_records"] == len(lines)


def test_strict_fails_and_names_the_documents(exam_ws: Workspace, cli) -> None:
    out = exam_ws.root / "train.jsonl"
    result = cli("export", "chat", out, "--strict", "--workspace", exam_ws.root)
    assert result.exit_code == 1
    assert "ohne-analyse" in result.stderr and "falsch-addiert" in result.stderr
    assert not out.exists()


def test_too_few_examples_write_nothing_unless_forced(ws: Workspace, cli, tmp_path: Path) -> None:
    from annotate.sheets import attach_sheet
    from tests.export.conftest import answer, typed_document

    for i in range(3):
        typed_document(ws, f"{EXAM}/s{i}", answer(i))
        (tmp_path / f"{i}.yaml").write_text(sheet_yaml(i), encoding="utf-8")
        attach_sheet(ws, f"{EXAM}/s{i}", tmp_path / f"{i}.yaml")
    out = tmp_path / "few.jsonl"
    result = cli("export", "chat", out, "--workspace", ws.root)
    assert result.exit_code == 1 and "too-few-examples" in result.stderr and not out.exists()
    result = cli("export", "chat", out, "--force", "--workspace", ws.root)
    assert result.exit_code == 0 and len(read_lines(out)) == 3


def test_system_prompt_option_and_file(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    assert cli("export", "chat", out, "--system", "Kurz.", "--workspace", exam_ws.root).exit_code == 0
    assert read_lines(out)[0]["messages"][0] == {"role": "system", "content": "Kurz."}
    prompt = tmp_path / "system.txt"
    prompt.write_text("Aus der Datei.\n", encoding="utf-8")
    assert cli("export", "chat", out, "--system-file", prompt, "--workspace", exam_ws.root).exit_code == 0
    assert read_lines(out)[0]["messages"][0]["content"] == "Aus der Datei."


def test_user_template_override(exam_ws: Workspace, tmp_path: Path) -> None:
    (exam_ws.root / "user.j2").write_text("{{ exam }} | {{ answer[:9] }}", encoding="utf-8")
    exam_ws.config.export.user_template = "user.j2"
    record = collect_records(exam_ws).records[0]
    assert record.user.startswith(f"{EXAM} | ")


def test_an_empty_analysis_is_never_exported_not_even_forced(ws: Workspace, cli, tmp_path: Path) -> None:
    from annotate.sheets import attach_sheet
    from tests.export.conftest import answer, typed_document

    for i in range(2):
        typed_document(ws, f"{EXAM}/s{i}", answer(i))
        (tmp_path / f"{i}.yaml").write_text(sheet_yaml(i), encoding="utf-8")
        attach_sheet(ws, f"{EXAM}/s{i}", tmp_path / f"{i}.yaml")
    typed_document(ws, f"{EXAM}/leer", answer(2))
    ws.revisions.add_analysis(f"{EXAM}/leer", "Fehleranalyse:\n\tInsgesamt:\n\t\tPunkte: 0 von 0\n",
                              sheet={"title": None, "tasks": [], "extras": []})
    out = tmp_path / "forced.jsonl"
    result = cli("export", "chat", out, "--force", "--workspace", ws.root)
    assert result.exit_code == 0 and len(read_lines(out)) == 2
    assert "leer" in result.stderr and "analysis-empty" in result.stderr
