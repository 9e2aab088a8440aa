"""A stand-in fourth OCR engine: the whole of what a new engine needs is this module and one line
in :data:`ocr.engine.ENGINES` (the test adds the line with ``monkeypatch.setitem``).

It declares no optional capability (no single lines, no hOCR, sends nothing), so
:class:`ocr.engine.EngineBase` gives the refusals, and it reads every line as one word.
"""

from __future__ import annotations

import numpy as np

from examkit.config import Config
from examkit.models import Line, PageOCR, Word
from ocr.engine import EngineBase


class StandInEngine(EngineBase):
    name = "standin"

    @classmethod
    def from_config(cls, config: Config, **options: object) -> StandInEngine:
        return cls()

    def check(self) -> None:
        return None

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        height, width = int(image.shape[0]), int(image.shape[1])
        word = Word(text="Stellvertreter", conf=88, bbox=(0, 0, width, height))
        return PageOCR(engine=self.name, lines=[Line(words=[word], bbox=word.bbox)], width=width, height=height)
