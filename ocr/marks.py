"""Teacher marks from the red-ink layer, each mapped to the student words it marks.

The red mask (:mod:`ocr.ink`) is cut into strokes; every stroke is classified by its shape and
by where it lies relative to the student's words (the OCR result, same pixel space):

* a flat stroke through the middle of words is a ``strike``, one at or just below their bottom
  an ``underline``; the marked words are those the stroke spans horizontally;
* a closed, hollow stroke around words is a ``circle``;
* everything outside the text column (points such as ``-1`` or ``14/20``, a ``R`` for spelling)
  and any red writing between the lines is a ``margin`` note: its strokes are grouped and the
  crop is read (best effort) by the engine's snippet reader.

``Mark.text`` is the marked student words, for margin notes the note's text. The notes, top to
bottom, are the page's teacher text.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from examkit.models import BBox, Line, Mark, Word

SnippetReader = Callable[[np.ndarray], str]


def detect(mask: np.ndarray, lines: list[Line], reader: SnippetReader | None = None) -> tuple[list[Mark], str]:
    """Marks on a page and its teacher text (the margin notes read, one per line)."""
    if mask is None or not mask.any():
        return [], ""
    words = [w for line in lines for w in line.words]
    word_h = float(np.median([w.bbox[3] - w.bbox[1] for w in words])) if words else 40.0
    col_lo, col_hi = _text_column(words, mask.shape[1])
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    marks: list[Mark] = []
    notes = np.zeros_like(mask)
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area < 25:
            continue
        bbox: BBox = (x, y, x + w, y + h)
        inside = max(0, min(x + w, col_hi) - max(x, col_lo))
        if not words or inside < 0.3 * w:
            notes[labels == label] = 255
            continue
        if h <= 0.6 * word_h and w >= 2.5 * h and w >= 0.5 * word_h:
            ys = _stroke_row(labels[y : y + h, x : x + w] == label) + y
            kind, marked = _line_stroke(bbox, ys, lines, word_h)
            if kind:
                marks.append(Mark(kind=kind, bbox=bbox, text=_join(marked)))
                continue
        fill = area / float(w * h)
        enclosed = [wd for wd in words if _centre_inside(wd.bbox, bbox)]
        if enclosed and fill < 0.4 and h >= 0.6 * word_h:
            marks.append(Mark(kind="circle", bbox=bbox, text=_join(enclosed)))
            continue
        notes[labels == label] = 255
    margin_marks = _notes(notes, mask, word_h, reader)
    marks.extend(margin_marks)
    marks.sort(key=lambda m: (m.bbox[1], m.bbox[0]))
    teacher_text = "\n".join(m.text for m in sorted(margin_marks, key=lambda m: (m.bbox[1], m.bbox[0])) if m.text)
    return marks, teacher_text


def _text_column(words: list[Word], width: int) -> tuple[int, int]:
    """Where the student wrote (robust to a few stray words): 5th to 95th percentile of word edges."""
    if not words:
        return 0, width
    return int(np.percentile([w.bbox[0] for w in words], 5)), int(np.percentile([w.bbox[2] for w in words], 95))


def _stroke_row(component: np.ndarray) -> float:
    """The stroke's typical height: median over columns of the ink's centre row."""
    rows = np.arange(component.shape[0])[:, None]
    counts = component.sum(axis=0)
    centres = (component * rows).sum(axis=0)[counts > 0] / counts[counts > 0]
    return float(np.median(centres)) if centres.size else component.shape[0] / 2


def _line_stroke(bbox: BBox, ys: float, lines: list[Line], word_h: float) -> tuple[str | None, list[Word]]:
    """Classify a flat stroke against the words it spans: ``strike``, ``underline`` or nothing."""
    best: tuple[float, str, list[Word]] | None = None
    for line in lines:
        spanned = [w for w in line.words if _overlap(bbox, w.bbox) >= 0.4 * (w.bbox[2] - w.bbox[0])]
        if not spanned:
            continue
        top = float(np.median([w.bbox[1] for w in spanned]))
        bottom = float(np.median([w.bbox[3] for w in spanned]))
        height = max(bottom - top, 1.0)
        if top + 0.2 * height <= ys <= bottom - 0.2 * height:
            candidate = (abs(ys - (top + bottom) / 2) / height, "strike", spanned)
        elif bottom - 0.2 * height < ys <= bottom + 0.8 * word_h:
            candidate = (0.5 + (ys - bottom) / word_h, "underline", spanned)
        else:
            continue
        if best is None or candidate[0] < best[0]:
            best = candidate
    if best is None:
        return None, []
    return best[1], best[2]


def _notes(notes: np.ndarray, mask: np.ndarray, word_h: float, reader: SnippetReader | None) -> list[Mark]:
    """Group note strokes into notes (characters of ``14/20`` belong together) and read them."""
    if not notes.any():
        return []
    reach = max(3, int(word_h * 0.6))
    grouped = cv2.dilate(notes, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * reach + 1, reach | 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    marks = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        ys, xs = np.nonzero(notes[y : y + h, x : x + w])
        if xs.size == 0:
            continue
        x0, y0, x1, y1 = x + int(xs.min()), y + int(ys.min()), x + int(xs.max()) + 1, y + int(ys.max()) + 1
        text = ""
        if reader is not None:
            pad = max(8, int(word_h * 0.4))
            crop = 255 - mask[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
            crop = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
            text = " ".join(reader(crop).split())
        marks.append(Mark(kind="margin", bbox=(x0, y0, x1, y1), text=text))
    return marks


def _overlap(a: BBox, b: BBox) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0]))


def _centre_inside(inner: BBox, outer: BBox) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def _join(words: list[Word]) -> str:
    """The words in the engine's reading order."""
    return " ".join(w.text for w in words)
