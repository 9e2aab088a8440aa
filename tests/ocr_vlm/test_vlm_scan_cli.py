"""`examkit ocr scan --engine vlm`: the consent gate before any page leaves, and a local scan."""

from __future__ import annotations

from PIL import Image

from examkit.workspace import Workspace
from tests.ocr_vlm.conftest import render_lines


def _exam(tmp_path):
    folder = tmp_path / "exams" / "LK-Test"
    folder.mkdir(parents=True)
    Image.fromarray(render_lines(["Die Reformation begann 1517", "in Wittenberg mit Luthers Thesen"])).save(
        folder / "anna.png"
    )
    return folder


def test_cloud_scan_without_yes_sends_nothing(cli, tmp_path, openai_server):
    folder = _exam(tmp_path)
    # the fake listens on 127.0.0.1, which counts as local; a cloud host is refused before any request
    result = cli("ocr", "scan", folder, "--engine", "vlm", "--model", "gpt-4o", "--base-url",
                 "https://api.example.invalid/v1", "-w", tmp_path / "ws", env_key=True)
    assert result.exit_code == 1, result.output
    assert "consent" in result.output and "api.example.invalid" in result.output
    assert "--yes" in result.output


def test_local_vlm_scan_stores_the_models_text(cli, tmp_path, openai_server, answer):
    folder = _exam(tmp_path)
    answer("Die Reformation begann 1517\nin Wittenberg mit Luthers Thesen")
    result = cli("ocr", "scan", folder, "--engine", "vlm", "--model", "qwen-vl", "--base-url",
                 openai_server.base_url, "--workers", "1", "-w", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    assert "nothing leaves this machine" in result.output
    assert len(openai_server.chat_requests) == 1
    with Workspace.open(tmp_path / "ws") as ws:
        [doc] = ws.documents.list()
        page = ws.documents.pages(doc.id)[0]
        assert ws.revisions.page_text(page.id, source="ocr") == "Die Reformation begann 1517\nin Wittenberg mit Luthers Thesen"


def test_model_without_vlm_engine_is_a_usage_mistake(cli, tmp_path):
    result = cli("ocr", "scan", _exam(tmp_path), "--model", "gpt-4o", "-w", tmp_path / "ws")
    assert result.exit_code == 1
    assert "rapidocr engine option 'model' from the command line: no such option" in result.output
    assert "--engine NAME" in result.output
