"""Decoding benchmark (issue 29): greedy CTC vs beam search + language model, page by page.

Pages are read end to end as ``ocr scan`` reads them: prepared by :func:`ocr.evaluate.prepare`,
outlined by the rapidocr engine's detector, joined into lines by :mod:`ocr.layout`, each piece
read by the bundled recogniser. The recogniser's probabilities are computed once per page and
cached (``--cache``), so decoders are compared on the same numbers; the page CER is scored as
``ocr eval`` scores it. Page sets: the real cursive pages of ``../shared/data/handwriting-en``
(English) and the handwritten pages of ``samples/`` with ground truth (German).

Language models per page: (a) general model + word list + the exam's task sheet; (b) also the
confirmed text of the *other* pages of the collection (never the page's own): for the real pages
the other pages of the HN2021 set (``--hn2021``: a checkout of
PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford, outside the repository), for
samples the other students' pages of the same exam. ``--reader MODEL`` reads with another
recognition model instead of the bundled one: (c) is (b) with the reader that ``ocr learn`` made
from the collection's other pages, as a teacher who confirmed them has both.

Run: .venv/bin/python benchmarks/bench_decoder.py [--hn2021 DIR] [--no-timing] [--crop-margin F --box-thresh F --unclip-ratio F] [--reader MODEL] [--collection]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import pickle
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examkit.config import Config  # noqa: E402
from examkit.files import sha256_file  # noqa: E402
from ocr import images, layout, preprocess  # noqa: E402
from ocr.ctc_beam import BeamParams, beam_search, restrict  # noqa: E402
from ocr.decoder import LineDecoder, language_model, unsure  # noqa: E402
from ocr.engine import EngineContext  # noqa: E402
from ocr.evaluate import normalise, score  # noqa: E402
from ocr.intake import discover  # noqa: E402
from ocr.language import LOOKALIKES, lookalikes  # noqa: E402
from ocr.learn.recogniser import bundled_model, greedy_decode  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402
from ocr.page import prepare as prepare_page  # noqa: E402
from ocr.rapidocr import RapidOcrEngine, RapidOcrOptions, _crop  # noqa: E402

FLAG_BELOW = RapidOcrOptions().flag_below
HANDWRITING = ROOT.parent / "shared" / "data" / "handwriting-en"
#: The "task sheet" the real letters get: what a teacher would set for reading them (3 lines).
LETTERS_TASK = ("Letters of condolence written in 1905 after the death of Jane Lathrop Stanford.\n"
                "Transcribe each letter to the President of Stanford University, Palo Alto, California.\n"
                "Note the writer, the date and the place of each letter.")


@dataclass
class Page:
    name: str
    group: str  #: the exam (samples) or the collection
    lang: str
    truth: str
    task: str = ""
    others: str = ""  #: confirmed text of the collection's other pages
    pieces: list[list[np.ndarray]] = field(default_factory=list)  #: per line: each piece's scores
    greedy: str = ""  #: today's reading: greedy over all classes
    seconds: dict[str, float] = field(default_factory=dict)


def real_pages(folder: Path, hn2021: Path | None) -> list[tuple[str, np.ndarray, str, str, str, str]]:
    texts = hn2021_texts(hn2021) if hn2021 else {}
    out = []
    for image in sorted(folder.glob("*.jpg")):
        stem = image.stem.removeprefix("jls_")
        others = "\n".join(t for name, t in texts.items() if name != stem)
        out.append((image.stem, image, "letters", image.with_name(image.stem + ".gt.txt").read_text(), others, "eng"))
    return out


def collection_pages(hn2021: Path, shared: Path) -> list[tuple[str, Path, str, str, str, str]]:
    """The HN2021 pages that are not among the shared ones, shaped as :func:`real_pages`: the
    same collection read by the same rules, a check that a setting is not tuned to ten pages."""
    texts = hn2021_texts(hn2021)
    taken = {p.stem.removeprefix("jls_") for p in shared.glob("*.jpg")}
    return [(image.stem, image, "collection", texts[image.stem],
             "\n".join(t for name, t in texts.items() if name != image.stem), "eng")
            for image in sorted(hn2021.rglob("*.jpg")) if image.stem in texts and image.stem not in taken]


def hn2021_texts(folder: Path) -> dict[str, str]:
    """Page name -> its transcription, from the ALTO files of the HN2021 set."""
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    out = {}
    for xml in sorted(folder.rglob("*.xml")):
        try:
            root = ET.parse(xml).getroot()
        except ET.ParseError:
            continue
        lines = [" ".join(s.get("CONTENT", "") for s in line.iterfind("a:String", ns)).strip()
                 for line in root.iterfind(".//a:TextLine", ns)]
        if any(lines):
            out[xml.stem] = "\n".join(x for x in lines if x)
    return out


def sample_pages(samples: Path) -> list[tuple[str, Path, int, str, str, str]]:
    """(name, source file, page index, exam, truth, lang) of the handwritten sample pages."""
    out = []
    for doc in discover([samples / "exams"]).documents:
        if doc.typed or doc.kind == "task":
            continue
        truths = sorted((samples / "ground-truth" / doc.id).glob("page-*.gt.txt"))
        files = sorted(p for p in doc.source.iterdir() if p.is_file() and p.suffix != ".yaml") \
            if doc.source.is_dir() else [doc.source] * len(truths)
        for i, truth in enumerate(truths):
            source, index = (files[i], 0) if doc.source.is_dir() else (doc.source, i)
            out.append((f"{doc.id}/{truth.name[:-7]}", source, index, doc.id.split("/")[0], truth.read_text(), "deu"))
    return out


def grown(quad: np.ndarray, margin: float) -> np.ndarray:
    """The piece's outline grown up and down by ``margin`` × its height (tall ascenders)."""
    q = np.asarray(quad, dtype=np.float32).copy()
    down = (q[3] - q[0] + q[2] - q[1]) / 2 * margin
    q[:2] -= down
    q[2:] += down
    return q


