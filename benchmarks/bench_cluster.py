"""``ocr scan --cluster`` benchmark: the local pool vs a Dask cluster, and the scanning process's memory.

1. Wall time, side by side in one run: the 21 handwritten sample pages (those of bench_ocr.py),
   Tesseract, into fresh workspaces: the local pool with 2 workers vs a ``LocalCluster`` of 2
   single-threaded worker processes, alternating for ``--rounds`` rounds. The cluster is started
   before it is timed (a cluster runs before a scan is pointed at it); its start is shown apart.
2. Memory: the peak resident memory (ru_maxrss) of the scanning process alone, with 50 and with
   500 pages queued (copies of one sample page; no preprocessing and an engine that reads nothing,
   so the page plumbing dominates). Each scan runs in a process of its own; for the cluster a
   ``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1`` run as programs, so the scheduler
   is outside the measured process. Flat = the same with 10x the queue.
3. On paper: pages per hour per worker core from (1), and the core-hours and cluster size for
   10⁵ pages.

Run: .venv/bin/python benchmarks/bench_cluster.py [--rounds 1] [--queued 50 500]
Needs the cluster extra: pip install -e ".[cluster]".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.models import PageOCR  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402
from ocr.batch import scan  # noqa: E402
from ocr.engine import EngineBase  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402

PAGE = ROOT / "samples" / "exams" / "LK-Weimar-2024" / "schmitt-anna.jpg"


class NullEngine(EngineBase):
    """Reads nothing: what is left is loading, encoding and moving pages (the plumbing)."""

    name = "null"

    def check(self) -> None:
        return None

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        return PageOCR(engine=self.name, width=int(image.shape[1]), height=int(image.shape[0]))


def timed_scans(rounds: int, work: Path) -> tuple[list[tuple[str, float, int]], float]:
    from distributed import LocalCluster

    from benchmarks.bench_ocr import sample_pages
    from ocr.tesseract import TesseractEngine

    sources = [source for _, source, _, _ in sample_pages(ROOT / "samples", None)]
    started = time.monotonic()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    startup = time.monotonic() - started
    runs = []
    try:
        for index in range(rounds):
            for name, options in (("local pool, 2 workers", ScanOptions(workers=2)),
                                  ("LocalCluster, 2 processes x 1 thread", ScanOptions(cluster=cluster.scheduler_address))):
                with Workspace.open(work / f"ws-{index}-{len(runs)}") as ws:
                    begun = time.monotonic()
                    report = scan(ws, sources, engine=TesseractEngine(), options=options)
                    runs.append((name, time.monotonic() - begun, report.pages_read))
                    assert not report.failed, report.failed
    finally:
        cluster.close()
    return runs, startup


def queued_memory(count: int, work: Path, cluster: str | None) -> tuple[int, float]:
    """Peak RSS (KiB) of a scanning process with ``count`` pages queued, and the pages it received
    and stored per second (the engine reads nothing: the ceiling of the one writer behind a runner)."""
    folder = work / f"pages-{count}" / "LK-Bench"
    if not folder.exists():
        folder.mkdir(parents=True)
        for number in range(count):
            shutil.copyfile(PAGE, folder / f"s{number:04d}.jpg")
    args = [sys.executable, __file__, "--child", str(work / f"ws-mem-{count}-{bool(cluster)}"), str(folder.parent)]
    if cluster:
        args += ["--cluster", cluster]
    done = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["pages_read"] == count, result
    return result["peak_rss_kb"], count / result["seconds"]


def child(workspace: Path, folder: Path, cluster: str | None) -> None:
    from benchmarks.bench_cluster import NullEngine as Engine  # by module name: Dask workers import it

    options = ScanOptions(workers=2, cluster=cluster, steps=(), red_ink=False)
    with Workspace.open(workspace) as ws:
        report = scan(ws, [folder], engine=Engine(), options=options)
    print(json.dumps({"pages_read": report.pages_read, "seconds": report.seconds,
                      "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


def dask_programs(work: Path) -> tuple[str, list[subprocess.Popen]]:
    """A ``dask scheduler`` and ``dask worker`` as separate programs; their address."""
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    info = work / "scheduler.json"
    log = (work / "dask.log").open("wb")
    scheduler = subprocess.Popen([dask, "scheduler", "--port", "0", "--no-dashboard", "--scheduler-file", str(info)],
                                 env=env, stdout=log, stderr=log)
    workers = subprocess.Popen([dask, "worker", "--scheduler-file", str(info), "--nworkers", "2", "--nthreads", "1",
                                "--no-dashboard"], env=env, stdout=log, stderr=log, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if info.exists():
            from distributed import Client

            address = json.loads(info.read_text())["address"]
            with Client(address, set_as_default=False) as client:
                client.wait_for_workers(2, timeout=120)
            return address, [workers, scheduler]
        time.sleep(0.5)
    raise SystemExit("the dask scheduler did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="timed rounds (0: memory only)")
    parser.add_argument("--queued", type=int, nargs="*", default=[50, 500], help="pages queued (none: no memory part)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cluster", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.cluster)
        return 0
    print(f"## Dask cluster benchmark ({dt.date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start)\n")
    print(f"Command: `.venv/bin/python benchmarks/bench_cluster.py --rounds {args.rounds} "
          f"--queued {' '.join(map(str, args.queued))}`\n", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.rounds:
            report_timed(*timed_scans(args.rounds, work))
        if args.queued:
            address, processes = dask_programs(work)
            try:
                print("| scanning process: peak memory, pages stored per second | "
                      + " | ".join(f"{n} pages queued" for n in args.queued) + " |")
                print("|---|" + "---|" * len(args.queued), flush=True)
                for name, cluster in (("local pool, 2 workers", None), ("Dask cluster (2 x 1 thread)", address)):
                    figures = [f"{kb / 1024:.0f} MiB, {rate:.1f} pages/s"
                               for kb, rate in (queued_memory(count, work, cluster) for count in args.queued)]
                    print(f"| {name} | " + " | ".join(figures) + " |", flush=True)
            finally:
                for process in processes:
                    process.terminate()
                    process.wait()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


def report_timed(runs: list[tuple[str, float, int]], startup: float) -> None:
    local = [s for name, s, _ in runs if name.startswith("local")]
    remote = [s for name, s, _ in runs if not name.startswith("local")]
    per_page = sum(local) / len(local) * 2 / runs[0][2]  # worker-seconds per page
    print("| runner | scan of the sample pages | pages |")
    print("|---|---|---|")
    for name, seconds, read in runs:
        print(f"| {name} | {seconds:.1f} s | {read} |")
    print(f"\n- wall time ratio cluster / local pool: {sum(remote) / sum(local):.2f} "
          f"(LocalCluster start, not counted: {startup:.1f} s)")
    print(f"- Tesseract pipeline: {per_page:.2f} worker-seconds per page = {3600 / per_page:.0f} pages per hour per "
          f"worker core; 10^5 pages = {1e5 * per_page / 3600:.0f} core-hours\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
