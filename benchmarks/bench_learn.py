"""``ocr learn`` on real handwriting (HN2021 letters): line- and page-level CER, in two modes.

``--mode outlines`` (the learning curve): for each number of training pages (default 5, 10, 20, 30,
taken in :func:`benchmarks.hn2021.training_order`) a copy of the bundled recogniser is fine-tuned on
every line of those pages, cut along the dataset's ground-truth outlines, and the 11 fixed test
pages are read with the bundled and the learned model file.

``--mode end-to-end`` (what a teacher gets): through the CLI in a fresh workspace, the 30 training
pages are scanned with the defaults (one document per writer), their transcriptions brought in
(``review export`` -> page texts replaced -> ``review import``), ``ocr learn`` runs with its
defaults, and the 11 test pages are scanned with ``--reader bundled`` and ``--reader learned``.

Both modes report the test pages' CER at line level (ground-truth line crops, read with the model
file as a scan reads a piece) and at page level (the page as a scan reads it: detection, line
grouping and reading; also counts lines the detector missed or split, which learning cannot fix).
Handwritten test lines are split into writers seen in training (another page of the same letter)
and unseen ones; print/typewriting is reported apart at line level (the forgetting guard).

Needs the ``[local]`` extra and the dataset (not in the repository, CC-BY-4.0):
``git clone https://github.com/PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford``, then
``python benchmarks/bench_learn.py --data HN2021-Memorials_Jane_Lathrop_Stanford/data [--mode end-to-end]
[--work DIR] [--pages 5,10] [--epochs 5] [--part neck]``. Without ``--data`` (or $HN2021_DATA) it
says so and skips.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import hn2021  # noqa: E402
from ocr.learn.recogniser import bundled_model, classes_of  # noqa: E402
from ocr.learn.samples import PRINTED, LineSample  # noqa: E402
from ocr.learn.scoring import cer_of, read_all  # noqa: E402

TEST_SUFFIX = "-test"  # test pages' documents: another scan of a writer is another document


def groups(test: list[LineSample], readings: list[str], trained_pages: list[str]) -> dict[str, tuple[int, float]]:
    """(lines, CER) for handwritten lines of seen and unseen writers, all handwritten, and print."""
    seen = {hn2021.writer_of(p) for p in trained_pages}
    buckets: dict[str, list[tuple[str, str]]] = {"seen": [], "unseen": [], "handwritten": [], PRINTED: []}
    for sample, reading in zip(test, readings):
        if sample.kind == PRINTED:
            buckets[PRINTED].append((sample.text, reading))
            continue
        buckets["handwritten"].append((sample.text, reading))
        buckets["seen" if hn2021.writer_of(sample.page) in seen else "unseen"].append((sample.text, reading))
    return {k: (len(v), cer_of(v)) for k, v in buckets.items()}


def page_groups(texts: dict[str, str], gt: dict[str, str]) -> dict[str, float]:
    """Pooled page CER (line breaks not scored, as ``ocr eval``) of seen and unseen writers' test pages."""
    from ocr.evaluate import score

    out = {}
    for name, pages in (("seen", hn2021.SEEN_TEST), ("unseen", hn2021.UNSEEN_TEST)):
        scores = [score(gt[p], texts.get(p, "")) for p in pages]
        out[name] = sum(s.char_errors for s in scores) / sum(s.chars for s in scores)
    return out


def transcriptions(data: Path) -> dict[str, str]:
    return {xml.stem: hn2021.page_text(xml) for xml in sorted(data.rglob("*.xml"))}


def lay_out(data: Path, folder: Path, training: list[str]) -> None:
    """``train/<writer>/`` and ``test/<writer>-test/`` page images: one document per writer, as
    a teacher's folder per pupil."""
    images = {jpg.stem: jpg for jpg in data.rglob("*.jpg")}
    for split, pages, suffix in (("train", training, ""), ("test", hn2021.SEEN_TEST + hn2021.UNSEEN_TEST, TEST_SUFFIX)):
        for page in pages:
            target = folder / split / f"{hn2021.writer_of(page)}{suffix}" / images[page].name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(images[page], target)