def read_page(engine: RapidOcrEngine, decoder: LineDecoder, bgr: np.ndarray, options: ScanOptions,
              margin: float = 0.0) -> Page:
    """Detect, group and score one page (the expensive part, cached)."""
    started = time.perf_counter()
    readable = prepare_page(engine, bgr, options, preprocess.Applied())[2]
    prepared = time.perf_counter()
    grey = readable if readable.ndim == 3 else np.dstack([readable] * 3)
    quads = engine.detect(grey)
    detected = time.perf_counter()
    page = Page("", "", "", "")
    greedy_lines = []
    lent = lookalikes(options.lang)
    for group in layout.group_pieces(quads, grey.shape[1]):
        scores = [decoder.scores(_crop(grey, grown(quads[i], margin))) for i in group.members]
        page.pieces.append([restrict(s, decoder.classes, lookalikes=lent)[0].astype(np.float32) for s in scores])
        greedy_lines.append(" ".join(filter(None, (greedy_decode(s, decoder.classes).strip() for s in scores))))
    page.greedy = "\n".join(greedy_lines)
    page.seconds = {"prepare": prepared - started, "detect": detected - prepared,
                    "recognise": time.perf_counter() - detected}
    return page


def load_pages(args, cache: Path) -> list[Page]:
    reader = args.reader or bundled_model()
    key = cache / (f"pages-{args.crop_margin}-{args.box_thresh}-{args.unclip_ratio}-{sha256_file(reader)[:12]}"
                   f"-{hashlib.sha256(repr(LOOKALIKES).encode()).hexdigest()[:6]}{'-collection' if args.collection else ''}.pickle")
    if key.is_file():
        return pickle.loads(key.read_bytes())
    config = Config()
    engine = RapidOcrEngine.build(EngineContext(), RapidOcrOptions(box_thresh=args.box_thresh,
                                                                    unclip_ratio=args.unclip_ratio))
    decoder = LineDecoder(reader, None)
    pages = []
    hn = args.hn2021 / "data" if args.hn2021 and (args.hn2021 / "data").is_dir() else args.hn2021
    letters = real_pages(args.handwriting, hn) if args.handwriting.is_dir() else []
    if args.collection and hn:
        letters += collection_pages(hn, args.handwriting)
    for name, path, group, truth, others, lang in letters:
        options = ScanOptions.from_config(config, lang=lang)
        page = read_page(engine, decoder, images.load_page(path, 0, dpi=options.dpi, max_pixels=options.max_pixels), options,
                         args.crop_margin)
        page.name, page.group, page.lang, page.truth, page.task, page.others = name, group, lang, truth, LETTERS_TASK, others
        pages.append(page)
        print(f"read {name}", file=sys.stderr)
    samples = sample_pages(args.samples)
    for name, source, index, exam, truth, lang in samples:
        options = ScanOptions.from_config(config, lang=lang)
        page = read_page(engine, decoder, images.load_page(source, index, dpi=options.dpi, max_pixels=options.max_pixels),
                         options, args.crop_margin)
        task = args.samples / "ground-truth" / exam / "aufgabe.gt.txt"
        others = [t for n, _, _, e, t, _ in samples if e == exam and n.rsplit("/", 1)[0] != name.rsplit("/", 1)[0]]
        page.name, page.group, page.lang, page.truth = name, exam, lang, truth
        page.task, page.others = task.read_text() if task.is_file() else "", "\n".join(others)
        pages.append(page)
        print(f"read {name}", file=sys.stderr)
    key.write_bytes(pickle.dumps(pages))
    return pages


