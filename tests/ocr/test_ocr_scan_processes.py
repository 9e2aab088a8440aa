"""Scans as real processes: one killed with ``kill -9``, two running side by side on one workspace."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from examkit.workspace import Workspace
from ocr.batch import scan
from ocr.page import ScanOptions
from tests.ocr.conftest import FakeEngine, draw_page
from tests.ocr.test_ocr_batch import _reading_counts

ROOT = Path(__file__).resolve().parents[2]


def _folder(tmp_path: Path, pages: int) -> Path:
    root = tmp_path / "exams" / "LK-Test"
    root.mkdir(parents=True)
    for number in range(pages):
        draw_page([f"Seite {number} Reformation"], width=500, size=24).image.save(root / f"s{number:02d}.png")
    return tmp_path / "exams"


def _start(workspace: Path, folder: Path, log: Path, *, workers: int, delay: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as out:  # not a pipe: a worker left running would hold it open
        return subprocess.Popen([sys.executable, "-m", "tests.ocr.scan_process", str(workspace), str(folder),
                                 "--workers", str(workers), "--delay", str(delay)], stdout=out, stderr=out, env=env, cwd=ROOT)


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in (e for e in Path("/proc").iterdir() if e.name.isdigit()):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_scan_ends_its_workers_and_the_next_scan_cleans_up(ws: Workspace, tmp_path: Path):
    folder = _folder(tmp_path, 8)
    scanner = _start(ws.root, folder, tmp_path / "scan.log", workers=2, delay=2.0)
    family: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while len(family) < 4 and time.monotonic() < deadline:  # forkserver, resource tracker, 2 workers
            assert scanner.poll() is None, (tmp_path / "scan.log").read_text()
            time.sleep(0.2)
            family = _descendants(scanner.pid)
        assert len(family) >= 4, family
        time.sleep(1.0)  # the workers are inside their first pages
        family = _descendants(scanner.pid)
        os.kill(scanner.pid, signal.SIGKILL)
        scanner.wait()
        deadline = time.monotonic() + 15
        while any(_running(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in family if _running(pid)] == []
    finally:
        for pid in family:  # only if the test failed: leave nothing behind
            if _running(pid):
                os.kill(pid, signal.SIGKILL)

    # a temporary file the killed scan left in pages/ goes; pages are then read exactly once
    stray = ws.pages_dir / "LK-Test" / "s00" / ".p0001.jpg.abcd1234.tmp"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"half a jpeg")
    os.utime(stray, (time.time() - 60, time.time() - 60))
    report = scan(ws, [folder], engine=FakeEngine(), options=ScanOptions(workers=1))
    assert not stray.exists()
    assert report.failed == [] and report.pages_read + report.pages_skipped == 8
    assert sorted(_reading_counts(ws).values()) == [1] * 8
    assert list(ws.pages_dir.rglob("*.tmp")) == []


@pytest.mark.slow
def test_two_scans_of_one_workspace_read_every_page_once(ws: Workspace, tmp_path: Path):
    pages = 16
    folder = _folder(tmp_path, pages)
    scans = [_start(ws.root, folder, tmp_path / f"scan{i}.log", workers=2, delay=1.0) for i in range(2)]
    reports = []
    for i, process in enumerate(scans):
        assert process.wait(timeout=240) == 0, (tmp_path / f"scan{i}.log").read_text()
        reports.append(json.loads((tmp_path / f"scan{i}.log").read_text().strip().splitlines()[-1]))
    assert sorted(_reading_counts(ws).values()) == [1] * pages
    assert sum(r["pages_read"] for r in reports) == pages
    # both planned unread pages, so they ran side by side; each left to the other what it took
    assert all(r["pages_read"] + r["pages_elsewhere"] > 0 for r in reports)
    assert all(r["pages_read"] + r["pages_elsewhere"] + r["pages_skipped"] == pages for r in reports)


def test_a_scan_without_a_cluster_does_not_import_dask(tmp_path: Path):
    folder = _folder(tmp_path, 2)
    code = ("import sys; from pathlib import Path; from examkit.workspace import Workspace; "
            "from ocr.batch import scan; from ocr.page import ScanOptions; from tests.ocr.conftest import FakeEngine; "
            f"ws = Workspace.open(Path({str(tmp_path / 'ws')!r})); "
            f"report = scan(ws, [Path({str(folder)!r})], engine=FakeEngine(), options=ScanOptions(workers=2)); "
            "print(report.pages_read, sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "2 []"
