"""``ocr scan --cluster``: pages read by the workers of a real Dask ``LocalCluster`` (2 worker
processes) give what the local pool gives, survive a worker killed mid-page, and a scheduler that
is not there is one clear line."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from examkit.workspace import Workspace
from ocr.batch import scan
from ocr.page import ScanOptions
from tests.ocr.conftest import FakeEngine, draw_page
from tests.ocr.test_ocr_batch import _reading_counts

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def _contents(ws: Workspace) -> dict:
    """Every document's pages: size, hash, reading, and the page images' bytes."""
    found = {}
    for row in ws.db.execute("SELECT id, kind, typed, source_hash FROM documents ORDER BY id"):
        pages = []
        for page in ws.documents.pages(row["id"]):
            reading = ws.documents.latest_ocr(page.id)
            images = tuple(ws.path(p).read_bytes() if p else b"" for p in (page.image, page.original))
            pages.append((page.number, page.width, page.height, page.source_hash, reading.text, reading.steps,
                          [m.kind for m in reading.marks], images))
        found[row["id"]] = (row["kind"], row["typed"], row["source_hash"], pages)
    return found


@pytest.mark.slow
def test_a_cluster_scan_gives_what_the_local_pool_gives(cluster, exam_folder: Path, tmp_path: Path):
    with Workspace.open(tmp_path / "local") as local, Workspace.open(tmp_path / "cluster") as remote:
        by_pool = scan(local, [exam_folder], engine=FakeEngine(), options=ScanOptions(workers=2))
        by_cluster = scan(remote, [exam_folder], engine=FakeEngine(),
                          options=ScanOptions(cluster=cluster.scheduler_address))
        assert (by_cluster.pages_read, by_cluster.typed, by_cluster.failed) == (3, 1, [])
        assert (by_pool.pages_read, by_pool.typed, by_pool.failed) == (3, 1, [])
        assert _contents(remote) == _contents(local)
        assert len(_contents(remote)) == 3
        again = scan(remote, [exam_folder], engine=FakeEngine(), options=ScanOptions(cluster=cluster.scheduler_address))
        assert (again.pages_read, again.pages_skipped) == (0, 3)  # resume works the same


def _executing(dask_worker) -> tuple[int, int]:
    return dask_worker.state.executing_count, os.getpid()


@pytest.mark.slow
def test_a_worker_killed_mid_page_still_gives_every_page_once(cluster, ws: Workspace, tmp_path: Path):
    folder = tmp_path / "exams" / "LK-Test"
    folder.mkdir(parents=True)
    for number in range(8):
        draw_page([f"Seite {number}"], width=500, size=24).image.save(folder / f"s{number}.png")
    killed: list[str] = []

    def kill_a_busy_worker() -> None:
        with distributed.Client(cluster.scheduler_address, set_as_default=False) as watcher:
            deadline = time.monotonic() + 120
            while not killed and time.monotonic() < deadline:
                for worker, (executing, pid) in watcher.run(_executing).items():
                    if executing:
                        os.kill(pid, signal.SIGKILL)  # mid-page: the fake engine takes 1.5 s per page
                        killed.append(worker)
                        break
                time.sleep(0.1)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        report = scan(ws, [folder.parent], engine=FakeEngine(delay=1.5),
                      options=ScanOptions(cluster=cluster.scheduler_address))
    finally:
        killer.join()
    assert killed
    assert report.failed == [] and report.pages_read == 8
    assert sorted(_reading_counts(ws).values()) == [1] * 8


@pytest.mark.slow  # the client waits its connect timeout (10 s)
def test_a_cluster_address_where_nothing_listens_is_one_clear_line(cli, exam_folder: Path, ws_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = cli("ocr", "scan", exam_folder, "-w", ws_path, "--cluster", address)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if address in line]
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0] and "dask scheduler" in lines[0]
    with Workspace.open(ws_path) as ws:
        assert ws.db.execute("SELECT COUNT(*) FROM ocr_results WHERE engine != 'typed'").fetchone()[0] == 0


@pytest.mark.slow
def test_the_scanning_process_keeps_no_copy_of_the_pages_it_sent(cluster):
    # Dask's client logged its last 1,000 messages, each with a page's bytes: ~260 KiB per queued page
    from ocr.cluster import DaskRunner
    from ocr.page import PageContext

    with DaskRunner.connect(cluster.scheduler_address, PageContext(engine=FakeEngine(), options=ScanOptions())) as runner:
        assert runner.client.scheduler_comm.recent_message_log.maxlen == 0
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as plain:
        assert plain.scheduler_comm.recent_message_log.maxlen > 0  # the default this guards against
