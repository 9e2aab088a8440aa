"""The scan: exam folders in, one committed OCR reading per page out, failures recorded.

Shape of a batch (OCRmyPDF's, with SQLite as the ledger):

1. check that the engine and its programs are installed, before any page is touched;
2. find documents (:mod:`ocr.intake`), count each file's pages in the main process (a corrupt or
   encrypted file fails here, on its own) and decide per page by content hash whether it is
   already done;
3. run :func:`process_page` over the remaining pages in a process pool; a page's work is a
   function of a picklable (task, context) pair and writes only files (atomically);
4. the main process, the only writer of the database, commits each page (page row and reading
   in one transaction) as it arrives. A scan killed with ``kill -9`` loses at most the pages in
   flight; a rerun skips every committed page and ends with every page exactly once.

``force`` re-reads every page (a new reading each; revisions people wrote are never touched).
Failures are recorded per file or page with their reason, listed by ``ocr status`` and retried
by the next scan; :func:`scan` returns them and the command exits 3.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from examkit.console import note, progress, shown, warn
from examkit.errors import ExamkitError, UserInputError
from examkit.files import FileNames, sha256_bytes, sha256_file
from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import Workspace
from ocr import images, intake, programs, sheets
from ocr.engine import Engine
from ocr.page import PageContext, PageOutcome, PageTask, ScanOptions, process_page

STAGE = "ocr"


@dataclass
class ScanReport:
    documents: int = 0
    pages_read: int = 0
    pages_skipped: int = 0
    typed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    peak_rss_kb: int = 0
    seconds: float = 0.0


def scan(ws: Workspace, paths: list[Path], *, engine: Engine, options: ScanOptions, yes: bool = False) -> ScanReport:
    """Scan ``paths`` into the workspace; see the module docstring. Raises only for problems that
    stop the whole batch (missing programs, bad arguments, no consent to send pages to a cloud
    engine); per-file problems are in the report.

    An engine that sends pages elsewhere (``sends_pages``) is asked ``confirm_sending(pages, yes=)``
    once the pages are known and before any is read: it says where they go and at what cost, and
    refuses without consent (``yes`` or the config switch).
    """
    started = time.monotonic()
    found = intake.discover([Path(p) for p in paths])
    if options.hocr and not engine.writes_hocr:
        raise UserInputError(f"the {engine.name} engine cannot write hOCR", advice="Leave out --hocr.")
    engine.check()
    if any(f.suffix.lower() == ".pdf" for d in found.documents if not d.typed for f in d.files):
        programs.check_pdf()

    report = ScanReport(documents=len(found.documents))
    report.skipped_files = [(str(p), reason) for p, reason in found.skipped]
    for path, reason in found.skipped:
        note(f"skipped {shown(path)}: {reason}")
    tasks: list[PageTask] = []
    names = FileNames(sep="/")  # one scan, one set of --save-steps/--hocr folders: unique names
    for doc in found.documents:
        try:
            if doc.typed:
                report.typed += _store_typed(ws, doc, force=options.force)
            else:
                tasks.extend(_plan(ws, doc, options, report, names.name(doc.id)))
        except ExamkitError as exc:
            _fail(ws, report, str(doc.files[0].resolve()), exc.one_line(), doc.id)
        except OSError as exc:  # unreadable (permissions, vanished): this file fails, the batch goes on
            _fail(ws, report, str(doc.files[0].resolve()), f"{exc.filename or doc.files[0]}: cannot read ({exc.strerror})",
                  doc.id)
    report.sheets = sheets.record(ws, found)

    if engine.sends_pages and tasks:
        note(engine.confirm_sending(len(tasks), yes=yes).statement)
    ctx = PageContext(engine=engine, options=options, pages_dir=str(ws.pages_dir))
    for outcome in progress(_run(tasks, ctx, options.workers), total=len(tasks), description="OCR"):
        report.peak_rss_kb = max(report.peak_rss_kb, outcome.peak_rss_kb)
        task = outcome.task
        if outcome.error:
            _fail(ws, report, task.key, outcome.error, task.document_id)
            continue
        assert outcome.result is not None
        ws.documents.store_page_ocr(
            task.document_id, task.number, outcome.result, image=ws.relative(Path(outcome.image)),
            original=ws.relative(Path(outcome.original)), width=outcome.width, height=outcome.height,
            source_hash=task.source_hash,
        )
        ws.documents.resolve_failures(STAGE, task.key)
        ws.documents.resolve_failures(STAGE, task.path)
        for message in outcome.result.warnings:
            warn(f"{task.key}: {message}")
        report.pages_read += 1
    report.seconds = time.monotonic() - started
    return report


def _fail(ws: Workspace, report: ScanReport, key: str, reason: str, document_id: str | None) -> None:
    ws.documents.record_failure(STAGE, key, reason, document_id=document_id)
    # a reason from loading already names the file (as the user gave it); don't name it twice
    named = key in reason or Path(key.split("#")[0]).name in reason
    warn(reason if named else f"{key}: {reason}")
    report.failed.append(key)


def _plan(ws: Workspace, doc: intake.FoundDocument, options: ScanOptions, report: ScanReport,
          file_name: str) -> list[PageTask]:
    """The pages of ``doc`` that still need reading (all of them with ``force``)."""
    units: list[tuple[Path, int, str, bool]] = []
    digests = []
    for path in doc.files:
        count = images.page_count(path, dpi=options.dpi, max_pixels=options.max_pixels)
        digests.append(sha256_file(path))
        units.extend((path, index, digests[-1], count > 1) for index in range(count))
    doc_hash = digests[0] if len(digests) == 1 else sha256_bytes("\n".join(digests).encode())
    ws.documents.upsert(Document(id=doc.id, exam=doc.exam, kind=doc.kind, source=str(doc.source.resolve()),
                                 source_hash=doc_hash, typed=False))
    existing = {page.number: page for page in ws.documents.pages(doc.id)}
    tasks = []
    for number, (path, index, digest, multi) in enumerate(units, start=1):
        page_hash = f"{digest}:{index}"
        page = existing.get(number)
        if not options.force and page and page.source_hash == page_hash and ws.documents.latest_ocr(page.id):
            report.pages_skipped += 1
            continue
        resolved = str(path.resolve())
        key = f"{resolved} (page {index + 1})" if multi else resolved
        tasks.append(PageTask(document_id=doc.id, number=number, path=resolved, index=index,
                              source_hash=page_hash, key=key, file_name=file_name))
    return tasks


def _store_typed(ws: Workspace, doc: intake.FoundDocument, *, force: bool) -> int:
    """A typed answer: its text becomes the page's reading (engine ``typed``), no OCR."""
    path = doc.files[0]
    digest = sha256_file(path)
    existing = ws.documents.find(doc.id)
    pages = ws.documents.pages(doc.id) if existing else []
    if not force and existing and existing.source_hash == digest and pages and ws.documents.latest_ocr(pages[0].id):
        return 0
    text = intake.read_typed(path)
    ws.documents.upsert(Document(id=doc.id, exam=doc.exam, kind=doc.kind, source=str(path.resolve()),
                                 source_hash=digest, typed=True))
    lines = [Line(words=[Word(text=t, conf=100, bbox=(0, 0, 0, 0)) for t in row.split()], bbox=(0, 0, 0, 0))
             for row in text.splitlines() if row.strip()]
    ws.documents.store_page_ocr(doc.id, 1, PageOCR(engine="typed", lines=lines), source_hash=digest)
    ws.documents.resolve_failures(STAGE, str(path.resolve()))
    return 1


# -- running pages -------------------------------------------------------------------------------
def _init_worker() -> None:
    """In each worker: one thread for Tesseract and OpenCV (the pool is the parallelism), and
    Ctrl-C is the main process's business."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import cv2

    cv2.setNumThreads(1)


def _run(tasks: list[PageTask], ctx: PageContext, workers: int) -> Iterator[PageOutcome]:
    """Outcomes in completion order; in-process for one worker (or one page)."""
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) <= 1:
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
        return
    note(f"reading {len(tasks)} pages with {min(workers, len(tasks))} workers")
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=get_context("forkserver"),
                             initializer=_init_worker) as pool:
        futures: dict[Future, PageTask] = {pool.submit(process_page, task, ctx): task for task in tasks}
        try:
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # a worker died (out of memory, killed): the page failed
                    yield PageOutcome(task=futures[future], error=f"the worker reading it stopped ({type(exc).__name__}: {exc})")
        finally:
            for future in futures:
                future.cancel()

