"""``examkit annotate``: output streams, the check --json contract, exit codes, storing revisions."""

from __future__ import annotations

import json
from pathlib import Path

from examkit.models import Document
from examkit.workspace import Workspace

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "spec_example.txt").read_text(encoding="utf-8")


def test_render_prints_canonical_text_and_creates_no_workspace(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("EXAMKIT_WORKSPACE", str(tmp_path / "none"))
    result = cli("annotate", "render", DATA / "spec_example.yaml")
    assert result.exit_code == 0
    assert result.stdout == GOOD
    assert not (tmp_path / "none").exists()


def test_render_normalises_a_loose_text(cli, tmp_path):
    loose = tmp_path / "alt.txt"
    loose.write_text(GOOD.replace("\n", " ").replace("(-1 Punkt)", "(-1Punkt)").replace(" ENDSTOP", ""), encoding="cp1252")
    result = cli("annotate", "render", loose, "--no-stop-marker", "--scale", "sek1")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOOD.replace("2+ ENDSTOP", "2")


def test_workspace_config_is_the_default(cli, ws_path):
    Workspace.open(ws_path).close()
    config = ws_path / "examkit.toml"
    config.write_text(config.read_text().replace('stop_marker = "ENDSTOP"', 'stop_marker = "###"'))
    result = cli("annotate", "render", DATA / "spec_example.yaml", "--workspace", ws_path)
    assert result.stdout.endswith("2+ ###\n")


def test_bad_sheet_is_one_line_exit_1(cli, tmp_path):
    sheet = tmp_path / "s.yaml"
    sheet.write_text("tasks:\n  - label: A\n    errors: []\n", encoding="utf-8")
    result = cli("annotate", "render", sheet)
    assert result.exit_code == 1
    assert "s.yaml: tasks[0].max: is required" in result.output and "Traceback" not in result.output


def test_parse_prints_a_sheet_that_renders_back(cli, tmp_path):
    result = cli("annotate", "parse", DATA / "spec_example.txt", "--json")
    assert result.exit_code == 0
    sheet = tmp_path / "sheet.json"
    sheet.write_text(result.stdout, encoding="utf-8")
    assert json.loads(result.stdout)["tasks"][0] == json.loads(json.dumps({
        "label": "A", "max": 8, "errors": [
            {"comment": "Auf vollständige Sätze achten!", "deduction": 1},
            {"quote": "Textart: Quasi (Statement)", "comment": "ist falsch. Die Textart = Brief", "deduction": 1},
            {"quote": "Adressanten: An alle gläubigen und Beiger",
             "comment": 'ist falsch! Der Brief richtet sich an "Erzbischof Albrecht von Mainz"', "deduction": 1}]}))
    assert cli("annotate", "render", sheet).stdout == GOOD
    assert cli("annotate", "parse", DATA / "spec_example.txt").stdout.startswith("title: DIE REFORMATION")


def test_check_json_contract_and_exit_codes(cli, tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.jsonl"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(json.dumps({"prompt": "Textart: Quasi (Statement). Adressanten: An alle gläubigen und Beiger", "completion": GOOD.replace("83%", "90%")}) + "\n{oops\n", encoding="utf-8")
    ok = cli("annotate", "check", good, "--json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)[0]["problems"] == []
    result = cli("annotate", "check", good, bad, "--json")
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [(Path(r["source"]).name, r["record"]) for r in records] == [("good.txt", 1), ("bad.jsonl", 1), ("bad.jsonl", 2)]
    for record in records:
        assert set(record) == {"source", "record", "parsed", "stated", "computed", "tasks", "problems"}
        assert set(record["stated"]) == set(record["computed"]) == {"points", "max", "percent", "grade"}
        for problem in record["problems"]:
            assert set(problem) == {"code", "severity", "message"}
    assert [p["code"] for p in records[1]["problems"]] == ["percent-mismatch"]
    assert records[2]["parsed"] is False and records[2]["problems"][0]["code"] == "not-parsed"
    assert "with errors" in result.stderr


def test_check_readable_report_and_infer_scale(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD.replace("2+ ENDSTOP", "3 ENDSTOP"), encoding="utf-8")
    result = cli("annotate", "check", path, "--infer-scale")
    assert result.exit_code == 0  # grade-mismatch is a warning
    assert "grade-mismatch" in result.stderr and "inferred thresholds" in result.stderr and result.stdout == ""


def test_check_token_limit(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")
    result = cli("annotate", "check", path, "--max-tokens", "5", "--model", "gpt-4o-mini-2024-07-18", "--json")
    codes = [p["code"] for p in json.loads(result.stdout)[0]["problems"]]
    assert codes == ["too-long"] and result.exit_code == 1


def test_check_missing_path_is_exit_1(cli, tmp_path):
    assert cli("annotate", "check", tmp_path / "nope.jsonl").exit_code == 1


def test_schema_and_scales(cli):
    schema = json.loads(cli("annotate", "schema").stdout)
    assert "tasks" in schema["properties"] and "Task" in schema["$defs"]
    listing = json.loads(cli("annotate", "scales", "--json").stdout)
    assert [s["name"] for s in listing] == ["oberstufe", "sek1"]


def test_set_stores_a_revision_and_attach_sheet(cli, ws_path):
    with Workspace.open(ws_path) as ws:
        ws.documents.upsert(Document(id="LK/anna", exam="LK", source="LK/anna.pdf"))
    result = cli("annotate", "set", "LK/anna", DATA / "spec_example.yaml", "--workspace", ws_path)
    assert result.exit_code == 0, result.output
    result = cli("annotate", "set", "LK/anna", DATA / "spec_example.txt", "--workspace", ws_path, "--source", "import")
    assert result.exit_code == 0, result.output
    with Workspace.open(ws_path) as ws:
        revisions = ws.revisions.analyses("LK/anna")
    assert [r.source for r in revisions] == ["teacher", "import"]
    assert revisions[0].text == GOOD.rstrip("\n") and revisions[0].sheet == revisions[1].sheet
    assert revisions[0].sheet["tasks"][0]["label"] == "A"
    missing = cli("annotate", "set", "LK/nobody", DATA / "spec_example.yaml", "--workspace", ws_path)
    assert missing.exit_code == 1 and "LK/nobody" in missing.output
