"""What the OCR commands show people: ``ocr status`` fits 80 columns, and long runs say their pace."""

from __future__ import annotations

import io
from types import SimpleNamespace

from rich.console import Console

from examkit import console
from ocr.cli import status_table


def test_status_keeps_every_header_whole_at_80_columns():
    documents = [{"id": f"LK-Geschichte-Weimarer-Republik-2024/schmitt-anna-maria-{n}", "kind": "student",
                  "typed": n == 0, "pages": 3, "ocr": 3, "reviewed": 1, "state": "nothing read"} for n in range(3)]
    screen = io.StringIO()
    Console(file=screen, width=80, color_system=None).print(status_table(documents))
    shown = screen.getvalue()
    assert all(len(line) <= 80 for line in shown.splitlines())
    for header in ("document", "kind", "pages", "ocr'd", "reviewed", "state"):
        assert f" {header} " in shown, header
    assert "nothing read" in shown and "student (typed)" in shown


def test_progress_off_a_terminal_says_the_rate_and_the_time_left(monkeypatch):
    lines: list[str] = []
    monkeypatch.setattr(console, "note", lines.append)
    ticks = iter(range(0, 1000, 4))  # the clock is read at the start and at each line: 2 items in 4 s
    monkeypatch.setattr(console, "time", SimpleNamespace(monotonic=lambda: float(next(ticks))))
    assert list(console.progress(range(20), description="OCR", unit="pages")) == list(range(20))
    assert lines[0] == "OCR: 2/20 (0.50 pages/s, about 36 s left)"
    assert lines[-1].startswith("OCR: 20/20 (") and "left" not in lines[-1]