def _natural(name: str) -> list:
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def exported_pages(export: Path, scans: Path) -> dict[Path, str]:
    """Each exported page file of a document scanned from ``scans/<doc>/``, with the page it shows."""
    out = {}
    for file in sorted(export.glob("*/page-*.txt")):
        images = sorted((scans / file.parent.name).glob("*.jpg"), key=lambda p: _natural(p.name))
        if images:
            out[file] = images[int(file.stem.split("-")[1]) - 1].stem
    return out


def examkit(workspace: Path, *args: str) -> str:
    """One CLI command, as a teacher types it (this checkout's code); stops the bench if it fails."""
    command = [sys.executable, "-m", "examkit_app", "-w", str(workspace), *args]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    done = subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": path})
    if done.returncode != 0:
        sys.exit(f"bench_learn: examkit {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return done.stdout


def scanned_texts(workspace: Path, scans: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        examkit(workspace, "review", "export", f"{tmp}/texts")
        return {page: file.read_text("utf-8") for file, page in exported_pages(Path(tmp, "texts"), scans).items()}


def end_to_end(args: argparse.Namespace, test: list[LineSample], bundled: list[str]) -> None:
    """Scan -> import transcriptions -> ``ocr learn`` (defaults) -> scan the test pages, all via the CLI."""
    data = Path(args.data)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-learn-"))
    workspace = work / "workspace"
    training = hn2021.training_order([x.stem for x in data.rglob("*.xml")])[:30]
    gt = transcriptions(data)
    lay_out(data, work, training)
    started = time.monotonic()
    examkit(workspace, "ocr", "scan", str(work / "train"))
    scan_minutes = (time.monotonic() - started) / 60
    with tempfile.TemporaryDirectory() as tmp:
        examkit(workspace, "review", "export", f"{tmp}/texts")
        for file, page in exported_pages(Path(tmp, "texts"), work / "train").items():
            file.write_text(gt[page] + "\n", "utf-8")
        examkit(workspace, "review", "import", f"{tmp}/texts")
    models = workspace / "models"
    shutil.rmtree(models, ignore_errors=True)  # a rerun on the same --work learns afresh
    started = time.monotonic()
    report = json.loads(examkit(workspace, "ocr", "learn", "--json", *args.learn_args))
    learn_minutes = (time.monotonic() - started) / 60
    model = models / report["model"] / "model.onnx"
    examkit(workspace, "ocr", "scan", str(work / "test"), "--force", "--reader", "bundled")
    before = page_groups(scanned_texts(workspace, work / "test"), gt)
    if report["adopted"]:
        examkit(workspace, "ocr", "scan", str(work / "test"), "--force", "--reader", "learned")
        after = page_groups(scanned_texts(workspace, work / "test"), gt)
    else:
        after = before
    lines_before, lines_after = groups(test, bundled, training), groups(test, read_all(model, test), training)
    held = report["after"]
    print(f"# end to end in {work}: scan {scan_minutes:.1f} min, learn {learn_minutes:.1f} min "
          f"(load {os.getloadavg()[0]:.1f}); learned from {report['learned_from']}")
    print(f"# checked: {report['lines_held_out']} lines, each read by a reader that did not learn from it, CER {report['before']['cer']:.3f} -> {held['cer']:.3f} "
          f"(by kind {held['by_kind']}); adopted: {report['adopted']}")
    _row("end to end (detected outlines, imported texts)", report["lines_train"], lines_before, lines_after,
         before, after, learn_minutes)


def _row(mode: str, lines: int, line_before: dict, line_after: dict, page_before: dict, page_after: dict,
         minutes: float) -> None:
    def cell(before: float, after: float, n: int | None = None) -> str:
        return f"{before:.3f} → {after:.3f} ({(after - before) / before:+.0%})" + (f" ({n})" if n else "")

    line = {k: cell(line_before[k][1], line_after[k][1], line_after[k][0]) for k in line_before}
    print(f"| {mode} | {lines} | {line['seen']} | {line['unseen']} | {line[PRINTED]} | "
          f"{cell(page_before['seen'], page_after['seen'])} | {cell(page_before['unseen'], page_after['unseen'])} | "
          f"{minutes:.1f} |", flush=True)


def scan_pages(models: list[Path | None], folder: Path) -> list[dict[str, str]]:
    """Each test page as ``ocr scan`` reads it, once per recognition model (None: bundled)."""
    from examkit.workspace import Workspace
    from ocr.evaluate import prepare
    from ocr.factory import engine_for
    from ocr.page import ScanOptions

    with tempfile.TemporaryDirectory() as tmp, Workspace.open(Path(tmp) / "ws") as ws:
        engine = engine_for(ws, reader="bundled")
        options = ScanOptions.from_config(ws.config)
        images = {jpg.stem: prepare(jpg, options, engine) for jpg in sorted(folder.rglob("*.jpg"))}
        return [{page: engine.with_model(model).recognize(image, lang=options.lang).text
                 for page, image in images.items()} for model in models]


def outlines(args: argparse.Namespace, pages: dict[str, list[LineSample]], test: list[LineSample],
             bundled: list[str]) -> None:
    """The learning curve on ground-truth outlines."""
    from ocr.learn import onnx_io
    from ocr.learn.graph import OnnxRecogniser
    from ocr.learn.train import TrainOptions, fine_tune

    data = Path(args.data)
    gt = transcriptions(data)
    order = hn2021.training_order(list(pages))
    base = onnx_io.load(bundled_model())
    classes = classes_of({p.key: p.value for p in base.metadata_props})
    with tempfile.TemporaryDirectory() as tmp:
        lay_out(data, Path(tmp), [])
        page_before = page_groups(scan_pages([None], Path(tmp) / "test")[0], gt)
        for count in [int(n) for n in args.pages.split(",")]:
            trained = order[:count]
            train = [s for p in trained for s in pages[p]]
            options = TrainOptions(epochs=args.epochs, part=args.part, **({"lr": args.lr} if args.lr else {}))
            start = time.monotonic()
            net = fine_tune(OnnxRecogniser(base), train, classes, options)
            minutes = (time.monotonic() - start) / 60
            model = Path(tmp) / "model.onnx"
            onnx_io.write_with_weights(base, net.onnx_weights(), model, {})
            learned = read_all(model, test)
            page_after = page_groups(scan_pages([model], Path(tmp) / "test")[0], gt)
            _row(f"ground-truth outlines, {count} pages", len(train), groups(test, bundled, trained),
                 groups(test, learned, trained), page_before, page_after, minutes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("HN2021_DATA"))
    parser.add_argument("--mode", choices=("outlines", "end-to-end"), default="outlines")
    parser.add_argument("--work", type=Path, help="end-to-end: folder for the pages and the workspace (kept)")
    parser.add_argument("--pages", default="5,10,20,30", help="outlines: training pages per point")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--part", default="last-stage")
    parser.add_argument("--lr", type=float, default=None)
    parser.add_argument("--learn-args", nargs="*", default=[], help="end-to-end: options for `ocr learn`")
    args = parser.parse_args()
    if not args.data or not Path(args.data).is_dir():
        print("bench_learn: skipped (pass --data with the HN2021 repository's data/ folder)")
        return
    import torch

    began = time.monotonic()
    pages = hn2021.load(Path(args.data))
    test = [s for p in hn2021.SEEN_TEST + hn2021.UNSEEN_TEST for s in pages[p]]
    bundled = read_all(bundled_model(), test)
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()[0]:.1f}; "
          f"mode {args.mode}; {len(test)} test lines on 11 pages", flush=True)
    print("| mode | training lines | line CER, seen writers | unseen writers | print/typewriting | "
          "page CER, seen writers | unseen writers | learn min |")
    print("|---|---|---|---|---|---|---|---|")
    if args.mode == "end-to-end":
        end_to_end(args, test, bundled)
    else:
        outlines(args, pages, test, bundled)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# total {(time.monotonic() - began) / 60:.1f} min, load {os.getloadavg()[0]:.1f}, peak {peak:.0f} MiB")


if __name__ == "__main__":
    main()
