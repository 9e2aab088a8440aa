"""Placing a vision-language model's words on the page, and flagging where two engines disagree.

A VLM returns text without coordinates, but the review page shows each word where it is written.
Tesseract's layout pass gives word boxes (and its own reading). The two word sequences are
aligned globally (Needleman-Wunsch on normalised words, similarity from rapidfuzz): a VLM word
that pairs with a Tesseract word takes its box. The VLM's line structure is kept; words without a
counterpart get a box interpolated within their line from their neighbours (by character
offsets), and lines without any anchor are placed on Tesseract lines that nothing matched, or
spread between the lines around them.

A word is flagged (review advised) where the engines disagree: paired with a different reading,
or not read by Tesseract at all, or where it looks implausible (:mod:`ocr.flags`). On handwriting
that Tesseract cannot read, most words are therefore flagged: there is no second opinion.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from examkit.models import BBox, Line, Word
from ocr.flags import EDGE_PUNCT, implausible

#: Words at least this similar (0-1, normalised) may be paired.
MIN_SIMILARITY = 0.5


def norm_word(text: str) -> str:
    """Casefolded, edge punctuation stripped: the form words are paired on."""
    return text.strip(EDGE_PUNCT).casefold() or text


def same_reading(a: str, b: str) -> bool:
    """Do two engines agree on a word? Case counts (German nouns); edge punctuation does not."""
    return a.strip(EDGE_PUNCT) == b.strip(EDGE_PUNCT)


@dataclass
class _Anchor:
    box: BBox
    agrees: bool


def pair_words(ours: list[str], theirs: list[str]) -> list[int | None]:
    """For each word of ``ours`` the index of its partner in ``theirs`` (order kept), or None."""
    if not ours or not theirs:
        return [None] * len(ours)
    sim = cdist([norm_word(w) for w in ours], [norm_word(w) for w in theirs], scorer=fuzz.ratio,
                dtype=np.float32) / 100.0
    gain = np.where(sim >= MIN_SIMILARITY, sim - MIN_SIMILARITY / 2, -np.inf)
    n, m = sim.shape
    score = np.zeros((n + 1, m + 1), np.float32)
    move = np.zeros((n + 1, m + 1), np.int8)  # 0 diagonal, 1 skip ours, 2 skip theirs
    move[1:, 0] = 1
    move[0, 1:] = 2
    for i in range(1, n + 1):
        row_gain = gain[i - 1]
        prev, cur = score[i - 1], score[i]
        for j in range(1, m + 1):
            best, step = prev[j - 1] + row_gain[j - 1], 0
            if prev[j] > best:
                best, step = prev[j], 1
            if cur[j - 1] > best:
                best, step = cur[j - 1], 2
            cur[j], move[i, j] = best, step
    partner: list[int | None] = [None] * n
    i, j = n, m
    while i > 0 and j > 0:
        back = int(move[i, j])
        if back == 0:
            partner[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif back == 1:
            i -= 1
        else:
            j -= 1
    return partner


def align(text_lines: list[list[str]], layout: list[Line], *, width: int, height: int,
          words_to_check: frozenset[str] | None = None) -> list[Line]:
    """The VLM's lines (lists of words) as :class:`Line` objects with boxes and flags."""
    theirs = [(word, li) for li, line in enumerate(layout) for word in line.words]
    ours = [(text, li) for li, line in enumerate(text_lines) for text in line]
    partner = pair_words([t for t, _ in ours], [w.text for w, _ in theirs])

    anchors: list[dict[int, _Anchor]] = [{} for _ in text_lines]
    used_layout_lines: set[int] = set()
    k = 0
    for li, line in enumerate(text_lines):
        for wi, text in enumerate(line):
            j = partner[k]
            k += 1
            if j is not None:
                word, layout_line = theirs[j]
                anchors[li][wi] = _Anchor(word.bbox, same_reading(text, word.text))
                used_layout_lines.add(layout_line)

    bands = _line_bands(text_lines, anchors, layout, used_layout_lines, height)
    char_w = _char_width(text_lines, anchors, bands)
    left = int(median([ln.bbox[0] for ln in layout])) if layout else width // 20
    lines = []
    for li, line in enumerate(text_lines):
        if not line:
            continue
        y0, y1, x_hint = bands[li]
        boxes = _place(line, anchors[li], y0, y1, x_hint if x_hint is not None else left, char_w, width)
        words = []
        for wi, text in enumerate(line):
            anchor = anchors[li].get(wi)
            flagged = anchor is None or not anchor.agrees or implausible(text, words_to_check) is not None
            words.append(Word(text=text, conf=-1, bbox=boxes[wi], flagged=flagged))
        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        lines.append(Line(words=words, bbox=bbox, block=0))
    return lines


