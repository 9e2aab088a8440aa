"""``ocr learn`` on real handwriting: a learning curve on the HN2021 letters, split by page.

For each number of training pages (default 5, 10, 20, 30, taken in :func:`benchmarks.hn2021.training_order`)
a copy of the bundled recogniser is fine-tuned on every line of those pages and the 11 fixed test
pages are read with the bundled and the learned model file (onnxruntime, as a scan reads).
Handwritten test lines are split into writers seen in training (another page of the same letter)
and unseen ones; print/typewriting is reported apart (the forgetting guard).

Needs the ``[local]`` extra and the dataset (not in the repository, CC-BY-4.0):
``git clone https://github.com/PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford``, then
``python benchmarks/bench_learn.py --data HN2021-Memorials_Jane_Lathrop_Stanford/data [--pages 5,10]
[--epochs 5] [--part last-stage]``. Without ``--data`` (or $HN2021_DATA) it says so and skips.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import hn2021  # noqa: E402
from ocr.learn.recogniser import bundled_model, classes_of  # noqa: E402
from ocr.learn.samples import PRINTED, LineSample  # noqa: E402
from ocr.learn.scoring import cer_of, read_all  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("HN2021_DATA"))
    parser.add_argument("--pages", default="5,10,20,30")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--part", default="last-stage")
    parser.add_argument("--lr", type=float, default=None)
    args = parser.parse_args()
    if not args.data or not Path(args.data).is_dir():
        print("bench_learn: skipped (pass --data with the HN2021 repository's data/ folder)")
        return
    import torch

    from ocr.learn import onnx_io
    from ocr.learn.graph import OnnxRecogniser
    from ocr.learn.train import TrainOptions, fine_tune

    began = time.monotonic()
    pages = hn2021.load(Path(args.data))
    order = hn2021.training_order(list(pages))
    test = [s for p in hn2021.SEEN_TEST + hn2021.UNSEEN_TEST for s in pages[p]]
    base = onnx_io.load(bundled_model())
    classes = classes_of({p.key: p.value for p in base.metadata_props})
    bundled = read_all(bundled_model(), test)
    print(f"# {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()[0]:.1f}; "
          f"part={args.part} epochs={args.epochs}; {len(test)} test lines on 11 pages", flush=True)
    print("| training pages | lines | handwritten CER | seen writers | unseen writers | print/typewriting | "
          "train min | peak MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for count in [int(n) for n in args.pages.split(",")]:
        trained = order[:count]
        train = [s for p in trained for s in pages[p]]
        options = TrainOptions(epochs=args.epochs, part=args.part, **({"lr": args.lr} if args.lr else {}))
        start = time.monotonic()
        net = fine_tune(OnnxRecogniser(base), train, classes, options)
        minutes = (time.monotonic() - start) / 60
        with tempfile.TemporaryDirectory() as tmp:
            model = Path(tmp) / "model.onnx"
            onnx_io.write_with_weights(base, net.onnx_weights(), model, {})
            learned = read_all(model, test)
        before, after = groups(test, bundled, trained), groups(test, learned, trained)

        def cell(key: str) -> str:
            return f"{before[key][1]:.3f} → {after[key][1]:.3f} ({after[key][0]})"

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"| {count} | {len(train)} | {cell('handwritten')} | {cell('seen')} | {cell('unseen')} | "
              f"{cell(PRINTED)} | {minutes:.1f} | {peak:.0f} |", flush=True)
    print(f"# total {(time.monotonic() - began) / 60:.1f} min, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
