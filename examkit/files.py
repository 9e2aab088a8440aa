"""File helpers every stage needs: atomic writes and content hashes.

A write that is interrupted (kill -9, full disk) must never leave a half-written file where a
good one stood, so every file examkit writes goes to a temporary sibling first and is renamed
into place. Content hashes decide what is already done (OCR, uploads).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    tmp = _temporary_copy(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def create_exclusive(path: str | Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` only if it does not exist yet; never replaces a file.

    Safe when several processes race: exactly one wins, the file is complete when it appears.
    Returns whether this call created it.
    """
    path = Path(path)
    tmp = _temporary_copy(path, data)
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


def _temporary_copy(path: Path, data: bytes) -> Path:
    """``data`` written and synced to a hidden temporary file beside ``path`` (same file system,
    so a rename or link into place is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
