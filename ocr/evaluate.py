"""Measuring OCR engines on a school's own pages: CER and WER against exact transcriptions.

Input is a folder of page (or line) images with ``NAME.gt.txt`` beside each ``NAME.png`` /
``.jpg`` / ``.tif`` (the layout ``examkit export ocr-gt`` writes). Each image is prepared the way
``ocr scan`` prepares it (geometry and light, red ink removed, cleaned; ``raw`` skips that, for line
crops) and read by every engine given, so the engines are compared on the same pixels.

Normalisation, applied to reference and reading alike before comparing: Unicode NFC, every run
of whitespace (line breaks included) becomes one space, leading and trailing space is dropped.
Case and punctuation are kept: a pupil's ``das``/``dass`` or a missing comma is exactly what the
Fehleranalyse is about. Line breaks are not scored (engines split lines differently).

- CER = Levenshtein distance between the normalised texts / characters of the reference.
- WER = Levenshtein distance between their word sequences / words of the reference.
- Overall figures are pooled: summed distances / summed reference lengths (long pages weigh more).
- A page an engine fails on counts as an empty reading (distance = reference length) and its
  error is reported; ``seconds`` is the engine's time for the page (preparation not included).
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from examkit.errors import ExamkitError, UserInputError
from ocr import images, preprocess
from ocr.engine import Engine
from ocr.intake import natural_key
from ocr.page import ScanOptions
from ocr.page import prepare as prepare_page

if TYPE_CHECKING:
    from examkit.workspace import Workspace

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
GT_SUFFIX = ".gt.txt"


def normalise(text: str) -> str:
    """The text as it is scored: NFC, whitespace runs collapsed to one space, case and punctuation kept."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Score:
    char_errors: int
    chars: int
    word_errors: int
    words: int

    @property
    def cer(self) -> float:
        return self.char_errors / self.chars if self.chars else float(self.char_errors > 0)

    @property
    def wer(self) -> float:
        return self.word_errors / self.words if self.words else float(self.word_errors > 0)


def score(reference: str, reading: str) -> Score:
    ref, hyp = normalise(reference), normalise(reading)
    return Score(Levenshtein.distance(ref, hyp), len(ref), Levenshtein.distance(ref.split(), hyp.split()),
                 len(ref.split()))


@dataclass
class FileResult:
    file: str
    engine: str
    cer: float
    wer: float
    char_errors: int
    chars: int
    word_errors: int
    words: int
    seconds: float
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class EngineSummary:
    engine: str
    files: int
    failed: int
    cer: float
    wer: float
    seconds_per_page: float


@dataclass
class EvalReport:
    folder: str
    engines: list[str]
    files: list[FileResult]
    summary: list[EngineSummary]
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"folder": self.folder, "engines": self.engines, "normalisation": "NFC, whitespace collapsed, "
                "case and punctuation kept", "summary": [asdict(s) for s in self.summary],
                "files": [asdict(f) for f in self.files],
                "skipped": [{"file": f, "reason": r} for f, r in self.skipped]}


def find_pairs(folder: Path) -> tuple[list[tuple[Path, Path]], list[tuple[str, str]]]:
    """(image, ground truth) pairs under ``folder`` in natural order, and what was skipped, why."""
    if not folder.is_dir():
        raise UserInputError(f"{folder}: not a folder", advice="Give a folder of images with NAME.gt.txt beside them.")
    pairs, skipped = [], []
    for gt in sorted(folder.rglob(f"*{GT_SUFFIX}"), key=lambda p: natural_key(str(p.relative_to(folder)))):
        stem = gt.name[: -len(GT_SUFFIX)]
        found = [gt.with_name(stem + s) for s in IMAGE_SUFFIXES + tuple(s.upper() for s in IMAGE_SUFFIXES)]
        image = next((p for p in found if p.exists()), None)
        if image is None:
            skipped.append((str(gt), "no image beside it"))
        else:
            pairs.append((image, gt))
    if not pairs:
        raise UserInputError(f"{folder}: no images with a NAME.gt.txt beside them",
                             advice="Use the layout of `examkit export ocr-gt`: NAME.png + NAME.gt.txt.")
    return pairs, skipped