def decode_page(page: Page, classes: list[str], language, params: BeamParams) -> tuple[str, list]:
    """The page's text and its words as (text, DecodedWord) under one decoder setting."""
    lines, words = [], []
    for pieces in page.pieces:
        texts = []
        for probs in pieces:
            decoded = beam_search(probs.astype(np.float64), classes, language.lm if language else None,
                                  language.lexicon if language else None, params)
            texts.append(decoded.text)
            words.extend(decoded.words)
        lines.append(" ".join(filter(None, texts)))
    return "\n".join(lines), words


def restricted_classes(decoder_classes: list[str]) -> list[str]:
    return restrict(np.ones((1, len(decoder_classes))), decoder_classes)[1]


def misread(truth: str, words: list[str]) -> list[bool]:
    matcher = difflib.SequenceMatcher(a=words, b=normalise(truth).split(), autojunk=False)
    correct = set()
    for block in matcher.get_matching_blocks():
        correct.update(range(block.a, block.a + block.size))
    return [i not in correct for i in range(len(words))]


def pooled(pairs) -> float:
    scores = [score(truth, text) for text, truth in pairs]
    return sum(s.char_errors for s in scores) / max(1, sum(s.chars for s in scores))


def flag_figures(outcomes: list[tuple[bool, bool, float]]) -> str:
    """Misread words flagged / all words flagged, as flagged by the engine and at 30 % flagged
    (the words with the lowest agreement first)."""
    misread = sum(bad for _, bad, _ in outcomes)
    flagged = [(flag, bad) for flag, bad, _ in outcomes]
    hit = sum(f and b for f, b in flagged) / max(1, misread)
    share = sum(f for f, _ in flagged) / max(1, len(flagged))
    ranked = sorted(outcomes, key=lambda o: (not o[0], o[2]))[: round(0.3 * len(outcomes))]
    at30 = sum(bad for _, bad, _ in ranked) / max(1, misread)
    return (f"{hit:.0%} of {misread} misread words flagged, {share:.0%} of {len(outcomes)} words flagged; "
            f"at 30 % flagged: {at30:.0%} (at most {min(1, 0.3 * len(outcomes) / max(1, misread)):.0%} possible)")


def measure(name: str, pages: list[Page], classes: list[str], params: BeamParams) -> list[str]:
    lines = [f"### {name}: {len(pages)} pages\n", "| decoding | page CER | WER | decoding s/page |", "|---|---|---|---|"]
    lines.append(f"| greedy, all classes (today) | {pooled([(p.greedy, p.truth) for p in pages]):.3f} | "
                 f"{pooled_wer([(p.greedy, p.truth) for p in pages]):.3f} | – |")
    notes = []
    for label, texts_of in (("(a) general LM + word list + task sheet", lambda p: (p.task,)),
                            ("(b) (a) + the collection's other pages confirmed", lambda p: (p.task, p.others))):
        started = time.perf_counter()
        pairs, outcomes = [], []
        for page in pages:
            language = language_model(page.lang, tuple(t for t in texts_of(page) if t))
            text, words = decode_page(page, classes, language, params)
            pairs.append((text, page.truth))
            bad = misread(page.truth, [w.text for w in words])
            outcomes += [(unsure(w, FLAG_BELOW), b, w.agreement)
                         for w, b in zip(words, bad)]
        seconds = (time.perf_counter() - started) / len(pages)
        lines.append(f"| beam {params.beam} + {label} | {pooled(pairs):.3f} | {pooled_wer(pairs):.3f} | {seconds:.2f} |")
        notes.append(f"- flags, beam {label}: {flag_figures(outcomes)}")
    return lines + [""] + notes + [""]


