"""Which confirmed lines are learned from, and why the others are left out.

Confirmed lines are mostly right, but a typed page text laid over detected lines can pair a crop
with its neighbour's text (on HN2021, 4 of 63 imported lines read at CER > 0.7 with the bundled
reader, one of them plainly another line's text). Learning from such a pair teaches the reader
to see words that are not there, so a line whose bundled reading is that far from its text is
left out. The bundled reader reads cursive at CER ≈ 0.35–0.5, so 0.7 leaves hard but right lines
in. Lines whose characters the model lacks entirely cannot be learned either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ocr.learn.samples import LineSample
from ocr.learn.scoring import cer_of

#: Bundled reading vs confirmed text above this CER: taken as a crop paired with the wrong text.
MISMATCH_CER = 0.7
NO_KNOWN_CHARS = "no character the reader knows"
MISMATCHED = f"text far from what the bundled reader sees (CER > {MISMATCH_CER}): likely another line's text"


@dataclass
class Selection:
    """The lines to learn from, and how many were left out for each reason."""

    kept: list[LineSample]
    left_out: dict[str, int] = field(default_factory=dict)
    unknown_chars: Counter = field(default_factory=Counter)  # characters dropped from kept lines' texts

    def describe(self) -> list[str]:
        """What learning uses, for the person running it: per kind, per document, what was left out."""
        kinds = Counter(s.kind for s in self.kept)
        documents = Counter(document_of(s.page) for s in self.kept)
        lines = [f"learning from {len(self.kept)} lines on {len({s.page for s in self.kept})} pages: "
                 + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))]
        lines.append(f"  {len(documents)} documents: " + ", ".join(f"{d} {n}" for d, n in sorted(documents.items())))
        for reason, n in self.left_out.items():
            lines.append(f"  left out: {n} lines, {reason}")
        if self.unknown_chars:
            shown = "".join(c for c, _ in self.unknown_chars.most_common(20))
            lines.append(f"  characters the reader lacks, dropped from the texts: {shown!r}")
        return lines

    def to_json(self) -> dict:
        return {"lines": len(self.kept),
                "by_kind": dict(Counter(s.kind for s in self.kept)),
                "by_document": dict(Counter(document_of(s.page) for s in self.kept)),
                "left_out": self.left_out, "unknown_chars": "".join(sorted(self.unknown_chars))}


def document_of(page: str) -> str:
    """The document (one pupil, one writer) of a page key ``<document>#<page>``."""
    return page.rsplit("#", 1)[0]


def select(samples: list[LineSample], classes: list[str], bundled_readings: list[str]) -> Selection:
    """Lines worth learning from: some known characters, text close enough to what is on the crop."""
    known = set(classes[1:])
    kept: list[LineSample] = []
    left_out: Counter = Counter()
    unknown: Counter = Counter()
    for sample, reading in zip(samples, bundled_readings, strict=True):
        if not any(c in known for c in sample.text):
            left_out[NO_KNOWN_CHARS] += 1
        elif cer_of([(sample.text, reading)]) > MISMATCH_CER:
            left_out[MISMATCHED] += 1
        else:
            kept.append(sample)
            unknown.update(c for c in sample.text if c not in known and not c.isspace())
    return Selection(kept, {reason: n for reason, n in left_out.items() if n}, unknown)
