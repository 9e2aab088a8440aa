"""OCR benchmark on samples/: plain Tesseract vs OCRmyPDF vs examkit's pipeline, side by side.

Measures, on the handwritten student pages that have ground truth (samples/ground-truth):
character error rate (whitespace-normalised Levenshtein distance / ground-truth length, summed
over pages), pages per minute (plain tesseract page after page; OCRmyPDF with its default jobs;
examkit with 1 and 2 workers), peak memory per examkit worker (its own and its tesseract
child's peak RSS), the share of misread words that examkit flagged and the share of all words it
flagged, and the share of underlined phrases recovered as underline marks with their words.

OCRmyPDF is not a dependency of examkit; install it for this benchmark only
(``sudo apt-get install ocrmypdf unpaper``); without it its row says "not installed".

Run: .venv/bin/python benchmarks/bench_ocr.py [--samples samples] [--skip-ocrmypdf]
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.workspace import Workspace  # noqa: E402
from ocr.batch import scan  # noqa: E402
from ocr.intake import discover  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402
from ocr.tesseract import TesseractEngine  # noqa: E402


def norm(text: str) -> str:
    return " ".join(text.split())


def cer(pairs: list[tuple[str, str]]) -> float:
    errors = sum(Levenshtein.distance(norm(hyp), norm(gt)) for hyp, gt in pairs)
    return errors / max(1, sum(len(norm(gt)) for _, gt in pairs))


def student_documents(samples: Path):
    """(document, [ground-truth page texts], [marks per page]) for scanned students with truth."""
    found = discover([samples / "exams"])
    for doc in found.documents:
        if doc.typed or doc.kind == "task":
            continue
        truth = samples / "ground-truth" / doc.id
        pages = sorted(truth.glob("page-*.gt.txt"))
        if pages:
            marks = [json.loads(p.with_name(p.name.replace(".gt.txt", ".marks.json")).read_text())["marks"] for p in pages]
            yield doc, [p.read_text(encoding="utf-8") for p in pages], marks


def page_images(doc, workdir: Path) -> list[Path]:
    """The original pages as image files (PDF pages rendered at their native 200 DPI)."""
    out = []
    for path in doc.files:
        if path.suffix.lower() == ".pdf":
            prefix = workdir / doc.id.replace("/", "__")
            subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(prefix)], check=True)
            out.extend(sorted(workdir.glob(prefix.name + "-*.png")))
        else:
            out.append(path)
    return out


def run_plain_tesseract(docs, workdir: Path):
    pairs, started, pages = [], time.monotonic(), 0
    for doc, truth, _ in docs:
        for image, gt in zip(page_images(doc, workdir), truth):
            text = subprocess.run(["tesseract", str(image), "-", "-l", "deu"], capture_output=True, text=True).stdout
            pairs.append((text, gt))
            pages += 1
    return pairs, pages, time.monotonic() - started


def run_ocrmypdf(docs, workdir: Path):
    if shutil.which("ocrmypdf") is None:
        return None
    pairs, started, pages = [], time.monotonic(), 0
    for doc, truth, _ in docs:
        inputs = [f for f in doc.files]
        texts: list[str] = []
        for index, source in enumerate(inputs):
            sidecar = workdir / f"{doc.id.replace('/', '__')}-{index}.txt"
            args = ["ocrmypdf", "-q", "-l", "deu", "--force-ocr", "--clean", "--deskew", "--sidecar", str(sidecar),
                    "--output-type", "pdf"]
            if source.suffix.lower() != ".pdf":
                args += ["--image-dpi", "200"]
            subprocess.run(args + [str(source), str(workdir / "out.pdf")], check=True, capture_output=True)
            texts.extend(sidecar.read_text(encoding="utf-8").split("\f"))
        texts = [t for t in texts if t.strip()] + [""] * len(truth)
        pairs.extend(zip(texts[: len(truth)], truth))
        pages += len(truth)
    return pairs, pages, time.monotonic() - started


def run_examkit(docs, workdir: Path, workers: int):
    ws = Workspace.open(workdir / f"ws-{workers}")
    started = time.monotonic()
    report = scan(ws, [doc.source for doc, _, _ in docs], engine=TesseractEngine(),
                  options=ScanOptions.from_config(ws.config, workers=workers))
    seconds = time.monotonic() - started
    readings = {}
    for doc, truth, _ in docs:
        pages = ws.documents.pages(doc.source.stem if doc.folder is None else doc.folder.name)
        readings[doc.id] = [ws.documents.latest_ocr(p.id) for p in pages]
    ws.close()
    return readings, report, seconds


def flag_stats(docs, readings):
    misread = misread_flagged = total = flagged = 0
    for doc, truth, _ in docs:
        for reading, gt in zip(readings[doc.id], truth):
            words = [w for line in reading.lines for w in line.words]
            total += len(words)
            flagged += sum(w.flagged for w in words)
            matcher = difflib.SequenceMatcher(a=[w.text for w in words], b=gt.split(), autojunk=False)
            correct = set()
            for block in matcher.get_matching_blocks():
                correct.update(range(block.a, block.a + block.size))
            for i, word in enumerate(words):
                if i not in correct:
                    misread += 1
                    misread_flagged += word.flagged
    return misread_flagged / max(1, misread), flagged / max(1, total), misread, total


def underline_stats(docs, readings):
    """A drawn underline counts as recovered when an underline mark on its page covers the same
    number of words (±1) and its OCR'd words resemble the truth (fuzzy ratio >= 60)."""
    wanted = found = exact = 0
    for doc, _, marks in docs:
        for reading, truth_marks in zip(readings[doc.id], marks):
            detected = [m for m in reading.marks if m.kind == "underline"]
            for mark in (m for m in truth_marks if m["kind"] == "underline"):
                wanted += 1
                n = len(mark["text"].split())
                best = max((ratio(norm(d.text), norm(mark["text"])) for d in detected
                            if abs(len(d.text.split()) - n) <= 1), default=0)
                found += best >= 60
                exact += best == 100
    return found / max(1, wanted), exact / max(1, wanted), wanted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--skip-ocrmypdf", action="store_true")
    args = parser.parse_args()
    docs = list(student_documents(args.samples))
    n_pages = sum(len(t) for _, t, _ in docs)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pairs, pages, secs = run_plain_tesseract(docs, work)
        rows.append(("plain tesseract (deu, psm 3)", cer(pairs), pages / secs * 60, "-"))
        if not args.skip_ocrmypdf:
            result = run_ocrmypdf(docs, work)
            if result is None:
                rows.append(("OCRmyPDF", None, None, "not installed"))
            else:
                pairs, pages, secs = result
                rows.append(("OCRmyPDF --clean --deskew --sidecar", cer(pairs), pages / secs * 60, "-"))
        results = {}
        for workers in (1, 2):
            readings, report, secs = run_examkit(docs, work, workers)
            results[workers] = readings
            pairs = [(r.text, gt) for doc, truth, _ in docs for r, gt in zip(readings[doc.id], truth)]
            rows.append((f"examkit, {workers} worker{'s' * (workers > 1)}", cer(pairs), report.pages_read / secs * 60,
                         f"{report.peak_rss_kb / 1024:.0f} MiB"))
    flagged_misread, flagged_all, misread, total = flag_stats(docs, results[2])
    recovered, exact, underlines = underline_stats(docs, results[2])
    print(f"## OCR benchmark ({dt.date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs)\n")
    print(f"Command: `.venv/bin/python benchmarks/bench_ocr.py` on {len(docs)} handwritten tests, {n_pages} pages\n")
    print("| pipeline | CER | pages/min | peak memory per worker |")
    print("|---|---|---|---|")
    for name, error, speed, memory in rows:
        print(f"| {name} | {'-' if error is None else f'{error:.3f}'} | {'-' if speed is None else f'{speed:.1f}'} | {memory} |")
    print()
    print(f"- misread words flagged: {flagged_misread:.0%} of {misread}; all words flagged: {flagged_all:.0%} of {total}")
    print(f"- underlined phrases recovered with their words: {recovered:.0%} of {underlines} "
          f"(exact text: {exact:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
