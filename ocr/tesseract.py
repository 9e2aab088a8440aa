"""The Tesseract engine (through pytesseract): words with confidences and boxes, grouped in lines.

Implements :class:`ocr.engine.Engine` (reads the cleaned page, re-reads lines, writes hOCR). One
function, :func:`parse_data`, interprets Tesseract's word table; everything about flagging is in
:mod:`ocr.flags`. :meth:`TesseractEngine.check` is the only place a scan asks for Tesseract and its
language data, so scanning with another engine needs neither. Workers set
``OMP_THREAD_LIMIT=1`` (see :mod:`ocr.batch`): Tesseract's own threads only fight the process
pool for the same cores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from examkit.errors import ExternalProgramError, MissingDependencyError
from examkit.models import Line, PageOCR, Word
from ocr import programs
from ocr.engine import EngineBase, EngineContext
from ocr.flags import should_flag


class TesseractOptions(BaseModel):
    """``[ocr.tesseract]`` and ``-o key=value``: Tesseract for printed task sheets."""

    model_config = ConfigDict(extra="forbid")

    psm: int = Field(4, ge=0, le=13, description="page segmentation mode")
    flag_below: float | None = Field(None, ge=0, le=100, description="None: [ocr] flag_below")


@dataclass
class TesseractEngine(EngineBase):
    """Tesseract as a page reader. Picklable: plain settings only."""

    lang: str = "deu"
    flag_below: float = 70.0
    psm: int = 4
    word_list: frozenset[str] | None = field(default=None, repr=False)
    name: str = "tesseract"
    Options = TesseractOptions
    reads_lines = True
    writes_hocr = True

    @classmethod
    def build(cls, context: EngineContext, options: TesseractOptions) -> TesseractEngine:
        return cls(lang=context.lang, psm=options.psm, word_list=context.word_list,
                   flag_below=context.flag_below if options.flag_below is None else options.flag_below)

    def check(self) -> None:
        programs.check_ready(self.lang)

    def _config(self) -> str:
        return f"--psm {self.psm} --dpi 300"

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        import pytesseract

        data = self._call(pytesseract.image_to_data, image, lang=lang, config=self._config(),
                          output_type=pytesseract.Output.DICT)
        result = PageOCR(engine=self.name, lines=parse_data(data, self.flag_below, self.word_list),
                         width=int(image.shape[1]), height=int(image.shape[0]))
        if not result.lines:
            result.warnings.append("no text found on the page")
        return result

    def hocr(self, image: np.ndarray, *, lang: str) -> bytes:
        """The page as hOCR (for other OCR tools)."""
        import pytesseract

        return self._call(pytesseract.image_to_pdf_or_hocr, image, lang=lang, config=self._config(), extension="hocr")

    def read_line(self, crop: np.ndarray, *, lang: str) -> Line:
        """A small crop (a line, a margin note) as one line: one block, no layout analysis."""
        import pytesseract

        data = self._call(pytesseract.image_to_data, crop, lang=lang, config="--psm 6 --dpi 300",
                          output_type=pytesseract.Output.DICT)
        words = [w for line in parse_data(data, self.flag_below, self.word_list) for w in line.words]
        height, width = crop.shape[:2]
        return Line(words=words, bbox=(0, 0, int(width), int(height)),
                    flagged=not words or any(w.flagged for w in words))

    def _call(self, function, image, **kwargs):
        import pytesseract

        pytesseract.pytesseract.tesseract_cmd = programs.TESSERACT.path() or programs.TESSERACT.command
        try:
            return function(image, **kwargs)
        except pytesseract.TesseractNotFoundError as exc:
            raise MissingDependencyError("tesseract (reads page images)", install=programs.TESSERACT.install) from exc
        except pytesseract.TesseractError as exc:
            lines = str(exc.message).strip().splitlines()
            raise ExternalProgramError(f"tesseract failed: {lines[-1] if lines else f'exit status {exc.status}'}") from exc


def parse_data(data: dict[str, list], flag_below: float, word_list: frozenset[str] | None = None) -> list[Line]:
    """Tesseract's ``image_to_data`` table -> lines of words (the only reader of that table)."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for i, raw in enumerate(data["text"]):
        text = (raw or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y, w, h = (int(data[k][i]) for k in ("left", "top", "width", "height"))
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        conf = max(0.0, min(100.0, conf))
        grouped.setdefault(key, []).append(
            Word(text=text, conf=round(conf, 1), bbox=(x, y, x + w, y + h),
                 flagged=should_flag(text, conf, flag_below, word_list))
        )
    lines = []
    for (block, _, _), words in grouped.items():
        bbox = (min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
                max(w.bbox[2] for w in words), max(w.bbox[3] for w in words))
        lines.append(Line(words=words, bbox=bbox, block=block))
    return lines
