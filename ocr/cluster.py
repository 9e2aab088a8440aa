"""Reading pages on a Dask cluster (``ocr scan --cluster tcp://HOST:8786``).

The page work is the same picklable function the local pool runs (:func:`ocr.page.process_page`);
Dask's scheduler places it on whichever worker is free and runs it again elsewhere when a worker
dies mid-page (its ``allowed-failures``). Workers share nothing with the scanning process: each page
travels with its file's bytes (a multi-page PDF once per page) and comes back as the reading plus
JPEG bytes, which the scanning process alone writes into the workspace. Each future is collected
once, so a page read twice after a worker's death is still stored once. The client keeps no log
of the messages it sent (:data:`NO_MESSAGE_LOG`), so nothing of a page stays in the scanning
process once its outcome is written.

Workers must have the same examkit installed (with Tesseract and poppler); they are checked when
the scan connects, before any page is claimed. Imported only with ``--cluster`` (``pip install
"examkit[cluster]"``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dask
import distributed

from examkit.console import note
from examkit.errors import ExamkitError, InputFileError, UserInputError
from ocr import programs
from ocr.page import PageContext, PageOutcome, PageTask, process_page
from ocr.runners import IN_FLIGHT_PER_WORKER, bounded, single_threaded

#: A scheduler's address as ``dask scheduler`` prints it (the scheme may be left out: tcp).
ADDRESS = re.compile(r"((tcp|tls)://)?(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d{1,5}")
#: How long to wait for the scheduler to answer before giving up, seconds.
CONNECT_TIMEOUT_S = 10
#: Dask's client keeps its last 1,000 messages to the scheduler for debugging
#: (``distributed.admin.low-level-log-length``); each carries a page's bytes, so the scanning
#: process grew by a page file per page queued (about 260 KiB a page, measured in BENCHMARKS.md).
#: None kept: its memory stays flat however many pages are queued.
NO_MESSAGE_LOG = {"distributed.admin.low-level-log-length": 0}


class DaskRunner:
    """A connected Dask client; see the module docstring."""

    def __init__(self, client: distributed.Client) -> None:
        self.client = client

    @classmethod
    @contextmanager
    def connect(cls, address: str, ctx: PageContext) -> Iterator[DaskRunner]:
        """Connect to the scheduler at ``address`` and check its workers; one clear line when it
        cannot be reached or a worker cannot read pages."""
        if not ADDRESS.fullmatch(address):
            raise UserInputError(f"--cluster {address!r} is not a Dask scheduler address",
                                 advice="Give it as tcp://HOST:PORT, e.g. tcp://192.168.1.10:8786.")
        try:
            with dask.config.set(NO_MESSAGE_LOG):
                client = distributed.Client(address, timeout=f"{CONNECT_TIMEOUT_S}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UserInputError(f"cannot reach the Dask scheduler at {address} ({exc})",
                                 advice="Start one with `dask scheduler` and workers with `dask worker "
                                        f"{address} --nthreads 1`, or correct --cluster / ocr.cluster.") from exc
        with client:
            client.register_plugin(SingleThreaded(), name="examkit-single-threaded")
            answers = client.run(check_worker, ctx, on_error="return")  # an exception: examkit is missing there
            problems = sorted((worker, f"{type(answer).__name__}: {answer}" if isinstance(answer, BaseException) else answer)
                              for worker, answer in answers.items() if answer)
            if problems:
                worker, problem = problems[0]
                raise ExamkitError(f"Dask worker {worker} cannot read pages: {problem}",
                                   advice="Install the same examkit, Tesseract and poppler on every worker.")
            nthreads = client.nthreads()
            note(f"reading pages on the Dask cluster at {address} ({len(nthreads)} workers, "
                 f"{sum(nthreads.values())} threads)" if nthreads else
                 f"the Dask cluster at {address} has no workers yet: pages wait for one")
            yield cls(client)

    def outcomes(self, tasks: Iterable[PageTask], ctx: PageContext) -> Iterator[PageOutcome]:
        client = self.client

        def submit(task: PageTask) -> distributed.Future:
            try:
                source = Path(task.path).read_bytes()
            except OSError as exc:
                raise InputFileError(task.path, f"cannot read ({exc.strerror})") from exc
            return client.submit(process_page, task, ctx, source, key=f"examkit-page-{uuid.uuid4().hex}", pure=False)

        def first_done(pending: list[distributed.Future]) -> set[distributed.Future]:
            with client.as_current():
                return distributed.wait(pending, return_when="FIRST_COMPLETED").done

        return bounded(tasks, submit, first_done, lambda: sum(client.nthreads().values()) * IN_FLIGHT_PER_WORKER)


def check_worker(ctx: PageContext) -> str | None:
    """Run on each worker: why it cannot read pages, or None."""
    try:
        ctx.engine.check()
        programs.check_pdf()
    except ExamkitError as exc:
        return exc.one_line()
    return None


class SingleThreaded(distributed.WorkerPlugin):
    """One thread per page for Tesseract and OpenCV on every worker, also on workers that join
    later: the worker's threads are the parallelism."""

    def setup(self, worker: distributed.Worker) -> None:
        single_threaded()
