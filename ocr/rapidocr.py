"""The default reader of handwriting: RapidOCR running PaddleOCR's PP-OCRv6 small models.

``rapidocr`` (Apache-2.0) ships the PP-OCRv6 small detection and recognition models (ONNX, Apache-2.0,
31 MB) inside its wheel and runs them with ``onnxruntime`` on the CPU. examkit uses only those
bundled files: both model paths are given explicitly, so rapidocr's downloader is never reached,
and :meth:`RapidOcrEngine.check` verifies them by SHA-256 before a batch (a changed file is one
clear line, never a silent download). The direction classifier is not used (pages are upright
after :mod:`ocr.preprocess`).

A page is read in two steps, so lines exist even where recognition reads little:

1. the detector outlines pieces of text; :mod:`ocr.layout` joins them into written lines (reading
   order, margin notes apart);
2. the recogniser reads each piece; its characters' positions give words with boxes and
   confidences, and :mod:`ocr.flags` decides which to flag. A line whose text is empty or unsure
   is kept and flagged.

Decoding (``decoder``): ``beam`` (the default) runs the recognition model itself and decodes its
per-step probabilities with :mod:`ocr.decoder`: beam search with a language model of ``lang``
and the exam's own text (``exam_texts``, filled by :func:`ocr.factory.engine_for`); a word's
confidence is then the beams' agreement on it. ``greedy`` keeps rapidocr's letter-by-letter text.

:meth:`RapidOcrEngine.read_line` reads one line crop without detection (the review page's line
editor after a person moves a line's outline). ``[ocr.rapidocr] rec_model`` swaps in another
recognition model file (a model learned from a school's own pages). One inference thread per
process: the batch's worker pool is the parallelism.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from examkit.errors import ExamkitError, MissingDependencyError, UserInputError
from examkit.models import Line, PageOCR, Word
from ocr import layout
from ocr.ctc_beam import BeamParams
from ocr.decoder import LineDecoder, confidence, general_model, language_model, unsure
from ocr.engine import EngineBase, EngineContext, EngineInput
from ocr.flags import should_flag
from ocr.learn.recogniser import batch_width, line_width, soften_ink

#: The model files examkit uses from rapidocr's wheel (rapidocr 3.10), with their SHA-256.
BUNDLED_MODELS: dict[str, tuple[str, str]] = {
    "det": ("PP-OCRv6_det_small.onnx", "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f"),
    "rec": ("PP-OCRv6_rec_small.onnx", "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884"),
}
REINSTALL = "pip install --force-reinstall 'rapidocr>=3.10,<4'"


def models_dir() -> Path | None:
    """The ``models`` folder inside the installed rapidocr package (found without importing it)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def model_status() -> list[dict]:
    """Each bundled model file: path, whether present, whether its SHA-256 matches (``doctor``)."""
    folder = models_dir()
    rows = []
    for role, (name, digest) in BUNDLED_MODELS.items():
        path = folder / name if folder else None
        present = bool(path and path.is_file())
        rows.append({"role": role, "name": name, "path": str(path) if path else None, "present": present,
                     "ok": present and path is not None and _sha256(str(path), path.stat().st_mtime_ns) == digest})
    return rows


