"""Walking the folders given to ``ocr scan``: links followed once by their real path, every
skipped thing named on one line (control characters escaped), names with control characters
never becoming document ids. Typed answers only, so no page is read by an engine."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX links and FIFOs")


@pytest.fixture
def tangled(tmp_path: Path) -> Path:
    exams = tmp_path / "exams"
    lk = exams / "LK"
    lk.mkdir(parents=True)
    (lk / "anna.txt").write_text("Antwort von Anna\n", "utf-8")
    (lk / "kreis").symlink_to(exams, target_is_directory=True)  # a folder link loop
    (lk / "eins.txt").symlink_to(lk / "zwei.txt")  # a file link loop
    (lk / "zwei.txt").symlink_to(lk / "eins.txt")
    (lk / "weg.txt").symlink_to(lk / "gibt-es-nicht.txt")  # a broken link
    (lk / "auch-anna.txt").symlink_to(lk / "anna.txt")  # a second name for a file already read
    os.mkfifo(lk / "rohr.txt")
    (lk / "zeile\nzwei.txt").write_text("Antwort\n", "utf-8")  # a line break in the name
    (exams / "aktuell").symlink_to(lk, target_is_directory=True)  # sorts before LK: still read as LK
    return exams


def test_links_are_followed_once_and_every_skip_is_named_on_one_line(cli, ws_path: Path, tangled: Path) -> None:
    result = cli("ocr", "scan", tangled, "-w", ws_path, "--workers", "1")
    assert result.exit_code == 0, result.output
    lk = tangled / "LK"
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    expected = {
        f"skipped {lk / 'kreis'}: the same folder as {tangled}, which is read (a link is followed once)",
        f"skipped {lk / 'eins.txt'}: a link loop, not a file or folder",
        f"skipped {lk / 'zwei.txt'}: a link loop, not a file or folder",
        f"skipped {lk / 'weg.txt'}: a broken link (its target is missing), not a file or folder",
        f"skipped {lk / 'auch-anna.txt'}: the same file as {lk / 'anna.txt'}, which is read (a link is followed once)",
        f"skipped {lk / 'rohr.txt'}: a FIFO (named pipe), not a file or folder",
        f"skipped {lk}/zeile\\nzwei.txt: its name contains a control character (such as a line break); "
        "rename it to read it",
        f"skipped {tangled / 'aktuell'}: the same folder as {lk}, which is read (a link is followed once)",
    }
    assert set(skipped) == expected, "\n".join(skipped)
    assert "1 documents:" in result.stderr and "8 files skipped" in result.stderr

    status = json.loads(cli("ocr", "status", "--json", "-w", ws_path).stdout)
    assert [d["id"] for d in status["documents"]] == ["LK/anna"]
    assert {Path(s["path"]).name for s in status["skipped"]} == {
        "kreis", "eins.txt", "zwei.txt", "weg.txt", "auch-anna.txt", "rohr.txt", "zeile\nzwei.txt", "aktuell"}
    shown = cli("ocr", "status", "-w", ws_path)
    assert f"skipped: {lk}/zeile\\nzwei.txt: its name contains" in shown.stderr
    assert not [line for line in shown.stderr.splitlines() if line.startswith("zwei.txt")]  # never split


def test_a_fifo_or_a_link_loop_given_directly_is_named(cli, ws_path: Path, tangled: Path) -> None:
    for name, what in (("rohr.txt", "a FIFO (named pipe)"), ("eins.txt", "a link loop")):
        result = cli("ocr", "scan", tangled / "LK" / name, "-w", ws_path)
        assert result.exit_code == 1, result.output
        assert f"{tangled / 'LK' / name}: {what}, not a file or folder" in result.stderr
        assert "Not a directory" not in result.stderr
