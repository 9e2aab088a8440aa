"""``examkit ocr eval``: CER/WER per file and overall, engines side by side."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from PIL import Image
from rapidfuzz.distance import Levenshtein
from typer.testing import CliRunner

from examkit.errors import UserInputError
from ocr.eval_cli import eval_command
from ocr.evaluate import find_pairs, normalise, score
from tests.ocr_vlm.conftest import render_lines

TEXTS = {"zeile-1": "Die Reformation begann 1517 in Wittenberg.", "zeile-2": "Luther übersetzte die Bibel ins Deutsche."}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two line images with their transcriptions, as ``export ocr-gt`` writes them (one as JPEG)."""
    root = tmp_path / "gt"
    root.mkdir()
    for i, (name, text) in enumerate(TEXTS.items()):
        image = Image.fromarray(render_lines([text], width=1100))
        image.save(root / (f"{name}.png" if i == 0 else f"{name}.jpg"))
        (root / f"{name}.gt.txt").write_text(text + "\n", encoding="utf-8")
    (root / "orphan.gt.txt").write_text("no image", encoding="utf-8")
    return root


def run(*args: str):
    app = typer.Typer()
    app.command()(eval_command)
    return CliRunner().invoke(app, [str(a) for a in args])


def test_normalisation_collapses_whitespace_and_keeps_case_and_punctuation():
    assert normalise(" Das  ist\n  gut,\tdass ") == "Das ist gut, dass"
    assert normalise("Mu\u0308ller") == "Müller"  # NFC
    s = score("Das ist gut, dass", "das ist gut dass")
    assert (s.char_errors, s.chars, s.word_errors, s.words) == (2, 17, 2, 4)
    assert score("", "").cer == 0 and score("", "x").cer == 1


def test_pairs_found_in_natural_order_and_orphans_reported(folder):
    pairs, skipped = find_pairs(folder)
    assert [p[0].name for p in pairs] == ["zeile-1.png", "zeile-2.jpg"]
    assert skipped == [(str(folder / "orphan.gt.txt"), "no image beside it")]
    (folder.parent / "empty").mkdir()
    with pytest.raises(UserInputError, match="no images with a NAME.gt.txt"):
        find_pairs(folder.parent / "empty")
    with pytest.raises(UserInputError, match="not a folder"):
        find_pairs(folder.parent / "missing")


def test_eval_both_engines_side_by_side_json(folder, openai_server, ws_path):
    reading = "Die Reformation begann 1517 in Wittenberg"      # the model misses a full stop
    openai_server.chat = lambda request: reading
    result = run(folder, "--engine", "tesseract", "--engine", "vlm", "--model", "fake-vl", "--raw", "--json",
                 "--workspace", ws_path)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["engines"] == ["tesseract", "vlm:fake-vl"]
    rows = {(f["file"], f["engine"]): f for f in data["files"]}
    assert len(rows) == 4 and len(openai_server.chat_requests) == 2   # every image, every engine, once
    expected_1 = Levenshtein.distance(TEXTS["zeile-1"], reading)
    expected_2 = Levenshtein.distance(TEXTS["zeile-2"], reading)
    assert rows[("zeile-1.png", "vlm:fake-vl")]["char_errors"] == expected_1 == 1
    assert rows[("zeile-2.jpg", "vlm:fake-vl")]["char_errors"] == expected_2
    vlm = next(s for s in data["summary"] if s["engine"] == "vlm:fake-vl")
    chars = len(TEXTS["zeile-1"]) + len(TEXTS["zeile-2"])
    assert vlm["cer"] == pytest.approx((expected_1 + expected_2) / chars, abs=1e-4)
    tess = next(s for s in data["summary"] if s["engine"] == "tesseract")
    assert tess["cer"] < 0.1 and tess["files"] == 2 and tess["seconds_per_page"] > 0  # printed text reads well
    assert data["skipped"] == [{"file": str(folder / "orphan.gt.txt"), "reason": "no image beside it"}]
    assert "(local): nothing leaves" in result.stderr


def test_eval_table_and_failed_pages_count_as_empty(folder, openai_server, ws_path):
    openai_server.fail(r"/chat/completions", 400, "image input not supported", times=10)
    result = run(folder, "--engine", "vlm", "--model", "fake-vl", "--raw", "--workspace", ws_path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["file", "vlm:fake-vl"]
    assert any(line.startswith("zeile-1.png") and "failed" in line for line in lines)
    assert any(line.startswith("overall") and "1.000 / 1.000" in line for line in lines)
    assert "2 failed, counted as empty readings" in result.stdout


def test_eval_against_a_cloud_url_needs_consent(folder, ws_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-used")
    result = run(folder, "--engine", "vlm", "--model", "gpt-4o", "--base-url", "https://api.openai.com/v1",
                 "--raw", "--workspace", ws_path)
    assert result.exit_code != 0 and isinstance(result.exception, UserInputError)
    assert "consent" in result.exception.one_line()
