"""Which scan is reading a page: a claim that ends with the process holding it.

Two ``examkit ocr scan`` processes on one workspace plan the same pages (each sees them unread),
so before a page is handed to a worker the scanning process claims it: an exclusive ``flock`` on a
small file named for the page under ``<workspace>/claims/``. The kernel drops the lock when its
process ends, however it ends (``kill -9`` included), so a claim never outlives its scan and needs
no heartbeat. A page claimed by another live scan is left to it; a page whose reading changed since
this scan planned it was read by another scan meanwhile and is not read again (:mod:`ocr.batch`).

Lock files are removed on release with the usual check against a file unlinked under a waiter:
after locking, the path must still name the locked file, else the claim is tried again.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

FOLDER = "claims"


class PageClaims:
    """The claims this process holds on pages of one workspace."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER
        self.folder.mkdir(exist_ok=True)
        self._held: dict[tuple[str, int], int] = {}
        self._sweep()

    def take(self, document_id: str, number: int) -> bool:
        """Claim page ``number`` of ``document_id``; False when another live process holds it."""
        path = self._path(document_id, number)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:  # released and removed between our open and our lock
                same = False
            if same:
                os.write(fd, f"{os.getpid()}\n".encode())
                self._held[(document_id, number)] = fd
                return True
            os.close(fd)

    def release(self, document_id: str, number: int) -> None:
        fd = self._held.pop((document_id, number), None)
        if fd is None:
            return
        try:
            self._path(document_id, number).unlink(missing_ok=True)  # still locked: nobody else's file
        finally:
            os.close(fd)

    def release_all(self) -> None:
        for document_id, number in list(self._held):
            self.release(document_id, number)

    def _sweep(self) -> None:
        """Remove the lock files that killed scans left (nobody holds them): locked while removed,
        so a process that opened one meanwhile sees it unlinked and tries again."""
        for path in self.folder.glob("*.lock"):
            try:
                fd = os.open(path, os.O_RDWR)
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink(missing_ok=True)
            except BlockingIOError:
                pass
            finally:
                os.close(fd)

    def _path(self, document_id: str, number: int) -> Path:
        digest = hashlib.sha256(f"{document_id}\n{number}".encode()).hexdigest()[:32]
        return self.folder / f"{digest}.lock"
