"""``annotate check`` over a generated 10,000-record chat JSONL (target: under 5 s on one core).

The records are like real training data: a task statement and a ~2,000-character student answer
in the user message, a rendered Fehleranalyse with quotes taken from that answer as the assistant
message; one record in ten carries a defect (wrong total, percent or grade, a quote the student
never wrote, a non-JSON line), so the slow paths (fuzzy quote search, problem reports) are timed
too. Run: ``.venv/bin/python benchmarks/bench_annotate.py [N]``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.sources import audit_path  # noqa: E402
from benchmarks.generated import answer_and_analysis  # noqa: E402


def _record(rng: random.Random, i: int) -> str:
    answer, text = answer_and_analysis(rng, wrong_quote=i % 10 == 3)
    if i % 10 == 5:
        text = text.replace("%", "1%", 1)  # percent-mismatch
    if i % 10 == 7:
        return "{broken json " + str(i)
    return json.dumps({"messages": [
        {"role": "system", "content": "Du bist Geschichtslehrer."},
        {"role": "user", "content": "Aufgabe: Analysiere die Quelle.\n\nAntwort:\n" + answer},
        {"role": "assistant", "content": text},
    ]}, ensure_ascii=False)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(42)
    folder = Path(tempfile.mkdtemp(prefix="bench-annotate-"))
    try:
        data = folder / "train.jsonl"
        data.write_text("\n".join(_record(rng, i) for i in range(n)) + "\n", encoding="utf-8")
        size_mb = data.stat().st_size / 1e6

        start, cpu = time.perf_counter(), time.process_time()
        records = audit_path(data)
        library_s, library_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert len(records) == n

        pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
        command = [*pin, sys.executable, "-m", "examkit_app", "annotate", "check", str(data), "--json"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cli_s = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        assert proc.returncode == 1, proc.returncode  # the defective records are errors
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{datetime.now():%Y-%m-%d %H:%M}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print()
    print(f"load average before: {os.getloadavg()[0]:.1f} (other work on the machine inflates wall time)")
    print()
    print("| what | records | file | wall s | CPU s | records/s (wall) |")
    print("|---|---|---|---|---|---|")
    print(f"| `audit_path` (library, in-process) | {n} | {size_mb:.1f} MB | {library_s:.2f} | {library_cpu:.2f} | {n / library_s:,.0f} |")
    print(f"| `{' '.join(pin)} examkit annotate check train.jsonl --json` (one core, with start-up) | {n} | "
          f"{size_mb:.1f} MB | {cli_s:.2f} | {cli_cpu:.2f} | {n / cli_s:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
