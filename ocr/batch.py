"""The scan: exam folders in, one committed OCR reading per page out, failures recorded.

Shape of a batch (OCRmyPDF's, with SQLite as the ledger):

1. check that the engine and its programs are installed, before any page is touched;
2. find documents (:mod:`ocr.intake`), count each file's pages in the main process (a corrupt or
   encrypted file fails here, on its own) and decide per page by content hash whether it is
   already done;
3. run :func:`process_page` over the remaining pages with a runner (:mod:`ocr.runners`): a
   process pool here or a Dask cluster (``--cluster``); a page's work is a function of a
   picklable (task, context) pair that returns the reading and the page images as bytes;
4. the main process, the only writer of the workspace, claims each page just before it is read
   (:mod:`ocr.claims`: another scan of the same workspace leaves it alone), writes its images
   (atomically) and commits it (page row and reading in one transaction) as it arrives. A scan
   killed with ``kill -9`` loses at most the pages in flight, and its workers end with it
   (:mod:`ocr.lifeline`); a rerun removes the temporary files it left, skips every committed
   page and ends with every page exactly once.

``force`` re-reads every page (a new reading each; revisions people wrote are never touched).
Failures are recorded per file or page with their reason, listed by ``ocr status`` and retried
by the next scan; :func:`scan` returns them and the command exits 3.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from examkit.console import note, progress, shown, warn
from examkit.errors import ExamkitError, UserInputError
from examkit.files import FileNames, atomic_write_bytes, remove_stray_temporaries, sha256_bytes, sha256_file
from examkit.models import TYPED_ENGINE, Document, Line, PageOCR, Word
from examkit.workspace import Workspace
from ocr import images, intake, programs, sheets
from ocr.claims import PageClaims
from ocr.engine import Engine, no_hocr
from ocr.page import PageContext, PageOutcome, PageTask, ScanOptions, write_hocr
from ocr.runners import open_runner

STAGE = "ocr"


@dataclass
class ScanReport:
    documents: int = 0
    pages_read: int = 0
    pages_skipped: int = 0
    pages_elsewhere: int = 0  #: read by another scan of the same workspace meanwhile
    typed: int = 0
    failed: list[str] = field(default_factory=list)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    sheets: list[dict] = field(default_factory=list)
    peak_rss_kb: int = 0
    seconds: float = 0.0


def scan(ws: Workspace, paths: list[Path], *, engine: Engine, options: ScanOptions, yes: bool = False,
         attach_sheet: sheets.AttachSheet | None = None) -> ScanReport:
    """Scan ``paths`` into the workspace; see the module docstring. Raises only for problems that
    stop the whole batch (missing programs, bad arguments, no consent to send pages to a cloud
    engine); per-file problems are in the report.

    An engine that sends pages elsewhere (``sends_pages``) is asked ``confirm_sending(pages, yes=)``
    once the pages are known and before any is read: it says where they go and at what cost, and
    refuses without consent (``yes`` or the config switch). Teachers' analyses found beside the
    scans go to ``attach_sheet`` (see :mod:`ocr.sheets`).
    """
    started = time.monotonic()
    found = intake.discover([Path(p) for p in paths])
    if options.hocr and not engine.writes_hocr:
        raise no_hocr(engine.name)
    if options.cluster and options.save_steps:
        raise UserInputError("--save-steps writes on the machine that reads the page, not with --cluster",
                             advice="Leave out --save-steps, or scan those pages without --cluster.")
    engine.check()
    if any(f.suffix.lower() == ".pdf" for d in found.documents if not d.typed for f in d.files):
        programs.check_pdf()

    report = ScanReport(documents=len(found.documents))
    for stray in remove_stray_temporaries(ws.pages_dir):
        note(f"removed {stray}, left by a scan that was stopped")
    report.skipped_files = [(str(p), reason) for p, reason in found.skipped]
    for path, reason in found.skipped:
        note(f"skipped {shown(path)}: {reason}")
    tasks: list[PageTask] = []
    seen: dict[tuple[str, int], int | None] = {}  # each planned page's reading when planned
    claims = PageClaims(ws.root)
    names = FileNames(sep="/")  # one scan, one set of --save-steps/--hocr folders: unique names
    for doc in found.documents:
        try:
            if doc.typed:
                report.typed += _store_typed(ws, doc, claims, report, force=options.force)
            else:
                tasks.extend(_plan(ws, doc, options, report, names.name(doc.id), seen))
        except ExamkitError as exc:
            _fail(ws, report, str(doc.files[0].resolve()), exc.one_line(), doc.id)
        except OSError as exc:  # unreadable (permissions, vanished): this file fails, the batch goes on
            _fail(ws, report, str(doc.files[0].resolve()), f"{exc.filename or doc.files[0]}: cannot read ({exc.strerror})",
                  doc.id)
    report.sheets = sheets.record(ws, found, attach_sheet)

    if engine.sends_pages and tasks:
        note(engine.confirm_sending(len(tasks), yes=yes).statement)
    ctx = PageContext(engine=engine, options=options)
    try:
        with open_runner(options, len(tasks), ctx) as runner:
            outcomes = runner.outcomes(_claimed(ws, tasks, claims, seen, report), ctx)
            for outcome in progress(outcomes, total=len(tasks), description="OCR", unit="pages"):
                try:
                    _commit(ws, outcome, report, options.hocr)
                finally:
                    claims.release(outcome.task.document_id, outcome.task.number)
    finally:
        claims.release_all()
    if report.pages_elsewhere:
        note(f"{report.pages_elsewhere} pages were read by another scan of this workspace meanwhile")
    report.seconds = time.monotonic() - started
    return report


def _claimed(ws: Workspace, tasks: list[PageTask], claims: PageClaims, seen: dict[tuple[str, int], int | None],
             report: ScanReport) -> Iterator[PageTask]:
    """The tasks this scan may read, each claimed as it is handed to the runner.

    A page claimed by another live scan is left to it; one whose reading changed since this scan
    planned it was read by another scan that finished it meanwhile (with ``force`` too).
    """
    for task in tasks:
        page = (task.document_id, task.number)
        if not claims.take(*page):
            report.pages_elsewhere += 1
        elif ws.documents.reading_id(*page) != seen[page]:
            claims.release(*page)
            report.pages_elsewhere += 1
        else:
            yield task


def _commit(ws: Workspace, outcome: PageOutcome, report: ScanReport, hocr: Path | None) -> None:
    """Store one page's outcome: its images (and hOCR) atomically, then page row and reading together."""
    report.peak_rss_kb = max(report.peak_rss_kb, outcome.peak_rss_kb)
    task = outcome.task
    if outcome.error:
        _fail(ws, report, task.key, outcome.error, task.document_id)
        return
    assert outcome.result is not None
    stem = ws.pages_dir / task.document_id / f"p{task.number:04d}"
    original = atomic_write_bytes(stem.with_name(stem.name + ".orig.jpg"), outcome.original)
    image = atomic_write_bytes(stem.with_suffix(".jpg"), outcome.image)
    student = stem.with_name(stem.name + ".student.jpg")  # the review shows it when the red ink is hidden
    if outcome.student:
        atomic_write_bytes(student, outcome.student)
    else:
        student.unlink(missing_ok=True)
    if hocr is not None and outcome.hocr is not None and outcome.hocr_image is not None:
        write_hocr(hocr / task.file_name / f"p{task.number:04d}.hocr", outcome.hocr, outcome.hocr_image)
    ws.documents.store_page_ocr(
        task.document_id, task.number, outcome.result, image=ws.relative(image), original=ws.relative(original),
        width=outcome.width, height=outcome.height, source_hash=task.source_hash,
    )
    ws.documents.resolve_failures(STAGE, task.key)
    ws.documents.resolve_failures(STAGE, task.path)
    for message in outcome.result.warnings:
        warn(f"{task.key}: {message}")
    report.pages_read += 1


