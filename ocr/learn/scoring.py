"""Character error rate of a recognition model on held-out lines, overall and per kind of line.

Scored with the rule every OCR figure in examkit uses (:func:`ocr.evaluate.score`: NFC, spaces
collapsed, case and punctuation kept); the CER is total edits over total reference characters.
Reading goes through :class:`ocr.learn.recogniser.LineReader` on the model *file*, so the figure
is what a scan with that file would read, not what the training copy computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ocr.evaluate import score
from ocr.learn.recogniser import LineReader
from ocr.learn.samples import LineSample


@dataclass
class Figures:
    lines: int
    cer: float
    by_kind: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"lines": self.lines, "cer": round(self.cer, 4),
                "by_kind": {k: round(v, 4) for k, v in self.by_kind.items()}}


def cer_of(pairs: list[tuple[str, str]]) -> float:
    """CER over (reference, reading) pairs: all edits over all reference characters."""
    scores = [score(ref, hyp) for ref, hyp in pairs]
    chars = sum(s.chars for s in scores)
    return sum(s.char_errors for s in scores) / chars if chars else 0.0


def read_all(model: Path, samples: list[LineSample], threads: int = 0,
             progress: Callable[[int, int], None] | None = None) -> list[str]:
    reader = LineReader(model, threads)
    readings = []
    for done, sample in enumerate(samples, 1):
        readings.append(reader.read(sample.image))
        if progress:
            progress(done, len(samples))
    return readings


def figures(samples: list[LineSample], readings: list[str]) -> Figures:
    pairs = [(s.text, r) for s, r in zip(samples, readings, strict=True)]
    kinds = sorted({s.kind for s in samples})
    by_kind = {k: cer_of([p for s, p in zip(samples, pairs) if s.kind == k]) for k in kinds}
    return Figures(len(samples), cer_of(pairs), by_kind)


def measure(model: Path, samples: list[LineSample], threads: int = 0,
            progress: Callable[[int, int], None] | None = None) -> Figures:
    return figures(samples, read_all(model, samples, threads, progress))
