"""Training lines: a line image with its confirmed text, the page it comes from and its kind.

Lines are split by page, never by line: lines of one page share writer, pen and scan, so a
line-level split would measure memory rather than reading. ``kind`` groups lines for the
forgetting guard (a model may be adopted only if no kind of held-out line reads worse).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

PRINTED = "printed"


@dataclass(frozen=True)
class LineSample:
    image: np.ndarray  # 8-bit grey or BGR line crop
    text: str
    page: str  # lines of one page are never split between training and held-out
    kind: str = "handwritten"


def crop_line(page: np.ndarray, polygon: Sequence[tuple[float, float]], margin: int = 2) -> np.ndarray:
    """The line's bounding box cut from ``page``, with everything outside its outline painted white."""
    points = np.round(np.asarray(polygon, dtype=np.float64)).astype(np.int32)
    height, width = page.shape[:2]
    x0, y0 = np.maximum(points.min(axis=0) - margin, 0)
    x1, y1 = np.minimum(points.max(axis=0) + margin + 1, (width, height))
    crop = page[y0:y1, x0:x1].copy()
    mask = np.zeros(crop.shape[:2], dtype=np.uint8)
    cv2.fillPoly(mask, [points - (x0, y0)], 255)
    crop[mask == 0] = 255
    return crop


def split_by_page(samples: list[LineSample], holdout: float, seed: int = 0
                  ) -> tuple[list[LineSample], list[LineSample]]:
    """(training, held-out): a share ``holdout`` of the pages (at least one) held out whole.

    Pages are not drawn blindly: a random 10 % of HN2021 pages was mostly print, so the reader was
    judged on the easy kind. Each pick prefers, in order, a kind of line not yet held out (a page's
    kind is that of most of its lines), a writer (document, ``<document>#<page>``) not yet held
    out, and a writer with another page left to learn from: as the teacher's next pages are.
    """
    pages = sorted({s.page for s in samples})
    if len(pages) < 2:
        raise ValueError("at least two pages with confirmed lines are needed (one is held out)")
    count = min(len(pages) - 1, max(1, round(len(pages) * holdout)))
    kinds = {p: Counter(s.kind for s in samples if s.page == p).most_common(1)[0][0] for p in pages}
    writer = {p: p.rsplit("#", 1)[0] for p in pages}
    rng = random.Random(seed)
    tiebreak = {p: rng.random() for p in pages}
    held: list[str] = []
    while len(held) < count:
        left = [p for p in pages if p not in held]
        training = Counter(writer[p] for p in left)
        held_kinds, held_writers = {kinds[h] for h in held}, {writer[h] for h in held}
        held.append(min(left, key=lambda p: (kinds[p] in held_kinds, writer[p] in held_writers,
                                             training[writer[p]] < 2, tiebreak[p])))
    return [s for s in samples if s.page not in held], [s for s in samples if s.page in held]


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)  # Pillow's bundled scalable font: no system font needed


def render_line(text: str, size: int = 28) -> np.ndarray:
    """``text`` typeset in black on white (grey image), for printed-line checks and tests."""
    font = _font(size)
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("L", (int(right - left) + 16, int(bottom - top) + 16), 255)
    ImageDraw.Draw(image).text((8 - left, 8 - top), text, fill=0, font=font)
    return np.asarray(image)


#: Typed German lines read before and after learning: full fine-tuning can make a reader forget
#: print while it learns handwriting, and exam sheets carry printed task text. No fill-in line
#: (``____``): its 16 like glyphs were 13 of a learned reader's 21 errors here, one glyph's quirk
#: deciding the verdict on print (BENCHMARKS.md, issue 27).
PRINTED_GUARD_TEXTS = (
    "Aufgabe 1: Beschreibe die Karikatur in eigenen Worten.",
    "Lies den Text und beantworte die Fragen (8 Punkte).",
    "Erörtere, ob Schuluniformen sinnvoll sind.",
    "Gesamtpunktzahl: 42 von 50 Punkten",
    "Die Schülerin fasst den Inhalt präzise zusammen.",
    "Klassenarbeit Nr. 3 – Deutsch, Klasse 8b",
    "Übersetze die folgenden Sätze ins Englische.",
    "Name: Lena Fischer  Datum: 14.03.2025",
    "Rechtschreibung, Grammatik und Zeichensetzung",
    "Begründe deine Meinung mit zwei Argumenten.",
    "Hilfsmittel: Wörterbuch, Taschenrechner",
    "Bearbeitungszeit: 45 Minuten, viel Erfolg!",
)


def printed_guard() -> list[LineSample]:
    return [LineSample(render_line(text), text, f"printed-{i}", PRINTED)
            for i, text in enumerate(PRINTED_GUARD_TEXTS)]


#: One line in this many is also learned typeset in print (:func:`printed_rehearsal`).
REHEARSAL_EVERY = 4


def printed_rehearsal(lines: list[LineSample], every: int = REHEARSAL_EVERY) -> list[LineSample]:
    """Every ``every``-th line's text typeset in print, to learn alongside the handwriting.

    Learning a class's cursive from its lines alone made the reader read typed text worse (the
    typed guard lines, 0.017 -> 0.036 CER after 457 HN2021 lines): it forgets what it no longer
    sees. Rehearsing print with the class's own words keeps it; the guard's texts are never used.
    """
    return [LineSample(render_line(s.text), s.text, f"{s.page}#printed", PRINTED)
            for s in lines[::every] if s.text.strip()]