@lru_cache(maxsize=8)
def _sha256(path: str, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_models() -> dict[str, Path]:
    """The bundled model paths, verified; raises one clear line for a missing or changed file."""
    folder = models_dir()
    if folder is None:
        raise MissingDependencyError("the rapidocr Python package (reads handwriting)", install=REINSTALL)
    paths = {}
    for row in model_status():
        if not row["present"]:
            raise MissingDependencyError(f"rapidocr model file {row['path']} (missing)", install=REINSTALL)
        if not row["ok"]:
            raise ExamkitError(f"rapidocr model file {row['path']} has changed (SHA-256 differs from rapidocr 3.10's)",
                               advice=f"Reinstall the bundled models: {REINSTALL}")
        paths[row["role"]] = Path(row["path"])
    return paths


def check_rec_model(path: Path) -> None:
    """Another recognition model must be an ONNX file with its character list inside (metadata
    ``character``, as PP-OCR's exports have): without it rapidocr would fetch a list from the net."""
    if not path.is_file():
        raise UserInputError(f"{path}: recognition model file not found (ocr.rapidocr.rec_model)",
                             advice="Give the path of an ONNX recognition model, or remove rec_model.")
    import onnxruntime

    try:
        session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime's own exception types vary by version
        raise UserInputError(f"{path}: not a readable ONNX model ({type(exc).__name__})",
                             advice="Give an ONNX recognition model (ocr.rapidocr.rec_model).") from exc
    if "character" not in session.get_modelmeta().custom_metadata_map:
        raise UserInputError(f"{path}: the model has no character list inside (ONNX metadata 'character')",
                             advice="Export the model with its characters embedded, as PP-OCR's ONNX exports do.")


class RapidOcrOptions(BaseModel):
    """``[ocr.rapidocr]`` and ``-o key=value``: the PP-OCRv6 reader's options (defaults measured in BENCHMARKS.md)."""

    model_config = ConfigDict(extra="forbid")

    input: Literal["grey", "cleaned"] = Field("grey", description="grey student layer, or the binarised one")
    preprocess: list[str] = Field(default_factory=lambda: ["page", "illumination", "deskew", "border"],
                                  description="steps for this engine's pages (instead of [ocr] preprocess)")
    flag_below: float = Field(80.0, ge=0, le=100, description="flag words with a lower confidence")
    rec_model: str | None = Field(None, description="another recognition model file (ONNX); None: the bundled one")
    max_side: int = Field(1600, ge=640, le=4000, description="detector: longest side the page is shrunk to")
    box_thresh: float = Field(0.5, gt=0, lt=1, description="detector: lowest score of a text piece")
    unclip_ratio: float = Field(1.6, gt=0, le=4, description="detector: how far outlines grow around the ink")
    decoder: Literal["beam", "greedy"] = Field("beam", description="beam: beam search with the language model "
                                               "(the exam's language and its text); greedy: letter by letter")
    beam_width: int = Field(16, ge=1, le=256, description="decoder: prefixes kept at each step")
    lm_weight: float = Field(0.45, ge=0, le=5, description="decoder: weight of the character language model")
    char_bonus: float = Field(2.0, ge=0, le=10, description="decoder: reward per read letter or space")
    unknown_word_penalty: float = Field(1.5, ge=0, le=20,
                                        description="decoder: penalty per word in neither the word list nor the exam's text")


@dataclass
class RapidOcrEngine(EngineBase):
    """PP-OCRv6 through rapidocr. Picklable: the ONNX sessions are made on first use in each process."""

    lang: str = "deu"
    flag_below: float = 80.0
    input: EngineInput = "grey"
    steps: tuple[str, ...] | None = None
    rec_model: Path | None = None  #: another recognition model (ONNX with its character list inside)
    max_side: int = 1600  #: detector: the page is shrunk to this longest side (memory and time)
    box_thresh: float = 0.5  #: detector: lowest mean score of a text piece
    unclip_ratio: float = 1.6  #: detector: how far a piece's outline is grown around its ink
    word_list: frozenset[str] | None = field(default=None, repr=False)
    decoder: Literal["beam", "greedy"] = "beam"
    beam: BeamParams = BeamParams()
    exam_texts: tuple[str, ...] = field(default=(), repr=False)  #: task sheets, confirmed lines (the LM's text)
    name: str = "rapidocr"
    reads_lines = True
    learns = True
    uses_exam_text = True
    Options = RapidOcrOptions
    _reader: object | None = field(default=None, init=False, repr=False, compare=False)
    _decoder: LineDecoder | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, context: EngineContext, options: RapidOcrOptions) -> RapidOcrEngine:
        from ocr.preprocess import check_steps

        return cls(lang=context.lang, flag_below=options.flag_below, input=options.input,
                   steps=check_steps(options.preprocess, "ocr.rapidocr.preprocess"),
                   rec_model=Path(options.rec_model).expanduser() if options.rec_model else None,
                   max_side=options.max_side, box_thresh=options.box_thresh, unclip_ratio=options.unclip_ratio,
                   word_list=context.word_list, decoder=options.decoder, exam_texts=context.exam_texts,
                   beam=BeamParams(beam=options.beam_width, alpha=options.lm_weight, beta=options.char_bonus,
                                   gamma=options.unknown_word_penalty))

    def with_model(self, model: Path | None) -> RapidOcrEngine:
        return self if model == self.rec_model else replace(self, rec_model=model)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_reader"] = state["_decoder"] = None
        return state

    @property
    def label(self) -> str:
        """``rapidocr``, or ``rapidocr:model.onnx`` when another recognition model reads (``ocr eval``)."""
        return f"{self.name}:{self.rec_model.name}" if self.rec_model else self.name

    def check(self) -> None:
        for module in ("rapidocr", "onnxruntime"):
            if importlib.util.find_spec(module) is None:
                raise MissingDependencyError(f"the {module} Python package (reads handwriting)",
                                             install="pip install 'rapidocr>=3.10,<4' onnxruntime")
        verify_models()
        if self.rec_model is not None:
            check_rec_model(self.rec_model)
        if self.decoder == "beam":
            general_model(self.lang)  # built (and stored) once here, not in every worker at once

    def reader(self):
        """The rapidocr pipeline on the bundled files (made once per process, one thread)."""
        if self._reader is None:
            from rapidocr import RapidOCR

            paths = verify_models()
            rec = self.rec_model or paths["rec"]
            self._reader = RapidOCR(params={
                "Global.log_level": "error", "Global.use_cls": False, "Global.max_side_len": self.max_side,
                "Det.model_path": str(paths["det"]), "Rec.model_path": str(rec),
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            })
        return self._reader

    def line_decoder(self) -> LineDecoder:
        """The beam-search decoder on the model that reads, with the language model of ``lang`` and
        the exam's text (built once per process; see :mod:`ocr.decoder`)."""
        if self._decoder is None:
            model = self.rec_model or verify_models()["rec"]
            self._decoder = LineDecoder(model, language_model(self.lang, self.exam_texts, self.word_list), self.beam)
        return self._decoder

    # -- reading -------------------------------------------------------------------------------
    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        bgr = soften_ink(_bgr(image))
        height, width = bgr.shape[:2]
        quads = self.detect(bgr)
        pieces = self._read_pieces(bgr, quads)
        lines = []
        for group in layout.group_pieces(quads, width):
            members = [pieces[i] for i in group.members]
            words = [w for piece in members for w in piece.words]
            piece_quads = [quads[i] for i in group.members]
            polygon = layout.outline(piece_quads)
            xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
            conf = min(p.conf for p in members)
            lines.append(Line(
                words=words, bbox=(max(0, min(xs)), max(0, min(ys)), min(width, max(xs)), min(height, max(ys))),
                block=2 if group.margin else 1, polygon=polygon, baseline=layout.baseline(piece_quads),
                layer="margin" if group.margin else "student", conf=conf,
                flagged=not words or conf < self.flag_below or any(w.flagged for w in words)))
        result = PageOCR(engine=self.name, lines=lines, width=width, height=height)
        if not lines:
            result.warnings.append("no text found on the page")
        elif not any(line.words for line in lines):
            result.warnings.append(f"{len(lines)} lines found but none could be read")
        return result

    def detect(self, bgr: np.ndarray) -> list[np.ndarray]:
        """The detector's text pieces as 4x2 quadrilaterals in the page's pixels (ink softened first)."""
        found = self.reader()(soften_ink(bgr), use_det=True, use_cls=False, use_rec=False, return_word_box=False,
                              box_thresh=self.box_thresh, unclip_ratio=self.unclip_ratio)
        boxes = getattr(found, "boxes", None)
        return [] if boxes is None else [np.asarray(b, dtype=np.float32).reshape(4, 2) for b in boxes]

    def read_line(self, crop: np.ndarray, *, lang: str) -> Line:
        """One line from its crop, no detection; word boxes in the crop's pixels."""
        bgr = soften_ink(_bgr(crop))
        h, w = bgr.shape[:2]
        quad = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
        piece = self._read_pieces(bgr, [quad])[0]
        return Line(words=piece.words, bbox=(0, 0, int(w), int(h)), polygon=layout.outline([quad]),
                    baseline=layout.baseline([quad]), conf=piece.conf,
                    flagged=not piece.words or piece.conf < self.flag_below or any(x.flagged for x in piece.words))

    def _read_pieces(self, bgr: np.ndarray, quads: list[np.ndarray]) -> list[_Read]:
        """Recognise each piece: its words (page pixels), and its confidence 0-100 (0 when empty)."""
        if not quads:
            return []
        crops = [_crop(bgr, q) for q in quads]
        if self.decoder == "beam":
            return [self._decoded_piece(crop, quad) for crop, quad in zip(crops, quads)]
        reader = self.reader()
        reader.update_params(return_word_box=True)
        try:
            rec = reader.recognize_txt(crops)
        except Exception as exc:  # rapidocr raises its own error for "nothing recognised"
            if type(exc).__name__ != "RapidOCRError":
                raise
            return [_Read([], 0.0) for _ in quads]
        texts, scores = list(rec.txts or ()), list(rec.scores or ())
        infos = list(rec.word_results or ())
        out = []
        for i, quad in enumerate(quads):
            text = texts[i] if i < len(texts) else ""
            conf = round(max(0.0, min(100.0, float(scores[i]) * 100)), 1) if text.strip() else 0.0
            info = infos[i] if i < len(infos) else None
            words = [Word(text=t, conf=c, bbox=b, flagged=should_flag(t, c, self.flag_below, self.word_list))
                     for t, c, b in word_boxes(text, info, crops[i].shape[1], quad, conf)]
            out.append(_Read(words, conf))
        return out

    def _decoded_piece(self, crop: np.ndarray, quad: np.ndarray) -> _Read:
        """One piece read by beam search: a word's confidence is the beams' agreement on it (0-100),
        and a word in neither the word list nor the exam's text is flagged too."""
        decoder = self.line_decoder()
        scores = decoder.scores(crop)
        decoded = decoder.decode(scores)
        if not decoded.words:
            return _Read([], 0.0)
        step = batch_width([crop]) / scores.shape[0] * crop.shape[1] / line_width(crop)
        words = []
        for word in decoded.words:
            first, last = decoded.chars[word.first].step, decoded.chars[word.last].step
            words.append(Word(text=word.text, conf=confidence(word),
                              bbox=_span_box(quad, crop.shape[1], first * step, (last + 1) * step),
                              flagged=unsure(word, self.flag_below, self.word_list)))
        conf = round(100 * float(np.mean([c.prob for c in decoded.chars if c.char != " "])), 1)
        return _Read(words, conf)


