"""File helpers every stage needs: atomic writes, content hashes, file names for document ids.

A write that is interrupted (kill -9, full disk) must never leave a half-written file where a
good one stood, so every file examkit writes goes to a temporary sibling first and is renamed
into place. The temporary file stays locked while its writer lives, so one left behind by a killed
writer can be told from one being written and removed by the next run. Content hashes decide what
is already done (OCR, uploads). Document ids become file names through :class:`FileNames` only,
one rule everywhere.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from examkit.errors import InputFileError

TEMP_SUFFIX = ".tmp"
#: Age after which an unlocked temporary file counts as left behind, seconds.
STRAY_AFTER_S = 10.0


def path_kind(path: Path) -> str:
    """``file`` or ``folder`` (links followed), else what it is, in words for a message: a FIFO,
    a socket, a device, a broken link, a link loop, a missing or unreadable path."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return "a link loop" if exc.errno == errno.ELOOP else "a broken link (its target is missing)"
        return "no such file" if exc.errno == errno.ENOENT else f"unreadable ({exc.strerror})"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def require_file(path: str | Path) -> Path:
    """``path`` if it is a regular file (links followed), else :class:`InputFileError` saying what
    it is. Checked before opening: opening a FIFO waits for a writer for ever, a device never ends."""
    path = Path(path)
    kind = path_kind(path)
    if kind == "file":
        return path
    if kind == "no such file":
        raise InputFileError(path, kind)
    raise InputFileError(path, f"{'is a folder' if kind == 'folder' else kind}, not a file")


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    path = Path(path)
    with _temporary_copy(path, data) as tmp:
        os.replace(tmp, path)
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
    with _temporary_copy(path, data) as tmp:
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False


def remove_stray_temporaries(folder: str | Path) -> list[Path]:
    """Delete the temporary files under ``folder`` that a killed writer left behind; returns them.

    A temporary file is stray when no process holds its lock (see :func:`_temporary_copy`) and it
    has not been touched for :data:`STRAY_AFTER_S` (which covers the instant between its creation
    and its locking). A live writer's file is never taken.
    """
    removed = []
    cutoff = time.time() - STRAY_AFTER_S
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if not (name.startswith(".") and name.endswith(TEMP_SUFFIX)):
                continue
            candidate = Path(root) / name
            try:
                fd = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:  # gone meanwhile (its writer finished) or a link: not ours to judge
                continue
            try:
                if os.fstat(fd).st_mtime > cutoff:
                    continue
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                candidate.unlink(missing_ok=True)
                removed.append(candidate)
            except BlockingIOError:
                continue
            finally:
                os.close(fd)
    return removed


@contextmanager
def _temporary_copy(path: Path, data: bytes) -> Iterator[Path]:
    """``data`` written and synced to a hidden temporary file beside ``path`` (same file system,
    so a rename or link into place is atomic); the file is gone when the block ends.

    The writer holds an exclusive lock on the file while it exists, so a temporary file that
    nobody holds locked belongs to a writer that was killed (:func:`remove_stray_temporaries`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with os.fdopen(os.dup(fd), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        yield Path(tmp)
    finally:
        Path(tmp).unlink(missing_ok=True)
        os.close(fd)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's content, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# -- file names from document ids ---------------------------------------------------------------
#: German letters spelled out as German writes them without umlauts (``Müller`` → ``Mueller``).
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def transliterate(text: str) -> str:
    """``text`` as a portable file-name part: German letters spelled out, other accents dropped
    (``é`` → ``e``), anything else unsafe as ``_``. Never empty, never ``.``/``..``."""
    ascii_text = unicodedata.normalize("NFKD", unicodedata.normalize("NFC", text).translate(_GERMAN))
    ascii_text = "".join(c for c in ascii_text if not unicodedata.combining(c))
    name = _UNSAFE.sub("_", ascii_text).strip("_")
    return name if name.strip(".") else "doc"


class FileNames:
    """One run's file names for document ids: transliterated, unique, and never written twice.

    Two ids that spell the same (``müller-anna`` and ``mueller-anna``) get distinct names (the
    second one ``-2``); the same id always gets the same name. Every place where a document id
    becomes a file name (exports, ``ocr export-text``, ``--save-steps``, hOCR, ``review export``)
    uses one instance per run, so no student's file can silently replace another's.
    """

    def __init__(self, *, sep: str = "_") -> None:
        self._sep = sep
        self._names: dict[str, str] = {}
        self._taken: set[str] = set()
        self._written: set[Path] = set()
        #: claimed paths that held a file already (an earlier run's): a command says so
        self.replaced: list[Path] = []

    def name(self, document_id: str) -> str:
        """The file name (without suffix) of a document id; ``/`` in ids joins parts with ``sep``
        (``sep="/"`` keeps them as folders)."""
        if document_id not in self._names:
            base = self._sep.join(transliterate(part) for part in document_id.split("/") if part) or "doc"
            name, n = base, 1
            while name.lower() in self._taken:  # case-insensitive file systems (macOS, Windows)
                n += 1
                name = f"{base}-{n}"
            self._taken.add(name.lower())
            self._names[document_id] = name
        return self._names[document_id]

    def claim(self, path: Path) -> Path:
        """``path``, which this run is about to write; a second claim of one path is a bug that
        would overwrite a file of this run, so it raises instead. A file an earlier run left there
        is listed in :attr:`replaced`."""
        key = Path(os.path.abspath(path))
        if key in self._written:
            raise FileExistsError(f"{path}: already written in this run; refusing to overwrite it")
        self._written.add(key)
        if os.path.lexists(key):
            self.replaced.append(Path(path))
        return path


def decode_text(data: bytes) -> tuple[str, bool]:
    """The one rule for teachers' text files: UTF-8 (a BOM dropped), else Windows-1252, which Word
    and Excel write on German Windows. Returns the text and whether the fallback was needed, so
    the caller can say so (umlauts are then worth a look)."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), True
