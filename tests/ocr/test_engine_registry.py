"""A fourth OCR engine with options is one module plus one registry line: ``ocr scan`` reads with
it, chosen by ``--engine`` or by ``[ocr] engine`` in examkit.toml, takes its options from
``[ocr.standin]`` and ``-o key=value``, and its missing capabilities are refused clearly (the
stand-in is ``tests/ocr/standin_engine.py``)."""

from __future__ import annotations

import pytest

from examkit.workspace import Workspace
from ocr.engine import ENGINES


@pytest.fixture
def standin(monkeypatch):
    monkeypatch.setitem(ENGINES, "standin", "tests.ocr.standin_engine:StandInEngine")


def test_scan_reads_with_a_fourth_engine_named_in_the_config(cli, ws_path, exam_folder, standin):
    ws_path.mkdir()
    (ws_path / "examkit.toml").write_text('[ocr]\nengine = "standin"\n', encoding="utf-8")
    result = cli("ocr", "scan", exam_folder, "-w", ws_path, "--workers", "1")
    assert result.exit_code == 0, result.output
    with Workspace.open(ws_path) as ws:
        pages = [p for d in ws.documents.list() for p in ws.documents.pages(d.id) if not d.typed]
        readings = [ws.documents.latest_ocr(p.id) for p in pages]
    assert len(readings) == 3 and {(r.engine, r.text) for r in readings} == {("standin", "Stellvertreter")}


def test_a_capability_it_lacks_is_refused_in_one_line(cli, ws_path, exam_folder, tmp_path, standin):
    result = cli("ocr", "scan", exam_folder, "--engine", "standin", "--hocr", tmp_path / "hocr", "-w", ws_path,
                 "--workers", "1")
    assert result.exit_code == 1 and "standin engine cannot write hOCR" in result.output


def readings(ws_path) -> set[tuple[str, str, float]]:
    with Workspace.open(ws_path) as ws:
        pages = [p for d in ws.documents.list() for p in ws.documents.pages(d.id) if not d.typed]
        found = [ws.documents.latest_ocr(p.id) for p in pages]
    return {(r.engine, r.text, r.lines[0].words[0].conf) for r in found}


def test_its_options_come_from_its_table_and_from_dash_o(cli, ws_path, exam_folder, standin):
    ws_path.mkdir()
    (ws_path / "examkit.toml").write_text('[ocr]\nengine = "standin"\n[ocr.standin]\nword = "Tafel"\n',
                                          encoding="utf-8")
    result = cli("ocr", "scan", exam_folder, "-w", ws_path, "--workers", "1", "-o", "confidence=42.5")
    assert result.exit_code == 0, result.output
    assert readings(ws_path) == {("standin", "Tafel", 42.5)}


def test_an_option_it_lacks_or_a_bad_value_is_one_line(cli, ws_path, exam_folder, standin):
    result = cli("ocr", "scan", exam_folder, "--engine", "standin", "-o", "colour=red", "-w", ws_path)
    assert result.exit_code == 1 and "standin engine option 'colour' from the command line: no such option" in result.output
    assert "Options of the standin engine: word, confidence" in result.output
    result = cli("ocr", "scan", exam_folder, "--engine", "standin", "-o", "confidence=lots", "-w", ws_path)
    assert result.exit_code == 1 and "option 'confidence'" in result.output
    assert "Traceback" not in result.output


def test_a_table_for_no_engine_is_refused(cli, ws_path, exam_folder, standin):
    ws_path.mkdir()
    (ws_path / "examkit.toml").write_text('[ocr.standn]\nword = "x"\n', encoding="utf-8")
    result = cli("ocr", "scan", exam_folder, "--engine", "standin", "-w", ws_path)
    assert result.exit_code == 1 and "[ocr.standn]: no OCR engine is called 'standn'" in result.output
