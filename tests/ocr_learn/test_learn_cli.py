"""``examkit ocr learn`` refuses to learn from too little; ``ocr status`` names the reader in use."""

from __future__ import annotations

import json

from tests.ocr_learn.conftest import corrected_workspace, needs_training


@needs_training
def test_too_few_confirmed_lines_are_refused_with_advice(cli, ws, ws_path):
    corrected_workspace(ws, pages=2)
    ws.close()
    result = cli("ocr", "learn", "-w", ws_path)
    assert result.exit_code != 0
    assert "4 confirmed lines on 2 pages: too few to learn from" in result.output
    assert not (ws_path / "models").exists()
    status = json.loads(cli("ocr", "status", "--json", "-w", ws_path).stdout)
    assert status["reader"] == {"reader": "bundled", "model": None, "held_out_cer": None}
