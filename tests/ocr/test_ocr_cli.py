from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ocr.conftest import draw_page


def test_scan_status_show_export(cli, ws_path: Path, exam_folder: Path, tmp_path: Path):
    page = draw_page(["Er hat das Edikt von Nantes erlassen", "Die Intendanten verwalteten"],
                     underline=[(0, 3, 5)], notes=[(0, "-1")], width=1100)
    page.image.save(exam_folder / "LK-Test" / "dora.png")
    (exam_folder / "LK-Test" / "dora.yaml").write_text(
        "tasks:\n  - label: A\n    max: 4\n    errors:\n      - quote: Edikt von Nantes\n        comment: Jahr?\n"
        "        deduction: 1\n", encoding="utf-8")
    (exam_folder / "LK-Test" / "liste.xlsx").write_bytes(b"x")

    result = cli("ocr", "scan", exam_folder, "--workspace", ws_path, "--workers", "1")
    assert result.exit_code == 0, result.output

    status = json.loads(cli("ocr", "status", "--json", "-w", ws_path).stdout)
    # the typed answer (cem) needs no review; scanned pages are not confirmed until a person does
    assert status["totals"] == {"documents": 4, "pages": 5, "ocr": 5, "empty": 0, "reviewed": 1, "failures": 0}
    states = {d["id"]: d["state"] for d in status["documents"]}
    assert states["LK-Test/ben"] == "ocr'd" and states["LK-Test/cem"] == "reviewed"
    assert [Path(s["path"]).name for s in status["skipped"]] == ["liste.xlsx"]
    assert [s["document_id"] for s in status["sheets"]] == ["LK-Test/dora"]
    lm = status["language_model"]  # what the decoder's language model is built from (issue 29)
    assert (lm["decoder"], lm["lang"], lm["task_sheets"], lm["confirmed_lines"]) == ("beam", "deu", 0, 2)
    assert "wordfreq" in lm["general"] and lm["words"] == 4  # cem's typed answer
    assert lm["spelling"] == ["/usr/share/dict/ngerman", "/usr/share/dict/ogerman"]  # "ß" (make setup)
    from examkit.workspace import Workspace

    with Workspace.open(ws_path) as ws:  # handed to the annotate stage as an imported analysis
        assert [a.source for a in ws.revisions.analyses("LK-Test/dora")] == ["import"]
    cli("ocr", "scan", exam_folder, "-w", ws_path, "--workers", "1")  # a rescan attaches nothing twice
    with Workspace.open(ws_path) as ws:
        assert len(ws.revisions.analyses("LK-Test/dora")) == 1

    shown = json.loads(cli("ocr", "show", "LK-Test/dora", "--json", "-w", ws_path).stdout)
    first = shown["pages"][0]
    word = first["lines"][0]["words"][0]
    assert set(word) == {"text", "conf", "bbox", "flagged"} and len(word["bbox"]) == 4
    assert 0 <= word["conf"] <= 100 and isinstance(word["flagged"], bool)
    kinds = {m["kind"]: m for m in first["marks"]}
    assert kinds["underline"]["text"] == "Edikt von Nantes" and len(kinds["underline"]["bbox"]) == 4
    assert kinds["margin"]["text"] == "-1"

    out = tmp_path / "texts"
    result = cli("ocr", "export-text", out, "-w", ws_path)
    assert result.exit_code == 0
    ben = (out / "LK-Test" / "ben.txt").read_text(encoding="utf-8")
    assert ben.count("\f") == 1 and "Luther" in ben.split("\f")[0]
    teacher = tmp_path / "teacher"
    cli("ocr", "export-text", teacher, "--layer", "teacher", "-w", ws_path)
    assert (teacher / "LK-Test" / "dora.txt").read_text(encoding="utf-8") == "-1"
    reviewed = tmp_path / "reviewed"
    result = cli("ocr", "export-text", reviewed, "--source", "reviewed", "-w", ws_path)
    assert result.exit_code == 0 and not reviewed.exists()


def test_failed_files_exit_3_and_are_listed(cli, ws_path: Path, exam_folder: Path):
    (exam_folder / "LK-Test" / "leer.pdf").write_bytes(b"")
    result = cli("ocr", "scan", exam_folder, "-w", ws_path, "--workers", "1")
    assert result.exit_code == 3
    assert "leer.pdf" in result.stderr and "empty" in result.stderr
    status = json.loads(cli("ocr", "status", "--json", "-w", ws_path).stdout)
    assert [Path(f["path"]).name for f in status["failures"]] == ["leer.pdf"]


def test_show_unknown_document_is_one_line(cli, ws_path: Path):
    result = cli("ocr", "show", "nope", "--json", "-w", ws_path)
    assert result.exit_code == 1 and "nope" in result.stderr


def test_doctor_json(cli):
    result = cli("doctor", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] and {p["name"] for p in data["programs"]} >= {"tesseract", "pdftoppm"}


@pytest.mark.slow
def test_kill_9_mid_scan_then_rerun_gives_every_page_once(tmp_path: Path):
    folder = tmp_path / "exam"
    folder.mkdir()
    for i in range(10):
        draw_page([f"Seite {i} Reformation und Bauernkrieg"], width=800).image.save(folder / f"s{i:02d}.png")
    workspace = tmp_path / "ws"
    command = [sys.executable, "-m", "examkit_app", "ocr", "scan", str(folder), "-w", str(workspace), "--workers", "2"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        try:
            with sqlite3.connect(workspace / "examkit.sqlite3") as db:
                done = db.execute("SELECT COUNT(*) FROM ocr_results").fetchone()[0]
        except sqlite3.Error:
            continue
        if done >= 3:
            break
    assert proc.poll() is None, "the scan finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the scan and its workers, as a crash would
    proc.wait()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with sqlite3.connect(workspace / "examkit.sqlite3") as db:
        rows = db.execute("SELECT p.document_id, COUNT(o.id) FROM pages p JOIN ocr_results o ON o.page_id = p.id "
                          "GROUP BY p.id").fetchall()
    assert len(rows) == 10 and {count for _, count in rows} == {1}
    assert "already done" in rerun.stderr and " 0 already done" not in rerun.stderr
