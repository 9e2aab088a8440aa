"""Where pages are read: worker processes on this machine, or a Dask cluster (:mod:`ocr.cluster`).

A runner turns the pages of a scan into outcomes, in completion order, while the scanning process
alone writes the workspace (:mod:`ocr.batch`). Both runners keep a bounded number of pages in
flight and take the next page only when one comes back, so a folder of 10⁵ pages never holds more
than a few pages' images in memory, and a page is claimed (:mod:`ocr.claims`) only just before it
is read. Dask is imported only when a cluster is asked for.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager
from multiprocessing import get_context
from typing import Any, Protocol

from examkit.console import note
from examkit.errors import ExamkitError, MissingDependencyError
from ocr import lifeline
from ocr.page import PageContext, PageOutcome, PageTask, ScanOptions, process_page

#: Pages in flight per worker: one being read, one waiting, so no worker idles between pages.
IN_FLIGHT_PER_WORKER = 2


class Runner(Protocol):
    """Reads pages somewhere; see the module docstring."""

    def outcomes(self, tasks: Iterable[PageTask], ctx: PageContext) -> Iterator[PageOutcome]:
        """The outcome of every task, in completion order; tasks are taken from ``tasks`` lazily."""


def open_runner(options: ScanOptions, pages: int, ctx: PageContext) -> AbstractContextManager[Runner]:
    """The runner ``options`` ask for, ready to read ``pages`` pages (a cluster is connected to
    and its workers checked here, before any page is claimed)."""
    if options.cluster:
        try:
            from ocr.cluster import DaskRunner
        except ModuleNotFoundError as exc:
            if exc.name not in ("distributed", "dask"):
                raise
            raise MissingDependencyError("Dask distributed (for --cluster)", install='pip install "examkit[cluster]"') from exc
        return DaskRunner.connect(options.cluster, ctx)
    return _local(options.workers, pages)


@contextmanager
def _local(workers: int, pages: int) -> Iterator[Runner]:
    workers = min(workers or os.cpu_count() or 1, max(pages, 1))
    if workers == 1:
        yield InProcess()
        return
    note(f"reading {pages} pages with {workers} workers")
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("forkserver"),
                             initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        yield LocalPool(pool, workers)


class InProcess:
    """One page after the other in the scanning process (one worker, or one page)."""

    def outcomes(self, tasks: Iterable[PageTask], ctx: PageContext) -> Iterator[PageOutcome]:
        previous = os.environ.get("OMP_THREAD_LIMIT")
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            for task in tasks:
                yield process_page(task, ctx)
        finally:
            if previous is None:
                os.environ.pop("OMP_THREAD_LIMIT", None)
            else:
                os.environ["OMP_THREAD_LIMIT"] = previous


class LocalPool:
    """A forkserver process pool on this machine; its workers end with the scan (:mod:`ocr.lifeline`)."""

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self.pool = pool
        self.workers = workers

    def outcomes(self, tasks: Iterable[PageTask], ctx: PageContext) -> Iterator[PageOutcome]:
        def submit(task: PageTask) -> Future:
            return self.pool.submit(process_page, task, ctx)

        return bounded(tasks, submit, lambda pending: wait(pending, return_when=FIRST_COMPLETED).done,
                       lambda: self.workers * IN_FLIGHT_PER_WORKER)


def bounded(tasks: Iterable[PageTask], submit: Callable[[PageTask], Any],
            first_done: Callable[[list[Any]], Iterable[Any]], limit: Callable[[], int]) -> Iterator[PageOutcome]:
    """Run ``tasks`` with at most ``limit()`` in flight; outcomes in completion order.

    ``submit`` returns a future (concurrent.futures or Dask), ``first_done`` waits for at least
    one of the pending futures. A page that cannot be handed over, or whose future raises (its
    worker died), fails alone. The next tasks are submitted before finished outcomes are handed
    on, so workers keep reading while the scanning process writes.
    """
    source = iter(tasks)
    pending: dict[Any, PageTask] = {}
    finished: list[PageOutcome] = []

    def refill() -> None:
        while len(pending) < max(1, limit()):
            task = next(source, None)
            if task is None:
                return
            try:
                pending[submit(task)] = task
            except ExamkitError as exc:
                finished.append(PageOutcome(task=task, error=exc.one_line()))
            except Exception as exc:  # a broken pool (an earlier worker died), a lost cluster
                finished.append(_stopped(task, exc))

    refill()
    try:
        while pending or finished:
            for future in first_done(list(pending)) if pending else ():
                task = pending.pop(future)
                try:
                    finished.append(future.result())
                except Exception as exc:  # the worker reading it died (out of memory, killed)
                    finished.append(_stopped(task, exc))
            refill()
            done, finished[:] = finished[:], []
            yield from done
    finally:
        for future in pending:
            future.cancel()


def _stopped(task: PageTask, exc: Exception) -> PageOutcome:
    return PageOutcome(task=task, error=f"the worker reading it stopped ({type(exc).__name__}: {exc})")


def _init_worker(scanner_pid: int) -> None:
    """In each local worker: one thread for Tesseract and OpenCV (the pool is the parallelism),
    Ctrl-C is the scanning process's business, and the worker ends with the scan."""
    lifeline.bind_to(scanner_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    single_threaded()


def single_threaded() -> None:
    """One thread per page for Tesseract (OpenMP) and OpenCV: parallelism is one page per worker."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)
