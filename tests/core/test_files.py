"""Atomic writes leave no temporary file behind, and the ones a killed writer left are removed
while a live writer's are not."""

from __future__ import annotations

import os
import time
from pathlib import Path

from examkit.files import _temporary_copy, atomic_write_bytes, create_exclusive, remove_stray_temporaries


def _age(path: Path, seconds: float) -> None:
    os.utime(path, (time.time() - seconds, time.time() - seconds))


def test_writes_leave_no_temporary_files(tmp_path: Path):
    atomic_write_bytes(tmp_path / "a" / "page.jpg", b"one")
    atomic_write_bytes(tmp_path / "a" / "page.jpg", b"two")
    assert create_exclusive(tmp_path / "a" / "page.jpg", b"three") is False
    assert (tmp_path / "a" / "page.jpg").read_bytes() == b"two"
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["page.jpg"]


def test_only_temporary_files_nobody_writes_are_stray(tmp_path: Path):
    left = tmp_path / "doc" / ".p0001.jpg.x1y2.tmp"  # its writer was killed a minute ago
    left.parent.mkdir()
    left.write_bytes(b"half")
    _age(left, 60)
    fresh = tmp_path / "doc" / ".p0002.jpg.a1b2.tmp"  # just created: its writer may not have locked it yet
    fresh.write_bytes(b"")
    other = tmp_path / "doc" / "notes.tmp"  # not one of ours (not hidden)
    other.write_bytes(b"keep")
    _age(other, 60)
    with _temporary_copy(tmp_path / "doc" / "p0003.jpg", b"being written") as live:
        _age(live, 60)  # a slow writer: old, but locked
        removed = remove_stray_temporaries(tmp_path)
        assert live.exists()
    assert removed == [left]
    assert not left.exists() and fresh.exists() and other.exists() and not live.exists()
