"""A stand-in fourth OCR engine *with options*: the whole of what a new engine needs is this module
and one line in :data:`ocr.engine.ENGINES` (the test adds the line with ``monkeypatch.setitem``).

It owns its options (``[ocr.standin]`` in examkit.toml, ``-o key=value`` on the command line) and
declares no optional capability (no single lines, no hOCR, sends nothing, no learned model), so
:class:`ocr.engine.EngineBase` gives the refusals. It reads every line as its one ``word``.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from examkit.models import Line, PageOCR, Word
from ocr.engine import EngineBase, EngineContext


class StandInOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    word: str = "Stellvertreter"
    confidence: float = Field(88.0, ge=0, le=100)


class StandInEngine(EngineBase):
    name = "standin"
    Options = StandInOptions

    def __init__(self, word: str = "Stellvertreter", confidence: float = 88.0) -> None:
        self.word, self.confidence = word, confidence

    @classmethod
    def build(cls, context: EngineContext, options: StandInOptions) -> StandInEngine:
        return cls(options.word, options.confidence)

    def check(self) -> None:
        return None

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        height, width = int(image.shape[0]), int(image.shape[1])
        word = Word(text=self.word, conf=self.confidence, bbox=(0, 0, width, height))
        return PageOCR(engine=self.name, lines=[Line(words=[word], bbox=word.bbox)], width=width, height=height)
