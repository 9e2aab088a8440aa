"""One page's work, as a picklable function of (task, context) that a worker process runs.

Load the page, preprocess it, split the red ink, read the student layer, find the teacher's
marks and return the reading with the page images encoded as JPEG bytes. Nothing here touches the
workspace: the scanning process writes the images and commits the reading (:mod:`ocr.batch`), so
the same function runs in a local worker process or on another machine of a Dask cluster, which
sees neither the workspace nor (when given the file's bytes) the scan folder. Every error a page
can have comes back as a reason string, so one bad page never stops a batch.
"""

from __future__ import annotations

import re
import resource
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from examkit.errors import ExamkitError, InputFileError
from examkit.files import atomic_write_bytes
from examkit.models import PageOCR
from ocr import images, ink, marks, notes, preprocess
from ocr.engine import Engine

JPEG_QUALITY = 90


@dataclass(frozen=True)
class ScanOptions:
    """How a batch reads pages; built from ``examkit.toml`` and the command line."""

    lang: str = "deu"
    dpi: int = 300
    max_pixels: int = 80_000_000
    steps: tuple[str, ...] = preprocess.STEPS
    red_ink: bool = True
    red_hues: tuple[tuple[int, int], ...] = ink.DEFAULT_RED_HUES
    force: bool = False
    workers: int = 0
    save_steps: Path | None = None
    hocr: Path | None = None
    cluster: str | None = None  #: a Dask scheduler's address (``tcp://host:8786``); None: this machine

    @classmethod
    def from_config(cls, config, **overrides) -> ScanOptions:
        ocr = config.ocr
        values = dict(lang=ocr.lang, dpi=ocr.dpi, max_pixels=ocr.max_pixels, steps=preprocess.check_steps(ocr.preprocess),
                      red_ink=ocr.red_ink, workers=ocr.workers, cluster=ocr.cluster)
        hues = getattr(ocr, "red_hues", None)
        if hues:
            values["red_hues"] = tuple(tuple(h) for h in hues)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


@dataclass(frozen=True)
class PageTask:
    document_id: str
    number: int  #: page number within the document (1-based)
    path: str  #: the file the page is in
    index: int  #: page within that file (0-based)
    source_hash: str
    key: str  #: how failures name this page (the file, plus the page for multi-page files)
    #: the document's file name for --save-steps and --hocr (:class:`examkit.files.FileNames`)
    file_name: str = ""


@dataclass(frozen=True)
class PageContext:
    engine: Engine
    options: ScanOptions


@dataclass
class PageOutcome:
    task: PageTask
    result: PageOCR | None = None
    image: bytes = b""  #: the normalised page, JPEG
    student: bytes = b""  #: the normalised page without the teacher's red ink, JPEG (only where there is red ink)
    original: bytes = b""  #: the page as loaded, JPEG
    hocr: bytes | None = None  #: with ``options.hocr``
    hocr_image: bytes | None = None  #: the image the hOCR was read from, PNG
    width: int = 0
    height: int = 0
    error: str | None = None
    seconds: float = 0.0
    peak_rss_kb: int = field(default=0)


def process_page(task: PageTask, ctx: PageContext, source: bytes | None = None) -> PageOutcome:
    """Read one page; never raises (a failure is the outcome's ``error``). ``source`` is the
    content of ``task.path`` for a worker that cannot open that file itself."""
    started = time.monotonic()
    try:
        outcome = _process(task, ctx, source)
    except ExamkitError as exc:
        outcome = PageOutcome(task=task, error=exc.one_line())
    except MemoryError:
        outcome = PageOutcome(task=task, error="out of memory reading this page; try a lower --dpi")
    except Exception as exc:  # a bug or an unforeseen library error: the batch goes on
        outcome = PageOutcome(task=task, error=f"internal error: {type(exc).__name__}: {exc}")
    outcome.seconds = time.monotonic() - started
    outcome.peak_rss_kb = peak_rss_kb()
    return outcome


def separate_page(original: np.ndarray, options: ScanOptions, applied: preprocess.Applied,
                  record=None, *, steps: tuple[str, ...] | None = None) -> tuple[np.ndarray, ink.InkLayers]:
    """The normalised page (flat, straight, scaled) and its student and teacher ink layers;
    ``steps`` (an engine's own) replace ``options.steps``."""
    page = preprocess.normalise(original, options.steps if steps is None else steps, applied, record)
    if not options.red_ink:
        return page, ink.InkLayers(student=page, teacher=np.zeros(page.shape[:2], np.uint8))
    layers = ink.separate(page, options.red_hues)
    if layers.teacher.any():
        applied.add("red-ink")
        if record:
            record("student", layers.student)
            record("teacher", ink.teacher_image(layers.teacher))
    return page, layers


