"""Teacher marks from the red-ink layer, each mapped to the student words it marks.

The red mask (:mod:`ocr.ink`) is cut into strokes; every stroke is classified by its shape and
by where it lies relative to the student's words (the OCR result, same pixel space):

* a flat stroke through the middle of words is a ``strike``, one at or just below their bottom
  an ``underline``; the marked words are those the stroke spans horizontally;
* a closed, hollow stroke around words is a ``circle``;
* everything outside the text column (points such as ``-1`` or ``14/20``, a ``R`` for spelling)
  and any red writing between the lines is a ``margin`` note: its strokes are grouped and the
  crop is read by a snippet reader (:class:`ocr.notes.NoteReader`, constrained to the forms
  teacher notes take), which says what kind of note it is and how sure it is.

``Mark.text`` is the marked student words, for margin notes the note's text. The notes, top to
bottom, are the page's teacher text.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from examkit.models import BBox, Line, Mark, Word
from ocr.notes import NoteReading

SnippetReader = Callable[[np.ndarray], NoteReading]


#: Where in a word's box (0 its top, 1 its bottom) a flat stroke strikes the word; lower, it underlines.
STRIKE_BAND = (0.2, 0.7)


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
        bbox: BBox = (x, y, x + w, y + h)
        inside = max(0, min(x + w, col_hi) - max(x, col_lo))
        if area < 25 or not words or inside < 0.3 * w:  # a comma or dot joins the note beside it
            notes[(labels == label) & (mask > 0)] = 255
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
        notes[(labels == label) & (mask > 0)] = 255
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
    """Classify a flat stroke against the words it spans: ``strike``, ``underline`` or nothing.

    A word's box runs from its ascenders to its descenders; the baseline lies about three quarters
    down. A stroke through the middle band (:data:`STRIKE_BAND`) strikes the word; one lower, on the
    baseline or under it, underlines it (with the band to 80 %, underlines drawn on the baseline were
    taken for strikes: samples' underlines recovered 26 -> 29 of 36, strikes unchanged; BENCHMARKS.md)."""
    best: tuple[float, str, list[Word]] | None = None
    for line in lines:
        spanned = [w for w in line.words if _overlap(bbox, w.bbox) >= 0.4 * (w.bbox[2] - w.bbox[0])]
        if not spanned:
            continue
        top = float(np.median([w.bbox[1] for w in spanned]))
        bottom = float(np.median([w.bbox[3] for w in spanned]))
        height = max(bottom - top, 1.0)
        strike_top, strike_bottom = (top + share * height for share in STRIKE_BAND)
        if strike_top <= ys <= strike_bottom:
            candidate = (abs(ys - (top + bottom) / 2) / height, "strike", spanned)
        elif strike_bottom < ys <= bottom + 0.8 * word_h:
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
    across, down = max(2, int(word_h * 0.3)), max(1, int(word_h * 0.08))
    grouped = cv2.dilate(notes, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * across + 1, 2 * down + 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    marks = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        for x0, y0, x1, y1 in _split(notes, (x, y, x + w, y + h), word_h):
            reading = None
            if reader is not None:
                pad = max(8, int(word_h * 0.25))
                crop = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), 255, np.uint8)
                crop[pad:-pad, pad:-pad] = 255 - mask[y0:y1, x0:x1]  # the note alone, not its neighbours' ink
                reading = reader(crop)
                if not reading.text.strip() and reading.conf >= 0:
                    continue  # red specks with nothing to read (a stamp's edge, a coloured letterhead) are no note
            marks.append(Mark(kind="margin", bbox=(x0, y0, x1, y1),
                              text=" ".join(reading.text.split()) if reading else "",
                              note=reading.kind if reading else None, conf=reading.conf if reading else -1))
    return marks


def _split(notes: np.ndarray, box: BBox, word_h: float) -> list[BBox]:
    """The notes in one group, each cut to its ink. A group taller than a written line (and a bit) is notes
    stacked in the margin (``-1`` over ``6/9``): cut into its rows of letters; a gap of a
    third of the ink's height between letters parts notes side by side (``-1  6/8``; a comma's
    gap is smaller). Slivers flatter than an eighth of a word, and specks with less ink than a
    short stroke, are pieces of strokes or stray red pixels, no note."""
    x0, y0, x1, y1 = box
    ink = notes[y0:y1, x0:x1] > 0
    rows, cols = np.nonzero(ink)
    if rows.size == 0:
        return []
    x0, y0, x1, y1 = x0 + int(cols.min()), y0 + int(rows.min()), x0 + int(cols.max()) + 1, y0 + int(rows.max()) + 1
    ink = notes[y0:y1, x0:x1] > 0
    if y1 - y0 > 1.2 * word_h:
        stacked = _rows(ink)
        if len(stacked) > 1:
            return [box for top, bottom in stacked for box in _split(notes, (x0, y0 + top, x1, y0 + bottom), word_h)]
    if y1 - y0 < 0.125 * word_h or np.count_nonzero(ink) < 0.02 * word_h * word_h:
        return []
    filled = np.asarray(ink.any(axis=0))
    gap, run = max(4, int(0.33 * (y1 - y0))), 0
    for i, has_ink in enumerate(filled):
        if not has_ink:
            run += 1
            continue
        if run >= gap and i > run and not _comma(ink[:, : i - run]) and not _comma(ink[:, i:][:, ::-1]):
            return _split(notes, (x0, y0, x0 + i - run, y1), word_h) + _split(notes, (x0 + i, y0, x1, y1), word_h)
        run = 0
    return [(x0, y0, x1, y1)]


def _rows(ink: np.ndarray) -> list[tuple[int, int]]:
    """Rows of letters in stacked notes, top to bottom: each stroke joins the row it overlaps most
    in height (tall strokes first, so a minus or comma joins the row of its digits)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    strokes = sorted(((int(s[1]), int(s[1] + s[3])) for s in stats[1:count]), key=lambda r: r[0] - r[1])
    rows: list[list[int]] = []
    for top, bottom in strokes:
        best, share = None, 0.0
        for row in rows:
            overlap = min(bottom, row[1]) - max(top, row[0])
            if overlap / max(1, min(bottom - top, row[1] - row[0])) > share:
                best, share = row, overlap / max(1, min(bottom - top, row[1] - row[0]))
        if best is not None and share >= 0.5:
            best[0], best[1] = min(best[0], top), max(best[1], bottom)
        else:
            rows.append([top, bottom])
    return sorted((top, bottom) for top, bottom in rows)


def _comma(ink: np.ndarray) -> bool:
    """Whether the ink's last mark (its rightmost run of columns) is a comma or full stop: small
    and low, so a gap beside it is inside a number (``16,5/22``), not between notes."""
    filled = np.asarray(ink.any(axis=0))
    end = len(filled)
    start = end
    while start > 0 and filled[start - 1]:
        start -= 1
    rows = np.nonzero(ink[:, start:end].any(axis=1))[0]
    height = ink.shape[0]
    return rows.size > 0 and rows.min() > 0.5 * height and end - start < 0.3 * height


def _overlap(a: BBox, b: BBox) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0]))


def _centre_inside(inner: BBox, outer: BBox) -> bool:
    cx, cy = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= cx <= outer[2] and outer[1] <= cy <= outer[3]


def _join(words: list[Word]) -> str:
    """The words in the engine's reading order."""
    return " ".join(w.text for w in words)
