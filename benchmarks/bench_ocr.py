"""OCR benchmark: plain Tesseract vs examkit + tesseract vs examkit + rapidocr, side by side.

Two page sets: the handwritten student pages of ``samples/`` that have ground truth (German,
synthetic handwriting, 21 pages) and, where present, ``../shared/data/handwriting-en`` (10 real
cursive pages, English; PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford, Zenodo
10.5281/zenodo.6126625, images Stanford University Archives, CC-BY-4.0). Its pages are copied into
a temporary folder for the run only.

For each set and pipeline: CER and WER (``ocr.evaluate.score``: whitespace-normalised
Levenshtein / reference length, pooled over pages), seconds per page (wall time of the whole scan /
pages) with 1 and 2 workers, peak memory per worker (its own and its children's peak RSS, in the
2-worker run, whose workers are fresh processes). For
the examkit pipelines: the share of misread words flagged and the share of all words flagged
(a word is misread when it is not in the longest matching word sequence with the truth), and for
rapidocr the same at other ``flag_below`` values; on samples also the underlined phrases
recovered as marks with their words.

Run: .venv/bin/python benchmarks/bench_ocr.py [--samples samples] [--handwriting DIR] [--limit N]
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
from dataclasses import replace
from pathlib import Path

from rapidfuzz.fuzz import ratio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.workspace import Workspace  # noqa: E402
from ocr.batch import scan  # noqa: E402
from ocr.evaluate import normalise, score  # noqa: E402
from ocr.factory import engine_for  # noqa: E402
from ocr.flags import should_flag  # noqa: E402
from ocr.intake import discover  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402

HANDWRITING = ROOT.parent / "shared" / "data" / "handwriting-en"
THRESHOLDS = (50, 60, 70, 80, 85, 90, 95)


def sample_pages(samples: Path, limit: int | None):
    """[(document id, source file, [truth per page], [marks per page])] of scanned students with truth."""
    docs = []
    for doc in discover([samples / "exams"]).documents:
        if doc.typed or doc.kind == "task":
            continue
        truth = sorted((samples / "ground-truth" / doc.id).glob("page-*.gt.txt"))
        if truth:
            marks = [json.loads(p.with_name(p.name.replace(".gt.txt", ".marks.json")).read_text())["marks"] for p in truth]
            docs.append((doc.id, doc.source, [p.read_text(encoding="utf-8") for p in truth], marks))
    return docs[:limit] if limit else docs


def real_pages(folder: Path, work: Path, limit: int | None):
    """The real pages as one-page documents in a folder of their own (images only)."""
    out = work / "handwriting-en"
    out.mkdir()
    docs = []
    for image in sorted(folder.glob("*.jpg"))[:limit]:
        shutil.copy(image, out / image.name)
        truth = image.with_name(image.stem + ".gt.txt").read_text(encoding="utf-8")
        docs.append((image.stem, out / image.name, [truth], [[]]))
    return docs


def page_images(docs, work: Path) -> list[Path]:
    """Each page as an image file (PDF pages rendered at the samples' native 200 DPI)."""
    out = []
    for doc_id, source, _, _ in docs:
        files = sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else [source]
        for path in files:
            if path.suffix.lower() == ".pdf":
                prefix = work / doc_id.replace("/", "__")
                subprocess.run(["pdftoppm", "-r", "200", "-png", str(path), str(prefix)], check=True)
                out.extend(sorted(work.glob(prefix.name + "-*.png")))
            elif path.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff"):
                out.append(path)
    return out


def plain_tesseract(docs, work: Path, lang: str):
    """``tesseract IMAGE - -l LANG`` page after page on the original pages."""
    images = page_images(docs, work)
    truths = [t for _, _, truth, _ in docs for t in truth]
    started = time.monotonic()
    texts = [subprocess.run(["tesseract", str(p), "-", "-l", lang], capture_output=True, text=True).stdout
             for p in images]
    return list(zip(texts, truths)), time.monotonic() - started


def examkit_scan(docs, work: Path, name: str, lang: str, workers: int, tag: str):
    """A scan with the engine ``name`` as a teacher's workspace builds it (``ocr.factory.engine_for``)."""
    ws = Workspace.open(work / f"ws-{tag}-{workers}")
    engine = engine_for(ws, name, lang=lang)
    started = time.monotonic()
    report = scan(ws, [source for _, source, _, _ in docs], engine=engine,
                  options=ScanOptions.from_config(ws.config, lang=lang, workers=workers))
    seconds = time.monotonic() - started
    readings = {}
    for doc_id, source, _, _ in docs:
        name = source.stem if source.is_file() else source.name
        match = [d for d in ws.documents.list() if d.id.endswith(name)]
        readings[doc_id] = [ws.documents.latest_ocr(p.id) for p in ws.documents.pages(match[0].id)] if match else []
    ws.close()
    return readings, report, seconds, engine


def cer_wer(pairs) -> tuple[float, float]:
    scores = [score(truth, text) for text, truth in pairs]
    return (sum(s.char_errors for s in scores) / max(1, sum(s.chars for s in scores)),
            sum(s.word_errors for s in scores) / max(1, sum(s.words for s in scores)))


def word_outcomes(docs, readings):
    """(word, misread) for every word read, misread = outside the longest matching word sequence."""
    out = []
    for doc_id, _, truth, _ in docs:
        for reading, gt in zip(readings[doc_id], truth):
            if reading is None:
                continue
            words = [w for line in reading.lines for w in line.words]
            matcher = difflib.SequenceMatcher(a=[w.text for w in words], b=normalise(gt).split(), autojunk=False)
            correct = set()
            for block in matcher.get_matching_blocks():
                correct.update(range(block.a, block.a + block.size))
            out.extend((word, i not in correct) for i, word in enumerate(words))
    return out


def flag_rates(outcomes, flagged=lambda word: word.flagged) -> tuple[float, float, int, int]:
    misread = [w for w, bad in outcomes if bad]
    return (sum(map(flagged, misread)) / max(1, len(misread)), sum(flagged(w) for w, _ in outcomes) / max(1, len(outcomes)),
            len(misread), len(outcomes))


def underline_stats(docs, readings):
    """A drawn underline counts as recovered when an underline mark on its page covers the same
    number of words (±1) and its OCR'd words resemble the truth (fuzzy ratio >= 60)."""
    wanted = found = 0
    for doc_id, _, _, marks in docs:
        for reading, truth_marks in zip(readings[doc_id], marks):
            detected = [m for m in reading.marks if m.kind == "underline"] if reading else []
            for mark in (m for m in truth_marks if m["kind"] == "underline"):
                wanted += 1
                n = len(mark["text"].split())
                best = max((ratio(normalise(d.text), normalise(mark["text"])) for d in detected
                            if abs(len(d.text.split()) - n) <= 1), default=0)
                found += best >= 60
    return found / max(1, wanted), wanted


def measure(name: str, docs, work: Path, lang: str) -> list[str]:
    pages = sum(len(t) for _, _, t, _ in docs)
    lines = [f"### {name}: {len(docs)} documents, {pages} pages\n",
             "| pipeline | CER | WER | s/page, 1 worker | s/page, 2 workers | peak memory per worker |",
             "|---|---|---|---|---|---|"]
    pairs, seconds = plain_tesseract(docs, work, lang)
    cer, wer = cer_wer(pairs)
    lines.append(f"| plain `tesseract -l {lang}` (original pages) | {cer:.3f} | {wer:.3f} | {seconds / pages:.2f} | – | – |")
    notes = []
    for tag in ("tesseract", "rapidocr"):
        timing, memory, readings = {}, 0, {}
        for workers in (1, 2):
            readings, report, secs, engine = examkit_scan(docs, work, tag, lang, workers, f"{name[:8]}-{tag}")
            timing[workers] = secs / max(1, report.pages_read)
            memory = report.peak_rss_kb  # the 2-worker run's: fresh worker processes, not this one
        pairs = [(r.text if r else "", gt) for doc_id, _, truth, _ in docs for r, gt in zip(readings[doc_id], truth)]
        cer, wer = cer_wer(pairs)
        lines.append(f"| examkit + {tag} | {cer:.3f} | {wer:.3f} | {timing[1]:.2f} | {timing[2]:.2f} | "
                     f"{memory / 1024:.0f} MiB |")
        outcomes = word_outcomes(docs, readings)
        hit, share, misread, total = flag_rates(outcomes)
        notes.append(f"- {tag}: misread words flagged {hit:.0%} of {misread}; all words flagged {share:.0%} of {total} "
                     f"(flag_below {engine.flag_below:g})")
        if tag == "rapidocr":
            curve = []
            for threshold in THRESHOLDS:
                probe = replace(engine, flag_below=float(threshold))
                h, s, _, _ = flag_rates(outcomes, lambda w, probe=probe: should_flag(w.text, w.conf, probe.flag_below))
                curve.append(f"{threshold}: {h:.0%} / {s:.0%}")
            notes.append(f"  - rapidocr at other flag_below (misread flagged / all flagged): {'; '.join(curve)}")
        if any(m for _, _, _, marks in docs for m in marks):
            recovered, wanted = underline_stats(docs, readings)
            notes.append(f"  - underlined phrases recovered with their words ({tag}): {recovered:.0%} of {wanted}")
    return lines + [""] + notes + [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--handwriting", type=Path, default=HANDWRITING)
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents of each set")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    started = time.monotonic()
    out = [f"## OCR benchmark ({dt.date.today()}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
           f"load average {load:.1f} at the start)\n",
           "Command: `.venv/bin/python benchmarks/bench_ocr.py`\n"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out += measure("samples (German, synthetic handwriting)", sample_pages(args.samples, args.limit), work, "deu")
        if args.handwriting.is_dir():
            out += measure("handwriting-en (real cursive, English)", real_pages(args.handwriting, work, args.limit),
                           work, "eng")
        else:
            out.append(f"(no {args.handwriting}: real pages not measured)")
    out.append(f"Total {time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.1f} at the end.")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
