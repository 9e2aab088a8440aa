"""A fourth OCR engine is one module plus one registry line: ``ocr scan`` reads with it, chosen by
``--engine`` or by ``[ocr] engine`` in examkit.toml, and its missing capabilities are refused
clearly (the stand-in is ``tests/ocr/standin_engine.py``)."""

from __future__ import annotations

import pytest

from examkit.workspace import Workspace
from ocr.engine import ENGINES


@pytest.fixture
def standin(monkeypatch):
    monkeypatch.setitem(ENGINES, "standin", "tests.ocr.standin_engine:StandInEngine.from_config")


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
