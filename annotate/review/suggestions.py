"""The teacher's red marks as suggested errors, quoted from the page's *current* text.

A mark (:class:`examkit.models.Mark`) names the OCR words it underlines, strikes or circles. Once
the teacher has corrected the page, those OCR words may be misread ("neur" for "neuer"); a quote
taken from them would not be found in the student's text. So the marked words are located in the
OCR reading, the reading's words are aligned with the current text's words (``difflib``), and the
quote is the current words at the mark's position.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher
from typing import Any

from examkit.models import Mark, PageOCR, Word

#: How the kinds of mark are called on the page.
MARK_DE = {"underline": "Unterstreichung", "strike": "Durchstreichung", "circle": "Einkreisung", "margin": "Randnotiz"}


def page_suggestions(reading: PageOCR | None, text: str, page_number: int) -> list[dict[str, Any]]:
    """Suggested errors from one page's marks (margin notes are the teacher's words, not the
    student's, and are left out). ``found`` is false where the marked words are gone from ``text``;
    the OCR words are offered then, for the teacher to judge."""
    if reading is None:
        return []
    words = [w for line in reading.lines for w in line.words]
    current = text.split()
    aligned = SequenceMatcher(None, [w.text for w in words], current, autojunk=False).get_opcodes()
    located = [(mark, _marked(words, mark)) for mark in reading.marks if mark.kind != "margin" and mark.text.strip()]
    out: list[dict[str, Any]] = []
    for mark, span in _joined(located):
        quote = _current_words(aligned, span, current) if span else None
        text = quote or mark.text.strip()
        if any(s["text"] == text for s in out):
            continue  # two marks on the same words are one suggestion
        out.append({"kind": mark.kind, "label": MARK_DE.get(mark.kind, mark.kind), "page": page_number,
                    "text": text, "found": bool(quote)})
    return out


def _joined(located: list[tuple[Mark, tuple[int, int] | None]]) -> list[tuple[Mark, tuple[int, int] | None]]:
    """One underline that runs on into the next line is drawn as two strokes: marks of one kind
    whose words follow each other in the reading become one suggestion over both."""
    far = 10**9  # marks whose words were not found go last
    ordered = [located[i] for i in sorted(range(len(located)), key=lambda i: ((located[i][1] or (far,))[0], i))]
    out: list[tuple[Mark, tuple[int, int] | None]] = []
    for mark, span in ordered:
        joined = False
        for k, (first, earlier) in enumerate(out):
            if span and earlier and first.kind == mark.kind and earlier[1] == span[0]:
                text = f"{first.text.strip()} {mark.text.strip()}"
                out[k], joined = (first.model_copy(update={"text": text}), (earlier[0], span[1])), True
                break
        if not joined:
            out.append((mark, span))
    return out


def _marked(words: list[Word], mark: Mark) -> tuple[int, int] | None:
    """Where the mark's words stand in the reading (start, end exclusive): the run of words that
    spells ``mark.text`` nearest to the mark, else the words under the mark's box."""
    tokens = mark.text.split()
    runs = [i for i in range(len(words) - len(tokens) + 1)
            if all(words[i + k].text == t for k, t in enumerate(tokens))]
    if runs:
        start = min(runs, key=lambda i: _distance(words[i], mark))
        return start, start + len(tokens)
    under = [i for i, w in enumerate(words) if _overlaps(w, mark)]
    return (under[0], under[-1] + 1) if under else None


def _distance(word: Word, mark: Mark) -> float:
    wx, wy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    mx, my = (mark.bbox[0] + mark.bbox[2]) / 2, (mark.bbox[1] + mark.bbox[3]) / 2
    return abs(wy - my) * 4 + abs(wx - mx)


def _overlaps(word: Word, mark: Mark) -> bool:
    """The word lies above or in the mark horizontally, and the mark's box touches its line."""
    x0, y0, x1, y1 = word.bbox
    across = min(x1, mark.bbox[2]) - max(x0, mark.bbox[0])
    height = max(1, y1 - y0)
    return across > 0.5 * (x1 - x0) and mark.bbox[1] <= y1 + height / 2 and mark.bbox[3] >= y0


def _current_words(aligned: Sequence[tuple[str, int, int, int, int]], span: tuple[int, int], current: list[str]) -> str:
    """The current words that stand where the reading's words ``span`` stood."""
    start, end = span
    firsts = (_position(aligned, i, last=False) for i in range(start, end))
    lasts = (_position(aligned, i, last=True) for i in range(end - 1, start - 1, -1))
    first = next((p for p in firsts if p is not None), None)
    last = next((p for p in lasts if p is not None), None)
    if first is None or last is None or last < first:
        return ""
    return " ".join(current[first:last + 1])


def _position(aligned: Sequence[tuple[str, int, int, int, int]], index: int, *, last: bool) -> int | None:
    """The current word that reading word ``index`` became (``None`` when it was deleted); a
    replaced block maps onto its replacement proportionally, whole at its ends."""
    for tag, a0, a1, b0, b1 in aligned:
        if not a0 <= index < a1:
            continue
        if tag == "equal":
            return b0 + index - a0
        if tag == "delete" or b1 == b0:
            return None
        if last and index == a1 - 1:
            return b1 - 1
        if not last and index == a0:
            return b0
        return b0 + (index - a0) * (b1 - b0) // (a1 - a0)
    return None