def timing(args, params: BeamParams) -> list[str]:
    """The rapidocr engine's whole ``recognize`` (detection included), greedy and beam alternating
    on the same prepared pages in one process: seconds per page and page CER. The beam engine
    has the task sheet as its exam text (case (a)); its language model is built before the clock."""
    config = Config()
    rows = []
    sets = [(sorted(args.handwriting.glob("*.jpg")), "eng", LETTERS_TASK, "handwriting-en")]
    samples = sample_pages(args.samples)
    sets.append(([(source, index, truth, exam) for _, source, index, exam, truth, _ in samples], "deu", None, "samples"))
    for items, lang, task, label in sets:
        if not items:
            continue
        options = ScanOptions.from_config(config, lang=lang)
        loaded = []  # (page image, truth, exam text)
        for item in items:
            if isinstance(item, Path):
                loaded.append((images.load_page(item, 0, dpi=options.dpi, max_pixels=options.max_pixels),
                               item.with_name(item.stem + ".gt.txt").read_text(), task))
            else:
                source, index, truth, exam = item
                sheet = args.samples / "ground-truth" / exam / "aufgabe.gt.txt"
                loaded.append((images.load_page(source, index, dpi=options.dpi, max_pixels=options.max_pixels), truth,
                               sheet.read_text() if sheet.is_file() else None))
        spent = {"greedy": 0.0, "beam": 0.0}
        pairs: dict[str, list] = {"greedy": [], "beam": []}
        engines: dict[tuple, RapidOcrEngine] = {}
        for bgr, truth, exam_text in loaded:
            for decoder in ("greedy", "beam"):
                key = (decoder, exam_text if decoder == "beam" else None)
                if key not in engines:
                    engines[key] = RapidOcrEngine.build(
                        EngineContext(lang=lang, exam_texts=(exam_text,) if key[1] else ()),
                        RapidOcrOptions(decoder=decoder, beam_width=params.beam, lm_weight=params.alpha,
                                        char_bonus=params.beta, unknown_word_penalty=params.gamma)
                    ).with_model(args.reader)
                    engines[key].reader()
                    if decoder == "beam":
                        engines[key].line_decoder()
                engine = engines[key]
                image = prepare_page(engine, bgr, options, preprocess.Applied())[2]
                started = time.perf_counter()
                text = engine.recognize(image, lang=lang).text
                spent[decoder] += time.perf_counter() - started
                pairs[decoder].append((text, truth))
        g, b = spent["greedy"] / len(loaded), spent["beam"] / len(loaded)
        rows.append(f"| {label} ({len(loaded)} pages) | {pooled(pairs['greedy']):.3f} | {pooled(pairs['beam']):.3f} | "
                    f"{g:.2f} | {b:.2f} | {b / g:.2f} |")
    return ["### The engine end to end, greedy and beam alternating page by page\n",
            "| pages | page CER greedy | page CER beam + LM (a) | greedy s/page | beam s/page | ratio |",
            "|---|---|---|---|---|---|", *rows, ""]


def pooled_wer(pairs) -> float:
    scores = [score(truth, text) for text, truth in pairs]
    return sum(s.word_errors for s in scores) / max(1, sum(s.words for s in scores))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--handwriting", type=Path, default=HANDWRITING)
    parser.add_argument("--hn2021", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/examkit-bench-decoder"))
    parser.add_argument("--crop-margin", type=float, default=0.0)
    parser.add_argument("--box-thresh", type=float, default=0.5)
    parser.add_argument("--unclip-ratio", type=float, default=1.6)
    parser.add_argument("--reader", type=Path, default=None,
                        help="another recognition model file (e.g. learned by `ocr learn` from the collection's other pages)")
    parser.add_argument("--collection", action="store_true",
                        help="also read the HN2021 pages that are not among the shared ones (--hn2021 with its images)")
    parser.add_argument("--no-timing", action="store_true", help="leave out the greedy vs beam timing run")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    out = [f"Decoding benchmark, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start; "
           f"reader {args.reader or 'bundled'}\n"]
    pages = load_pages(args, args.cache)
    classes = restricted_classes(LineDecoder(bundled_model(), None).classes)
    params = BeamParams()
    real = [p for p in pages if p.group == "letters"]
    if real:
        out += measure("handwriting-en (real cursive, English)", real, classes, params)
    collection = [p for p in pages if p.group == "collection"]
    if collection:
        out += measure("HN2021, the collection's other pages (real, English)", collection, classes, params)
    out += measure("samples (German, synthetic handwriting)", [p for p in pages if p.group not in ("letters", "collection")],
                   classes, params)
    if not args.no_timing:
        out += timing(args, params)
    out.append(f"Total {time.monotonic() - started:.0f} s; load average {os.getloadavg()[0]:.1f} at the end.")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
