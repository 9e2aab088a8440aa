"""Synthetic pages for the OCR tests: text drawn with Pillow, red teacher marks on top.

Every page comes with its truth (word boxes, mark boxes and the words they mark), so tests can
check what was found against what was drawn. Pages are small (about 1200 px wide) to keep the
suite fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from examkit.models import Line, PageOCR, Word
from ocr.engine import EngineBase

PRINT_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
HAND_FONT = "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"
INK = (30, 40, 120)  # blue-black ballpoint
RED = (205, 30, 35)


@dataclass
class DrawnPage:
    image: Image.Image
    words: list[list[tuple[str, tuple[int, int, int, int]]]]  # per line: (text, bbox)
    marks: list[dict] = field(default_factory=list)  # {"kind", "bbox", "text"}

    def lines(self) -> list[Line]:
        """The truth as an OCR result (as a perfect engine would report it)."""
        out = []
        for row in self.words:
            words = [Word(text=t, conf=95, bbox=b) for t, b in row]
            out.append(Line(words=words, bbox=(min(b[0] for _, b in row), min(b[1] for _, b in row),
                                               max(b[2] for _, b in row), max(b[3] for _, b in row))))
        return out

    def bgr(self) -> np.ndarray:
        return np.asarray(self.image.convert("RGB"))[:, :, ::-1].copy()


def draw_page(
    rows: list[str],
    *,
    font: str = PRINT_FONT,
    size: int = 34,
    width: int = 1200,
    margin: int = 80,
    spacing: float = 2.2,
    underline: list[tuple[int, int, int]] = (),
    strike: list[tuple[int, int, int]] = (),
    circle: list[tuple[int, int]] = (),
    notes: list[tuple[int, str]] = (),
) -> DrawnPage:
    """Draw ``rows`` of text; marks name (row, first word, last word) or (row, word); notes (row, text)."""
    face = ImageFont.truetype(font, size)
    height = int(margin * 2 + len(rows) * size * spacing)
    image = Image.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(image)
    words: list[list[tuple[str, tuple[int, int, int, int]]]] = []
    for index, row in enumerate(rows):
        x, y = margin, int(margin + index * size * spacing)
        placed = []
        for token in row.split():
            box = pen.textbbox((x, y), token, font=face)
            pen.text((x, y), token, font=face, fill=INK)
            placed.append((token, box))
            x = box[2] + int(size * 0.45)
        words.append(placed)
    page = DrawnPage(image=image, words=words)
    red = ImageDraw.Draw(image)
    for row, first, last in underline:
        boxes = [b for _, b in words[row][first : last + 1]]
        y = max(b[3] for b in boxes) + 6
        red.line([(boxes[0][0], y), (boxes[-1][2], y)], fill=RED, width=4)
        page.marks.append({"kind": "underline", "bbox": (boxes[0][0], y - 2, boxes[-1][2], y + 2),
                           "text": " ".join(t for t, _ in words[row][first : last + 1])})
    for row, first, last in strike:
        boxes = [b for _, b in words[row][first : last + 1]]
        y = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) // 2
        red.line([(boxes[0][0] - 4, y), (boxes[-1][2] + 4, y)], fill=RED, width=4)
        page.marks.append({"kind": "strike", "bbox": (boxes[0][0], y - 2, boxes[-1][2], y + 2),
                           "text": " ".join(t for t, _ in words[row][first : last + 1])})
    for row, word in circle:
        text, box = words[row][word]
        ring = (box[0] - 14, box[1] - 14, box[2] + 14, box[3] + 14)
        red.ellipse(ring, outline=RED, width=4)
        page.marks.append({"kind": "circle", "bbox": ring, "text": text})
    note_face = ImageFont.truetype(PRINT_FONT, size)
    for row, text in notes:
        y = int(margin + row * size * spacing)
        x = width - margin - 90
        red.text((x, y), text, font=note_face, fill=RED)
        page.marks.append({"kind": "margin", "bbox": red.textbbox((x, y), text, font=note_face), "text": text})
    return page


@pytest.fixture
def marked_page() -> DrawnPage:
    """Three lines of print with an underline, a strike-through, a circle and a margin note."""
    return draw_page(
        [
            "Ludwig hat Versailles gebaut",
            "Er hat das Edikt von Nantes erlassen",
            "Die Intendanten verwalteten Provinzen",
            "Der Merkantilismus brachte Geld",
        ],
        underline=[(1, 3, 5)],
        strike=[(2, 2, 2)],
        circle=[(3, 1)],
        notes=[(0, "-1")],
    )


class FakeEngine(EngineBase):
    """An engine that 'reads' every page as the same word: batch logic without Tesseract's cost.
    ``delay`` seconds per page stand in for Tesseract's time where a test needs pages in flight."""

    name = "fake"

    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay

    def check(self) -> None:
        return None

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        self.calls += 1
        time.sleep(self.delay)
        word = Word(text="Text", conf=90, bbox=(10, 10, 60, 30))
        return PageOCR(engine=self.name, lines=[Line(words=[word], bbox=word.bbox)],
                       width=int(image.shape[1]), height=int(image.shape[0]))


@pytest.fixture
def exam_folder(tmp_path: Path) -> Path:
    """A small exam folder: two students as PNG (one a folder of two pages), a typed answer."""
    root = tmp_path / "exams" / "LK-Test"
    root.mkdir(parents=True)
    draw_page(["Die Reformation begann 1517"], width=900).image.save(root / "anna.png")
    (root / "ben").mkdir()
    draw_page(["Luther schrieb Thesen"], width=900).image.save(root / "ben" / "1.png")
    draw_page(["Der Bauernkrieg folgte"], width=900).image.save(root / "ben" / "2.png")
    (root / "cem.txt").write_text("Getippte Antwort\nzweite Zeile\n", encoding="utf-8")
    return tmp_path / "exams"