def prepare(path: Path, options: ScanOptions, engine: Engine, *, raw: bool = False) -> np.ndarray:
    """The image ``engine`` reads: exactly what ``ocr scan`` hands it, or the grey image for ``raw``."""
    import cv2

    bgr = images.load_page(path, 0, dpi=options.dpi, max_pixels=options.max_pixels)
    if raw:
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    return prepare_page(engine, bgr, options, preprocess.Applied())[2]


def evaluate(folder: Path, engines: list[Engine], options: ScanOptions, *, raw: bool = False,
             on_file: Callable[[Path], None] | None = None) -> EvalReport:
    """Read every image of ``folder`` with every engine and score it against its ground truth."""
    pairs, skipped = find_pairs(folder)
    results: list[FileResult] = []
    for image_path, gt_path in pairs:
        if on_file:
            on_file(image_path)
        name = str(image_path.relative_to(folder))
        reference = gt_path.read_text(encoding="utf-8")
        for engine in engines:
            try:
                image = prepare(image_path, options, engine, raw=raw)
            except ExamkitError as exc:
                skipped.append((name, exc.one_line()))
                break
            started = time.perf_counter()
            error, warnings, reading = None, [], ""
            try:
                result = engine.recognize(image, lang=options.lang)
                reading, warnings = result.text, result.warnings
            except ExamkitError as exc:
                error = exc.one_line()
            seconds = time.perf_counter() - started
            s = score(reference, reading)
            results.append(FileResult(name, engine.label, round(s.cer, 4), round(s.wer, 4), s.char_errors, s.chars,
                                      s.word_errors, s.words, round(seconds, 3), error, list(warnings)))
    return EvalReport(str(folder), [e.label for e in engines], results, summarise(results), skipped)


def summarise(results: list[FileResult]) -> list[EngineSummary]:
    """Pooled CER/WER and mean seconds per page for each engine, in the order first seen."""
    order = list(dict.fromkeys(r.engine for r in results))
    summary = []
    for name in order:
        rows = [r for r in results if r.engine == name]
        chars, words = sum(r.chars for r in rows), sum(r.words for r in rows)
        char_errors = sum(r.char_errors for r in rows)
        word_errors = sum(r.word_errors for r in rows)
        summary.append(EngineSummary(
            engine=name, files=len(rows), failed=sum(r.error is not None for r in rows),
            cer=round(char_errors / chars, 4) if chars else 0.0, wer=round(word_errors / words, 4) if words else 0.0,
            seconds_per_page=round(sum(r.seconds for r in rows) / len(rows), 3)))
    return summary


def build_engines(ws: Workspace, names: list[str], *, lang: str | None = None, **options: Any) -> list[Engine]:
    """The engines to compare, each as the workspace reads with it (:func:`ocr.factory.engine_for`).

    Each engine gets the options it has (``--model`` goes to vlm only); an option none of them
    has is refused."""
    from ocr.engine import engine_class
    from ocr.factory import engine_for

    given = {key: value for key, value in options.items() if value is not None}
    classes = {name: engine_class(name) for name in dict.fromkeys(names)}
    unused = set(given) - {key for cls in classes.values() for key in cls.Options.model_fields}
    if unused:
        raise UserInputError(f"no engine compared has the option {sorted(unused)[0]!r}",
                             advice="Leave it out, or add the engine it belongs to (--engine).")
    return [engine_for(ws, name, lang=lang, **{k: v for k, v in given.items() if k in cls.Options.model_fields})
            for name, cls in classes.items()]


def run_eval(folder: Path, names: list[str], ws: Workspace, *, lang: str | None = None, raw: bool = False,
             yes: bool = False, inform: Callable[[str], None] = lambda _: None, **engine_options: Any) -> EvalReport:
    """``examkit ocr eval``: check the engines, disclose (and get consent) where pages go, evaluate.

    ``engine_options`` (``-o``, ``--model``) go to every engine compared; one that lacks an option
    says so."""
    options = ScanOptions.from_config(ws.config, lang=lang)
    engines = build_engines(ws, names, lang=lang, **engine_options)
    pairs, _ = find_pairs(folder)
    for engine in engines:
        engine.check()
        if engine.sends_pages:
            inform(engine.confirm_sending(len(pairs), yes=yes).statement)
    return evaluate(folder, engines, options, raw=raw, on_file=lambda p: inform(f"reading {p.name}"))
