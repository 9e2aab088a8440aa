"""A district's archive (issue 30): one workspace with 10⁵ pages, built without OCR, then timed.

1. **The one writer**: pages stored the way a scan stores them (two page images written atomically,
   then the page row and its reading, with its lines, in one transaction; ``ocr.batch``), one after
   the other in this process: the ceiling in pages per second for any number of workers.
2. **After the scan**: ``ocr status``, the review overview, opening one page, saving one line,
   ``export chat`` of 10⁴ confirmed records, ``annotate check`` and ``export validate`` of that file,
   each timed, with the process's peak memory after it.

The workspace has ``--pages`` pages: a tenth of them typed answers (one page each, with a teacher's
analysis: what the export takes), the rest scanned tests of four pages with eight read lines each;
25 students an exam, one typed task sheet per exam.

Run: .venv/bin/python benchmarks/bench_archive.py [--pages 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.files import atomic_write_bytes  # noqa: E402
from examkit.models import TYPED_ENGINE, Document, Line, PageOCR, Word  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402

STUDENTS_PER_EXAM = 25
SCANNED_PAGES = 4
LINES_PER_PAGE = 8
ANALYSIS = """Fehleranalyse:
\tAufgabe 1 (5 von 6 Punkte):
\t\t- "Luther schrieb" ungenau (-1 Punkt)
\tAufgabe 2 (8 von 8 Punkte)