def engine_steps(engine: Engine, options: ScanOptions) -> tuple[str, ...]:
    """The preprocessing steps for ``engine``'s pages: its own list where it has one."""
    return options.steps if engine.steps is None else engine.steps


def prepare(engine: Engine, original: np.ndarray, options: ScanOptions, applied: preprocess.Applied,
            record=None) -> tuple[np.ndarray, ink.InkLayers, np.ndarray]:
    """The normalised page, its ink layers and the image ``engine`` reads (its ``input``): the
    cleaned (binarised) student layer, which suits Tesseract, or the grey student layer, red ink
    removed but strokes and paper left as they are, which suits learned readers (trained on
    photographs). ``ocr scan`` and ``ocr eval`` both prepare pages here, so they read the same pixels."""
    steps = engine_steps(engine, options)
    page, layers = separate_page(original, options, applied, record, steps=steps)
    if engine.input == "grey":
        student = layers.student
        return page, layers, cv2.cvtColor(student, cv2.COLOR_BGR2GRAY) if student.ndim == 3 else student
    return page, layers, preprocess.clean(layers.student, steps, applied, record)


def _process(task: PageTask, ctx: PageContext, source: bytes | None) -> PageOutcome:
    options = ctx.options
    record = _recorder(options.save_steps / task.file_name / f"p{task.number:04d}") if options.save_steps else None
    original = _load(task, options, source)
    original_jpeg = _encode(task, ".jpg", original)
    if record:
        record("original", original)

    engine = ctx.engine
    applied = preprocess.Applied()
    page, layers, readable = prepare(engine, original, options, applied, record)
    result = engine.recognize(readable, lang=options.lang)
    fallback = (lambda crop: engine.read_line(crop, lang=options.lang).text) if engine.reads_lines else None
    reader = notes.NoteReader(fallback)
    result.marks, result.teacher_text = marks.detect(layers.teacher, result.lines, reader)
    result.steps = applied.steps
    result.width, result.height = int(page.shape[1]), int(page.shape[0])
    hocr = engine.hocr(readable, lang=options.lang) if options.hocr else None
    hocr_image = _encode(task, ".png", readable) if options.hocr else None
    student = _encode(task, ".jpg", layers.student) if layers.teacher.any() else b""
    return PageOutcome(task=task, result=result, image=_encode(task, ".jpg", page), student=student,
                       original=original_jpeg, hocr=hocr,
                       hocr_image=hocr_image, width=result.width, height=result.height)


def write_hocr(path: Path, hocr: bytes, png: bytes) -> None:
    """An hOCR file with the image it was read from beside it (``NAME.png``), named in its page's
    ``title`` instead of the engine's temporary file, so hOCR viewers and tools find the image."""
    picture = path.with_suffix(".png")
    atomic_write_bytes(picture, png)
    named = re.sub(rb'image "[^"]*"', b'image "' + picture.name.encode() + b'"', hocr, count=1)
    named = re.sub(rb"image &quot;.*?&quot;", b"image &quot;" + picture.name.encode() + b"&quot;", named, count=1)
    atomic_write_bytes(path, named)


def _load(task: PageTask, options: ScanOptions, source: bytes | None) -> np.ndarray:
    """The page as loaded from its file, or from the file's bytes through a private temporary copy
    (PDF pages are rendered by a program that reads files); errors name the original file."""
    if source is None:
        return images.load_page(Path(task.path), task.index, dpi=options.dpi, max_pixels=options.max_pixels)
    with tempfile.TemporaryDirectory(prefix="examkit-page-") as folder:
        copy = Path(folder) / Path(task.path).name
        copy.write_bytes(source)
        try:
            return images.load_page(copy, task.index, dpi=options.dpi, max_pixels=options.max_pixels)
        except InputFileError as exc:
            raise InputFileError(task.path, exc.reason, line=exc.line, advice=exc.advice) from exc


def _encode(task: PageTask, suffix: str, image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(suffix, image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY] if suffix == ".jpg" else [])
    if not ok:
        raise ExamkitError(f"{task.key}: could not encode the page image")
    return data.tobytes()


def _recorder(prefix: Path):
    """``--save-steps``: every intermediate image as ``p0001-03-deskew.png``."""
    counter = iter(range(1, 100))

    def record(name: str, image: np.ndarray) -> None:
        ok, data = cv2.imencode(".png", image)
        if ok:
            atomic_write_bytes(prefix.with_name(f"{prefix.name}-{next(counter):02d}-{name}.png"), data.tobytes())

    return record


def peak_rss_kb() -> int:
    """Peak resident memory of this process and of its largest finished child (tesseract), KiB."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