def _fail(ws: Workspace, report: ScanReport, key: str, reason: str, document_id: str | None) -> None:
    ws.documents.record_failure(STAGE, key, reason, document_id=document_id)
    # a reason from loading already names the file (as the user gave it); don't name it twice
    named = key in reason or Path(key.split("#")[0]).name in reason
    warn(reason if named else f"{key}: {reason}")
    report.failed.append(key)


def _plan(ws: Workspace, doc: intake.FoundDocument, options: ScanOptions, report: ScanReport,
          file_name: str, seen: dict[tuple[str, int], int | None]) -> list[PageTask]:
    """The pages of ``doc`` that still need reading (all of them with ``force``); ``seen`` gets
    the reading each of them has now."""
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
        reading = ws.documents.reading_id(doc.id, number)
        if not options.force and page and page.source_hash == page_hash and reading is not None:
            report.pages_skipped += 1
            continue
        seen[(doc.id, number)] = reading
        resolved = str(path.resolve())
        key = f"{resolved} (page {index + 1})" if multi else resolved
        tasks.append(PageTask(document_id=doc.id, number=number, path=resolved, index=index,
                              source_hash=page_hash, key=key, file_name=file_name))
    return tasks


def _store_typed(ws: Workspace, doc: intake.FoundDocument, claims: PageClaims, report: ScanReport, *,
                 force: bool) -> int:
    """A typed answer: its text becomes the page's reading (engine ``typed``), no OCR; under the
    page's claim, so two scans do not both store it."""
    if not claims.take(doc.id, 1):
        report.pages_elsewhere += 1
        return 0
    try:
        return _store_typed_claimed(ws, doc, force=force)
    finally:
        claims.release(doc.id, 1)


def _store_typed_claimed(ws: Workspace, doc: intake.FoundDocument, *, force: bool) -> int:
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
    ws.documents.store_page_ocr(doc.id, 1, PageOCR(engine=TYPED_ENGINE, lines=lines), source_hash=digest)
    ws.documents.resolve_failures(STAGE, str(path.resolve()))
    return 1