\tInsgesamt:
\t\tPunkte: 13 von 14, das entspricht einer Leistung von: 92%
\t\tVorgeschlagene Note: 1 ENDSTOP"""
TASK = "Aufgabe 1: Erläutern Sie die Thesen Luthers.\nAufgabe 2: Bewerten Sie die Folgen."
ANSWER = "Luther schrieb 1517 seine Thesen.\nDie Folgen waren groß: Bauernkrieg und Konfessionen."


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reading(page: int) -> PageOCR:
    lines = []
    for number in range(LINES_PER_PAGE):
        y = 100 + 60 * number
        words = [Word(text=t, conf=80, bbox=(100 + 120 * i, y, 200 + 120 * i, y + 40))
                 for i, t in enumerate(f"Zeile {number} der Seite {page}".split())]
        lines.append(Line(words=words, bbox=(100, y, 700, y + 40)))
    return PageOCR(engine="rapidocr", lines=lines, width=1654, height=2339)


def build(ws: Workspace, pages: int) -> tuple[float, int]:
    """The workspace; returns seconds spent storing scanned pages and how many were stored."""
    typed = pages // 10
    scanned_docs = (pages - typed) // SCANNED_PAGES
    image = b"\xff\xd8" + os.urandom(30_000)  # what a scan writes twice per page, in size
    students = [(f"Klausur-{n // STUDENTS_PER_EXAM:04d}", f"schueler-{n:06d}") for n in range(typed + scanned_docs)]
    for exam in sorted({exam for exam, _ in students}):
        doc_id = f"{exam}/aufgabe"
        ws.documents.upsert(Document(id=doc_id, exam=exam, kind="task", source=f"{doc_id}.txt", typed=True))
        ws.documents.store_page_ocr(doc_id, 1, PageOCR(engine=TYPED_ENGINE, lines=[_typed_line(TASK)]))
    for exam, student in students[:typed]:
        doc_id = f"{exam}/{student}"
        ws.documents.upsert(Document(id=doc_id, exam=exam, source=f"{doc_id}.txt", typed=True))
        answer = f"{ANSWER} ({student})"
        ws.documents.store_page_ocr(doc_id, 1, PageOCR(engine=TYPED_ENGINE, lines=[_typed_line(answer)]))
        ws.revisions.add_analysis(doc_id, ANALYSIS, source="teacher")
    stored, started = 0, time.perf_counter()
    for exam, student in students[typed:]:
        doc_id = f"{exam}/{student}"
        ws.documents.upsert(Document(id=doc_id, exam=exam, source=f"{doc_id}.pdf"))
        for number in range(1, SCANNED_PAGES + 1):
            stem = ws.pages_dir / doc_id / f"p{number:04d}"
            original = atomic_write_bytes(stem.with_name(stem.name + ".orig.jpg"), image)
            shown = atomic_write_bytes(stem.with_suffix(".jpg"), image)
            ws.documents.store_page_ocr(doc_id, number, reading(number), image=ws.relative(shown),
                                        original=ws.relative(original), width=1654, height=2339,
                                        source_hash=f"{doc_id}:{number}")
            stored += 1
            if stored % 10_000 == 0:
                print(f"  {stored} scanned pages stored ({stored / (time.perf_counter() - started):.0f} pages/s)",
                      file=sys.stderr, flush=True)
    return time.perf_counter() - started, stored


def _typed_line(text: str) -> Line:
    return Line(words=[Word(text=w, conf=-1, bbox=(0, 0, 0, 0)) for w in text.split()], bbox=(0, 0, 0, 0))


def timed(name: str, target: str, work: Callable[[], Any], rows: list[tuple[str, str, str, str]]) -> Any:
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    shown = f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"
    rows.append((name, shown, target, f"{peak_mib():.0f} MiB"))
    print(f"  {name}: {shown}", file=sys.stderr, flush=True)
    return result


def measure(ws: Workspace, out: Path) -> list[tuple[str, str, str, str]]:
    from annotate.review.views import analysis_view, overview, page_view
    from annotate.sheets import settings_from
    from annotate.sources import audit_path
    from export.pipeline import ExportOptions, export_training, validation_options
    from export.validate import validate_file
    from ocr.views import status

    rows: list[tuple[str, str, str, str]] = []
    settings = settings_from(ws.config.analysis, ws.root)
    timed("ocr status", "—", lambda: status(ws), rows)
    timed("review overview", "≤ 300 ms", lambda: overview(ws, settings), rows)
    last = ws.documents.list()[-1]
    page = ws.documents.pages(last.id)[0]
    timed("open one page", "≤ 300 ms", lambda: page_view(ws, page), rows)
    typed = next(d for d in ws.documents.list(kind="student") if d.typed)
    timed("open one analysis", "≤ 300 ms", lambda: analysis_view(ws, settings, typed.id), rows)
    line = ws.lines.current(page.id)[0]
    timed("save one line", "≤ 20 ms", lambda: ws.lines.save(line.id, base=line.revision, text="Gespeichert"), rows)
    target = out / "archive.jsonl"
    result = timed("export chat (every typed answer)", "≤ 10 s with validate at 10⁴",
                   lambda: export_training(ws, target, ExportOptions(fmt="chat")), rows)
    print(f"  {sum(1 for _ in target.open(encoding='utf-8'))} records exported, {len(result.skipped)} left out",
          file=sys.stderr)
    timed("annotate check of the export", "—", lambda: audit_path(target, scale=settings.scale), rows)
    options = validation_options(ws.config, ws.root)
    timed("export validate of the export", "≤ 10 s with export", lambda: validate_file(target, options), rows)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the workspace here and keep it (reused when it exists)")
    args = parser.parse_args()
    print(f"## A district's archive ({dt.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start)\n")
    print(f"Command: `.venv/bin/python benchmarks/bench_archive.py --pages {args.pages}`\n", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "ws"
        fresh = not (root / "examkit.sqlite3").exists()
        with Workspace.open(root) as ws:
            if fresh:
                seconds, stored = build(ws, args.pages)
                print(f"- the one writer stored {stored} scanned pages (two images each, eight lines) in "
                      f"{seconds:.0f} s: **{stored / seconds:.1f} pages/s** (target ≥ 20)\n")
            pages = ws.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
            print(f"- workspace: {pages} pages, "
                  f"{ws.db.execute('SELECT COUNT(*) FROM line_revisions').fetchone()[0]} line revisions, "
                  f"{(root / 'examkit.sqlite3').stat().st_size / 2**20:.0f} MiB database\n", flush=True)
            rows = measure(ws, Path(tmp))
    print("| step | time | target | peak memory so far |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