def word_boxes(text: str, info, crop_width: int, quad: np.ndarray, line_conf: float):
    """(text, confidence 0-100, bbox in page pixels) for each space-separated word of a piece.

    The recogniser (CTC) gives every character a column of its output and a probability. A word's
    confidence is its *least* sure character's (one misread letter makes a misread word), and its
    box spans its characters' columns, mapped along the piece's quadrilateral. Where the columns
    are missing, words share the piece's width by length and take the piece's confidence.
    rapidocr's own word boxes are not used: they split words at gaps rather than spaces and pair
    words with the wrong characters' probabilities (rapidocr 3.10).
    """
    chars = list(text)
    confs = list(getattr(info, "confs", None) or [])
    cols = [c for word in (getattr(info, "word_cols", None) or []) for c in word]
    length = float(getattr(info, "line_txt_len", 0) or 0)
    placed = [i for i, ch in enumerate(chars) if not ch.isspace()]
    exact = len(confs) == len(chars) and len(cols) == len(placed) and length > 0
    column = dict(zip(placed, cols))
    runs: list[list[int]] = []
    current: list[int] = []
    for i, ch in enumerate(chars):
        if ch.isspace():
            if current:
                runs.append(current)
            current = []
        else:
            current.append(i)
    if current:
        runs.append(current)
    total = max(1, len(text.strip()))
    out = []
    for run in runs:
        word = "".join(chars[i] for i in run)
        if exact:
            step = crop_width / length
            a, b = (column[run[0]] - 0.5) * step, (column[run[-1]] + 1.5) * step
            conf = round(100 * min(confs[i] for i in run), 1)
        else:
            start = len(text[: run[0]].lstrip())
            a, b = crop_width * start / total, crop_width * (start + len(run)) / total
            conf = line_conf
        out.append((word, max(0.0, min(100.0, conf)), _span_box(quad, crop_width, a, b)))
    return out


