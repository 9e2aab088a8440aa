"""Training data is what a person confirmed: no OCR-only text, no doubled records, traceable lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd

from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import Workspace
from export.formats import read_table
from tests.export.conftest import EXAM, N_TYPED, read_lines, sheet_yaml

UNREVIEWED = f"{EXAM}/ocr-otto"


def _ocr_only(ws: Workspace, tmp_path: Path) -> None:
    """A scanned test with a teacher's analysis whose page nobody reviewed."""
    from annotate.sheets import attach_sheet

    ws.documents.upsert(Document(id=UNREVIEWED, exam=EXAM, source="otto.pdf"))
    page = ws.documents.set_page(UNREVIEWED, 1)
    words = [Word(text=t, conf=30, bbox=(0, 0, 5, 5)) for t in "% E Lng O/O3202L4 / 7 £ Wi".split()]
    ws.documents.add_ocr(page.id, PageOCR(engine="tesseract", lines=[Line(words=words, bbox=(0, 0, 5, 5))]))
    sheet = tmp_path / "otto.yaml"
    sheet.write_text(sheet_yaml(7), encoding="utf-8")
    attach_sheet(ws, UNREVIEWED, sheet, source="teacher")


def test_unreviewed_pages_are_left_out_and_counted(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    _ocr_only(exam_ws, tmp_path)
    out = tmp_path / "train.jsonl"
    result = cli("export", "chat", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    texts = [line["messages"][1]["content"] for line in read_lines(out)]
    assert len(texts) == N_TYPED + 2 and not any("O/O3202L4" in t for t in texts)
    assert "1 left out: pages not reviewed" in result.stderr
    assert f"left out {UNREVIEWED}: pages not reviewed: page 1" in result.stderr

    manifest = json.loads(out.with_name("train.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert manifest["role"] == "training" and manifest["documents"] == [r["document_id"] for r in manifest["records"]]
    scan = next(r for r in manifest["records"] if r["document_id"] == f"{EXAM}/scan-emil")
    with Workspace.open(exam_ws.root) as ws:
        page = ws.documents.pages(f"{EXAM}/scan-emil")[0]
        assert scan["pages"][0]["text_revision"] == ws.revisions.latest_text(page.id).id
        assert scan["analysis_revision"] == ws.revisions.latest_analysis(f"{EXAM}/scan-emil").id
    assert scan["pages"][0]["confirmed"] == "marked" and scan["ocr_only"] is False
    assert [e["kind"] for e in manifest["left_out"] if e["document_id"] == UNREVIEWED] == ["pages not reviewed"]
    checked = cli("export", "validate", out, "--json", "--workspace", exam_ws.root)
    assert json.loads(checked.stdout)["ocr_only_records"] == 0

    wider = tmp_path / "with-ocr.jsonl"
    result = cli("export", "chat", wider, "--include-unreviewed", "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    assert any("O/O3202L4" in line["messages"][1]["content"] for line in read_lines(wider))
    assert f"1 of {N_TYPED + 3} records contain OCR text nobody reviewed (unreviewed pages: 1)" in result.stderr
    assert f"OCR-only text (pages nobody reviewed): 1 of {N_TYPED + 3} records (7%)" in result.stderr
    checked = cli("export", "validate", wider, "--workspace", exam_ws.root)
    assert f"OCR-only text (pages nobody reviewed): 1 of {N_TYPED + 3} records (7%)" in checked.stderr

    with Workspace.open(exam_ws.root) as ws:  # a person reviews the page: now it trains
        ws.revisions.mark_reviewed(ws.documents.pages(UNREVIEWED)[0].id)
    again = cli("export", "chat", out, "--workspace", exam_ws.root)
    assert again.exit_code == 0 and f"replaced {out} (written by an earlier export)" in again.stderr
    assert len(read_lines(out)) == N_TYPED + 3


def test_csv_edit_import_updates_instead_of_doubling(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    sheet = tmp_path / "analysen.csv"
    assert cli("export", "csv", sheet, "--workspace", exam_ws.root).exit_code == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    assert len(frame) == N_TYPED + 2 and frame["document_id"].str.startswith(EXAM).all()
    edited = frame["document_id"] == f"{EXAM}/schueler-03"
    frame.loc[edited, "completion"] = frame.loc[edited, "completion"].str.replace(
        "Auf vollständige Sätze achten!", "Bitte in ganzen Sätzen schreiben!")
    frame.to_csv(sheet, index=False)

    result = cli("export", "import", sheet, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == [f"{EXAM}/schueler-03"]
    assert f"1 imported, {N_TYPED + 1} unchanged, 0 failed" in result.stderr
    again = cli("export", "import", sheet, "--workspace", exam_ws.root)  # the sheet's base is old now
    assert again.exit_code == 3 and "was saved since the export" in again.stderr

    out = tmp_path / "train.jsonl"
    result = cli("export", "chat", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    lines = read_lines(out)
    assert len(lines) == N_TYPED + 2
    assert sum("Bitte in ganzen Sätzen schreiben!" in line["messages"][-1]["content"] for line in lines) == 1


def test_a_person_s_newer_analysis_is_never_overwritten(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    sheet = tmp_path / "analysen.csv"
    assert cli("export", "csv", sheet, "--workspace", exam_ws.root).exit_code == 0
    frame = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    frame["completion"] = frame["completion"].str.replace("Auf vollständige Sätze achten!", "Sätze!")
    frame.to_csv(sheet, index=False)
    doc = f"{EXAM}/schueler-05"
    with Workspace.open(exam_ws.root) as ws:
        newer = ws.revisions.latest_analysis(doc)
        ws.revisions.add_analysis(doc, newer.text, sheet=newer.sheet, source="teacher")
    result = cli("export", "import", sheet, "--workspace", exam_ws.root)
    assert result.exit_code == 3
    assert f"{doc}'s analysis was saved since the export" in result.stderr
    with Workspace.open(exam_ws.root) as ws:
        assert "Sätze!" not in ws.revisions.latest_analysis(doc).text


def test_doubled_records_stop_the_export(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    """The old round trip: a sheet without ids, imported again, doubles every record."""
    sheet = tmp_path / "alt.csv"
    assert cli("export", "csv", sheet, "--workspace", exam_ws.root).exit_code == 0
    pd.read_csv(sheet, dtype=str, keep_default_na=False)[["prompt", "completion"]].to_csv(sheet, index=False)
    assert cli("export", "import", sheet, "--workspace", exam_ws.root).exit_code == 0
    out = tmp_path / "train.jsonl"
    result = cli("export", "chat", out, "--workspace", exam_ws.root)
    assert result.exit_code == 1 and not out.exists()
    assert "duplicate or conflicting examples" in result.stderr and "--allow-duplicates" in result.stderr
    forced = cli("export", "chat", out, "--allow-duplicates", "--workspace", exam_ws.root)
    assert forced.exit_code == 0 and len(read_lines(out)) == 2 * (N_TYPED + 2)


def test_xlsx_reads_back_with_umlauts_and_line_breaks(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "analysen.xlsx"
    result = cli("export", "xlsx", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header == ["document_id", "revision", "prompt", "completion"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == f"{EXAM}/schueler-00")
    prompt = row[2]
    assert "Antworten der Schülerin / des Schülers:\nAntwort 0" in prompt.value
    assert "an alle gläubigen Christen" in prompt.value
    assert prompt.alignment.wrap_text
    csv_out = tmp_path / "analysen.csv"
    assert cli("export", "csv", csv_out, "--workspace", exam_ws.root).exit_code == 0
    assert read_table(out).rows == read_table(csv_out).rows
    again = cli("export", "import", out, "--workspace", exam_ws.root)  # unedited: nothing changes
    assert again.exit_code == 0 and again.stdout.strip() == ""


def test_a_validation_file_passes_validate(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    assert cli("export", "chat", out, "--split", "0.2", "--seed", "3", "--workspace", exam_ws.root).exit_code == 0
    val = tmp_path / "train.val.jsonl"
    assert 0 < len(read_lines(val)) < 10
    result = cli("export", "validate", val, "--json", "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["role"] == "validation" and summary["cost_usd"] == 0.0 and summary["billed_tokens"] == 0
    assert "cost for" not in result.stderr

    alone = tmp_path / "elsewhere" / "val.jsonl"  # no manifest beside it: --role says it
    alone.parent.mkdir()
    shutil.copy(val, alone)
    refused = cli("export", "validate", alone, "--workspace", exam_ws.root)
    assert refused.exit_code == 1 and "OCR-only text: not known" in refused.stderr
    assert cli("export", "validate", alone, "--role", "validation", "--workspace", exam_ws.root).exit_code == 0
    training = cli("export", "validate", out, "--json", "--workspace", exam_ws.root)
    assert json.loads(training.stdout)["role"] == "training" and json.loads(training.stdout)["billed_tokens"] > 0


def test_too_few_confirmed_documents_say_why(ws: Workspace, cli, tmp_path: Path) -> None:
    """Only OCR text: nothing is written, and the refusal names why there are so few records."""
    from tests.export.conftest import typed_document

    typed_document(ws, f"{EXAM}/aufgabe", "Aufgabe A: Analysieren Sie.", kind="task")
    _ocr_only(ws, tmp_path)
    result = cli("export", "chat", tmp_path / "train.jsonl", "--workspace", ws.root)
    assert result.exit_code == 1 and not (tmp_path / "train.jsonl").exists()
    assert "too-few-examples" in result.stderr and "1 left out: pages not reviewed" in result.stderr
