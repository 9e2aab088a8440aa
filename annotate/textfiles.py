"""Reading the text files teachers have: UTF-8, or Windows-1252 from Word and Excel on Windows.

One reader for every text a person wrote (loose analyses, sheets, CSV and JSONL to audit), so a
file reads the same whichever command opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from examkit.errors import InputFileError
from examkit.files import decode_text, require_file


def read_text(path: Path, on_warning: Callable[[str], None] | None = None) -> str:
    """A text file as UTF-8, else as Windows-1252 (Word and Excel exports on Windows; said to
    ``on_warning``). A missing file, a folder or a FIFO is an :class:`InputFileError` naming it."""
    try:
        data = require_file(path).read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot read ({exc.strerror})") from exc
    text, fallback = decode_text(data)
    if fallback and on_warning:
        on_warning(f"{path}: not UTF-8, read as Windows-1252 (cp1252)")
    return text
