"""Does kraken (eScriptorium's engine) read examkit's PAGE XML in its default baseline mode?

kraken is heavy (torch) and not an examkit dependency, so this runs in a venv of its own:

    python3 -m venv /tmp/kraken-venv && /tmp/kraken-venv/bin/pip install kraken
    examkit export ocr-gt gt/ && /tmp/kraken-venv/bin/python benchmarks/kraken_xmlpage.py gt/pages

It parses every PAGE file with ``kraken.lib.xml.XMLPage`` and counts the lines that come out with
a baseline and a text, and the segmentation type kraken infers (``baselines`` is its default mode).
"""

from __future__ import annotations

import sys
from pathlib import Path

from kraken.lib.xml import XMLPage


def main() -> int:
    files = sorted(Path(sys.argv[1]).glob("*.xml"))
    read = total = 0
    kinds = set()
    for path in files:
        page = XMLPage(path)
        lines = list(page.lines.values()) if isinstance(page.lines, dict) else list(page.lines)
        total += len(lines)
        read += sum(1 for line in lines if getattr(line, "baseline", None) and line.text)
        kinds.add(page.to_container().type)
    print(f"kraken XMLPage: {read} of {total} lines with a baseline and a text in {len(files)} files; "
          f"segmentation type {', '.join(sorted(kinds))}")
    return 0 if files and read == total else 1


if __name__ == "__main__":
    sys.exit(main())