def _span_box(quad: np.ndarray, crop_width: int, a: float, b: float) -> tuple[int, int, int, int]:
    """The page-pixel box of the part of a piece between crop columns ``a`` and ``b``, mapped along
    the piece's quadrilateral."""
    q = np.asarray(quad, dtype=np.float64)
    a, b = max(0.0, a) / max(1, crop_width), min(float(crop_width), b) / max(1, crop_width)
    points = np.array([q[0] + (q[1] - q[0]) * a, q[0] + (q[1] - q[0]) * b,
                       q[3] + (q[2] - q[3]) * b, q[3] + (q[2] - q[3]) * a])
    return (int(points[:, 0].min()), int(points[:, 1].min()), int(np.ceil(points[:, 0].max())),
            int(np.ceil(points[:, 1].max())))


@dataclass
class _Read:
    words: list[Word]
    conf: float


def _bgr(image: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def _crop(bgr: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """The piece straightened into its own image (perspective warp of its quadrilateral)."""
    import cv2

    q = np.asarray(quad, dtype=np.float32)
    width = max(1, int(max(np.linalg.norm(q[0] - q[1]), np.linalg.norm(q[2] - q[3]))))
    height = max(1, int(max(np.linalg.norm(q[0] - q[3]), np.linalg.norm(q[1] - q[2]))))
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(q, target)
    return cv2.warpPerspective(bgr, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
