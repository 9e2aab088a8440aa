"""Worker processes that end with the scan that started them.

A process pool's workers do not notice their parent's death: after a ``kill -9`` of ``ocr scan``
they went on reading the pages already queued, then sat idle holding their memory, beside the
forkserver and the resource tracker. Each worker therefore ties its life to the scanning process
twice over: the kernel kills it when its own parent (the forkserver) dies (``PR_SET_PDEATHSIG``),
and a watchdog thread waits on the scanning process itself (a pidfd, so a reused pid cannot fool
it) and, when it ends, kills the worker's children (a running ``tesseract``) and the worker.
Linux only; elsewhere the watchdog polls the process id.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import threading
import time
from pathlib import Path

PR_SET_PDEATHSIG = 1
POLL_S = 1.0


def bind_to(scanner_pid: int) -> None:
    """Make this (worker) process end when the process ``scanner_pid`` ends."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    threading.Thread(target=_watch, args=(scanner_pid,), name="examkit-lifeline", daemon=True).start()


def _watch(pid: int) -> None:
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        _end()
    except (AttributeError, OSError):  # no pidfds here: poll
        while _alive(pid):
            time.sleep(POLL_S)
        _end()
    else:
        select.select([fd], [], [])  # readable once the process has ended
        _end()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's: only a reused pid can look like this
        return False
    return True


def _end() -> None:
    """Kill this process's children, then this process (no cleanup: the scan is gone)."""
    for listing in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        with contextlib.suppress(OSError, ValueError):
            for child in listing.read_text().split():
                os.kill(int(child), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
