"""A scan in a process of its own, for the tests that kill one or run two side by side.

``python -m tests.ocr.scan_process WORKSPACE FOLDER --workers N --delay S`` scans FOLDER with the
fake engine (``S`` seconds per page) through :func:`ocr.batch.scan`, the code path of
``examkit ocr scan``, and prints the report as JSON.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from examkit.workspace import Workspace
from ocr.batch import scan
from ocr.page import ScanOptions
from tests.ocr.conftest import FakeEngine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--cluster", default=None)
    args = parser.parse_args()
    with Workspace.open(args.workspace) as ws:
        report = scan(ws, [args.folder], engine=FakeEngine(args.delay),
                      options=ScanOptions(workers=args.workers, cluster=args.cluster))
    print(json.dumps(asdict(report)))


if __name__ == "__main__":
    main()