def _line_bands(text_lines, anchors, layout, used, height) -> list[tuple[int, int, int | None]]:
    """(y0, y1, x0 hint) per VLM line: from its anchors, else a free Tesseract line, else spread."""
    bands: list[tuple[int, int, int | None] | None] = [None] * len(text_lines)
    for li, found in enumerate(anchors):
        if found:
            boxes = [a.box for a in found.values()]
            bands[li] = (int(median(b[1] for b in boxes)), int(median(b[3] for b in boxes)), None)
    known = [b for b in bands if b]
    heights = [b[1] - b[0] for b in known] or [ln.bbox[3] - ln.bbox[1] for ln in layout] or [max(height // 40, 10)]
    line_h = max(int(median(heights)), 1)
    steps = [b[0] - a[0] for a, b in zip(known, known[1:]) if b[0] > a[0]]
    pitch = float(median(steps)) if steps else line_h * 1.5
    free = sorted((ln for i, ln in enumerate(layout) if i not in used), key=lambda ln: ln.bbox[1])
    li = 0
    while li < len(bands):
        if bands[li] is not None:
            li += 1
            continue
        end = li
        while end < len(bands) and bands[end] is None:
            end += 1
        count = end - li
        prev = bands[li - 1] if li > 0 else None
        nxt = bands[end] if end < len(bands) else None
        top = prev[1] if prev else 0
        bottom = nxt[0] if nxt else height
        gap = [ln for ln in free if top <= (ln.bbox[1] + ln.bbox[3]) / 2 <= bottom]
        if len(gap) == count:  # as many unmatched Tesseract lines as unplaced lines: take them in order
            for offset, ln in enumerate(gap):
                bands[li + offset] = (ln.bbox[1], ln.bbox[3], ln.bbox[0])
        else:
            if prev and nxt:
                step = max((nxt[0] - prev[0]) / (count + 1), 1.0)
                tops = [prev[0] + step * (k + 1) for k in range(count)]
            elif prev:
                tops = [prev[0] + pitch * (k + 1) for k in range(count)]
            elif nxt:
                tops = [nxt[0] - pitch * (count - k) for k in range(count)]
            else:  # nothing anchored at all: spread the lines down the page
                step = min(pitch, height * 0.9 / count)
                tops = [height * 0.05 + step * k for k in range(count)]
            for offset, y in enumerate(tops):
                y0 = int(min(max(y, 0), max(height - 1, 0)))
                bands[li + offset] = (y0, min(y0 + line_h, max(height, y0 + 1)), None)
        li = end
    return [b for b in bands if b is not None]


def _char_width(text_lines, anchors, bands) -> float:
    """Median width of one character in anchored words; else half a line height."""
    widths = [(a.box[2] - a.box[0]) / max(len(text_lines[li][wi]), 1)
              for li, found in enumerate(anchors) for wi, a in found.items()]
    if widths:
        return max(float(median(widths)), 1.0)
    return max(float(median([b[1] - b[0] for b in bands])) * 0.5, 1.0) if bands else 10.0


def _place(line: list[str], found: dict[int, _Anchor], y0: int, y1: int, x0: int, char_w: float,
           width: int) -> list[BBox]:
    """Boxes for every word of a line: anchors as they are, the rest by character offsets."""
    starts, pos = [], 0.0
    for text in line:  # character offset of each word within the line, one space between words
        starts.append(pos)
        pos += len(text) + 1
    boxes: list[BBox | None] = [found[wi].box if wi in found else None for wi in range(len(line))]
    known = sorted(found)
    for wi, text in enumerate(line):
        if boxes[wi] is not None:
            continue
        before = max((k for k in known if k < wi), default=None)
        after = min((k for k in known if k > wi), default=None)
        if before is not None and after is not None and after - before > 0:
            b, a = found[before].box, found[after].box
            span_chars = starts[after] - (starts[before] + len(line[before]) + 1)
            span_px = max(a[0] - b[2], 0)
            scale = span_px / span_chars if span_chars > 0 else char_w
            left = b[2] + (starts[wi] - starts[before] - len(line[before])) * scale
            right = left + len(text) * scale
        elif before is not None:
            left = found[before].box[2] + (starts[wi] - starts[before] - len(line[before])) * char_w
            right = left + len(text) * char_w
        elif after is not None:
            right = found[after].box[0] - (starts[after] - starts[wi] - len(text)) * char_w
            left = right - len(text) * char_w
        else:
            left = x0 + starts[wi] * char_w
            right = left + len(text) * char_w
        if right - left < len(text) * char_w * 0.5:  # squeezed between two anchors: keep it visible
            middle = (left + right) / 2
            left, right = middle - len(text) * char_w / 4, middle + len(text) * char_w / 4
        x_a = int(min(max(left, 0), max(width - 1, 0)))
        x_b = int(min(max(right, x_a + 1), max(width, x_a + 1)))
        boxes[wi] = (x_a, y0, x_b, max(y1, y0 + 1))
    return [b for b in boxes if b is not None]
