"""Run every benchmark (``make bench``) and print their Markdown tables.

Each ``bench_*.py`` is a script that measures one area side by side in one run and prints a table
with the date, the machine and the command. The figures are copied into BENCHMARKS.md by hand, so
a number there always comes from a run someone made.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    only = sys.argv[1:]
    scripts = sorted(p for p in HERE.glob("bench_*.py") if not only or any(o in p.name for o in only))
    print(f"# examkit benchmarks, {datetime.now():%Y-%m-%d %H:%M}, {platform.platform()}, {os.cpu_count()} CPUs\n")
    failed = []
    for script in scripts:
        print(f"## {script.stem}\n", flush=True)
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        if proc.returncode != 0:
            failed.append(script.name)
        print(flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
