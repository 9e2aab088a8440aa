"""Validate + count tokens for a generated 10,000-record chat JSONL, and write one (targets: < 10 s each).

The records are like real training data: the seed's system prompt, a task statement and a
~2,000-character student answer as the user message, a rendered Fehleranalyse quoting that answer
as the assistant message. Timed: writing the file as an export does (validation of the examples
first, then the atomic JSONL write), validating the file (format checks, the Fehleranalyse audit
of every answer, stop markers, duplicates, exact o200k_base token counts, cost), and the same
through the CLI with start-up. Run: ``.venv/bin/python benchmarks/bench_export.py [N]``.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generated import answer_and_analysis  # noqa: E402
from examkit.config import DEFAULT_SYSTEM_PROMPT, Config  # noqa: E402
from export.formats import chat_example, write_jsonl  # noqa: E402
from export.pipeline import validation_options  # noqa: E402
from export.validate import validate_examples, validate_file  # noqa: E402


def _example(rng: random.Random, i: int) -> dict:
    answer, text = answer_and_analysis(rng)
    user = f"Aufgabenstellung:\nAnalysiere die Quelle ({i}).\n\nAntworten der Schülerin / des Schülers:\n{answer}"
    return chat_example(DEFAULT_SYSTEM_PROMPT, user, text)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(42)
    examples = [_example(rng, i) for i in range(n)]
    options = validation_options(Config())
    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        data = folder / "train.jsonl"
        start = time.perf_counter()
        report = validate_examples(examples, str(data), options)
        write_jsonl(data, examples)
        write_s = time.perf_counter() - start
        assert not report.has_errors, report.errors()[:3]
        size_mb = data.stat().st_size / 1e6

        start = time.perf_counter()
        report = validate_file(data, options)
        validate_s = time.perf_counter() - start
        assert report.n_examples == n and not report.has_errors

        command = [sys.executable, "-m", "examkit_app", "export", "validate", str(data), "--json"]
        start = time.perf_counter()
        proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "EXAMKIT_WORKSPACE": str(folder / "ws")})
        cli_s = time.perf_counter() - start
        assert proc.returncode == 0, proc.returncode
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    s = report.summary()
    print(f"{datetime.now():%Y-%m-%d %H:%M}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print()
    print(f"{n} records, {size_mb:.1f} MB, {s['total_tokens']:,} tokens ({s['encoding']}, exact: {s['exact_tokens']}), "
          f"cost estimate ${s['cost_usd']:.2f} for {s['model']} × {s['epochs']} epochs")
    print()
    print("| what | records | seconds | records/s |")
    print("|---|---|---|---|")
    print(f"| write: `validate_examples` + `write_jsonl` (as every export does) | {n} | {write_s:.2f} | {n / write_s:,.0f} |")
    print(f"| `validate_file` (format, audit, tokens, cost; in-process) | {n} | {validate_s:.2f} | {n / validate_s:,.0f} |")
    print(f"| `examkit export validate train.jsonl --json` (with start-up) | {n} | {cli_s:.2f} | {n / cli_s:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
