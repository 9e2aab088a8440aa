"""``ocr eval`` benchmark: Tesseract vs the ``vlm`` engine, on samples/ and on real handwriting.

Two page sets, both through :func:`ocr.evaluate.evaluate` (the code of ``examkit ocr eval``, the
scan's preprocessing included):

- the project's samples (samples/exams, ground truth in samples/ground-truth; PDF pages rendered
  at their native 200 DPI), German, synthetic handwriting fonts with red teacher marks;
- /work/shared/data/handwriting-en (if present): ten real 1905 cursive letters with exact
  transcriptions, from PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford
  (Zenodo 10.5281/zenodo.6126625, images Stanford University Archives via FromThePage, CC-BY-4.0).

Tesseract's CER/WER are real figures. The ``vlm`` engine runs against the fake OpenAI-compatible
server of the tests, which answers each page with its ground truth: its row measures only the
plumbing (image encoding, HTTP round trip through the official SDK, the Tesseract layout pass and
the alignment), never a model's reading; its CER is therefore not reported. Real vlm figures need
a real model: ``examkit ocr eval DIR --engine tesseract --engine vlm --model M --base-url URL``.
For the plumbing rows the share of words flagged for review is given: words the alignment could
not confirm with the Tesseract layout pass (no counterpart, or a different reading). It tells how
much the review page can lean on the layout pass on such pages.

Run: .venv/bin/python benchmarks/bench_vlm.py [--samples samples] [--handwriting DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.config import Config  # noqa: E402
from ocr import images  # noqa: E402
from ocr.evaluate import EvalReport, evaluate, find_pairs  # noqa: E402
from ocr.intake import discover  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402
from ocr.tesseract import TesseractEngine  # noqa: E402
from ocr.vlm import VlmEngine  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402

HANDWRITING = Path("/work/shared/data/handwriting-en")


def samples_folder(samples: Path, out: Path) -> Path:
    """The samples' student pages with ground truth as NAME.png/.jpg + NAME.gt.txt (ocr eval layout)."""
    for doc in discover([samples / "exams"]).documents:
        if doc.typed or doc.kind == "task":
            continue
        truth = sorted((samples / "ground-truth" / doc.id).glob("page-*.gt.txt"))
        if not truth:
            continue
        pages = []
        for path in doc.files:
            count = images.page_count(path, dpi=200, max_pixels=80_000_000)
            pages.extend((path, i) for i in range(count))
        for number, ((path, index), gt) in enumerate(zip(pages, truth), start=1):
            stem = out / f"{doc.id.replace('/', '__')}__p{number}"
            cv2.imwrite(str(stem.with_suffix(".png")), images.load_page(path, index, dpi=200, max_pixels=80_000_000))
            stem.with_suffix(".gt.txt").write_text(gt.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def measure(folder: Path, lang: str, limit: int | None) -> tuple[EvalReport, EvalReport, dict]:
    """Tesseract for real; vlm against the fake server answering each page with its ground truth."""
    if limit:
        subset = folder.parent / f"{folder.name}-first{limit}"
        subset.mkdir(exist_ok=True)
        for image, gt in find_pairs(folder)[0][:limit]:
            for src in (image, gt):
                target = subset / src.name
                if not target.exists():
                    target.symlink_to(src)
        folder = subset
    options = ScanOptions.from_config(Config(), lang=lang, workers=1)
    tesseract = evaluate(folder, [TesseractEngine(lang=lang)], options)

    truth: dict[str, str] = {}
    stats = {"words": 0, "flagged": 0}
    with FakeOpenAI(chat=lambda request: truth["current"]) as fake:
        engine = VlmEngine(model="fake-vl", base_url=fake.base_url, api_key=fake.api_key, lang=lang)
        original = engine.recognize

        def recognize(image, *, lang):
            result = original(image, lang=lang)
            for line in result.lines:
                for word in line.words:
                    stats["words"] += 1
                    stats["flagged"] += word.flagged
            return result

        def on_file(path: Path) -> None:
            truth["current"] = path.with_name(path.name.rsplit(".", 1)[0] + ".gt.txt").read_text(encoding="utf-8")

        engine.recognize = recognize  # type: ignore[method-assign]
        plumbing = evaluate(folder, [engine], options, on_file=on_file)
    return tesseract, plumbing, stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--handwriting", type=Path, default=HANDWRITING)
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        sets = []
        if (args.samples / "ground-truth").is_dir():
            folder = Path(tmp, "samples-eval")
            folder.mkdir()
            sets.append(("samples (German, synthetic handwriting)", samples_folder(args.samples, folder), "deu"))
        if args.handwriting.is_dir():
            sets.append(("handwriting-en (real cursive, CC-BY-4.0 *)", args.handwriting, "eng"))
        for title, folder, lang in sets:
            tesseract, plumbing, stats = measure(folder, lang, args.limit)
            t, v = tesseract.summary[0], plumbing.summary[0]
            rows.append(f"| {title} | {t.files} | {t.cer:.3f} | {t.wer:.3f} | {t.seconds_per_page:.2f} | "
                        f"{v.seconds_per_page:.2f} | {stats['flagged'] / max(stats['words'], 1):.0%} |")
            for r in tesseract.files:
                print(f"  {title.split()[0]} {r.file}: tesseract CER {r.cer:.3f} WER {r.wer:.3f}", file=sys.stderr)

    print(f"Date: {dt.date.today()}  Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs  "
          f"Command: .venv/bin/python benchmarks/bench_vlm.py{' --limit ' + str(args.limit) if args.limit else ''}\n")
    print("| page set | pages | Tesseract CER | Tesseract WER | Tesseract s/page | vlm plumbing s/page (fake) | "
          "vlm words flagged (fake) |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\nvlm columns: the fake OpenAI-compatible server answers each page with its ground truth, so they "
          "measure only the plumbing (encoding, HTTP via the SDK, Tesseract layout pass, alignment) and how many "
          "words the alignment could not confirm; no model's reading is measured. Real vlm figures need a real "
          "model (`examkit ocr eval DIR --engine tesseract --engine vlm --model M --base-url URL`).\n"
          "* handwriting-en: PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford, Zenodo "
          "10.5281/zenodo.6126625, CC-BY-4.0.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
