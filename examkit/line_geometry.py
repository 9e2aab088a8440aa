"""The pure rules of a page's lines: where a new line goes, how text lines pair with lines, how a
split line's outline is cut. No database here, so each rule is tested on its own
(``tests/core/test_line_geometry.py``); :mod:`examkit.lines` stores what they decide.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz

from examkit.errors import NotFoundError
from examkit.models import PageLine, Point

#: Least similarity (0-100) for a changed text line to be paired with a line when counts differ.
MIN_SIMILARITY = 50.0


def align(old: list[str], new: list[str], *, min_similarity: float = MIN_SIMILARITY) -> list[int | None]:
    """For each old line, the index of the new line that is its text (None where none fits),
    order kept: by number when the counts match, else the best order-keeping fuzzy match (a
    small dynamic programme over rapidfuzz similarities)."""
    if len(old) == len(new):
        return list(range(len(old)))
    n, m = len(old), len(new)
    sim = [[fuzz.ratio(a, b) for b in new] for a in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = best[i + 1][j + 1] + sim[i][j] if sim[i][j] >= min_similarity else -1.0
            best[i][j] = max(pair, best[i + 1][j], best[i][j + 1])
    result: list[int | None] = [None] * n
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= min_similarity and best[i][j] == best[i + 1][j + 1] + sim[i][j]:
            result[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return result


def between(low: float | None, high: float | None) -> float:
    if high is None:
        return 1.0 if low is None else low + 1
    return high - 1 if low is None else (low + high) / 2


def slot(ordered: list[PageLine], *, after: int | None = None, before: int | None = None) -> float:
    """A position between two neighbours: right after ``after``, right before ``before``, else last."""
    positions = [li.position for li in ordered]
    ids = [li.id for li in ordered]
    if after is not None:
        if after not in ids:
            raise NotFoundError(f"no line {after} on this page")
        k = ids.index(after)
        return (positions[k] + positions[k + 1]) / 2 if k + 1 < len(ordered) else positions[k] + 1
    if before is not None:
        if before not in ids:
            raise NotFoundError(f"no line {before} on this page")
        k = ids.index(before)
        return (positions[k - 1] + positions[k]) / 2 if k > 0 else positions[k] - 1
    return positions[-1] + 1 if positions else 1.0


def box_around(points: Iterable[Point]) -> list[Point]:
    points = list(points)
    if not points:
        return []
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def bottom(polygon: list[Point]) -> list[Point]:
    """A straight baseline along the bottom of an outline's box ([] for no outline)."""
    if not polygon:
        return []
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return [(min(xs), max(ys)), (max(xs), max(ys))]


def cut(line: PageLine, at: int, ordered: list[PageLine]) -> tuple[list[Point], list[Point]]:
    """Two outlines for a split line: a box holding two written lines is cut into top and
    bottom, a normal one into left and right at the split's share of the text."""
    if line.bbox is None:
        return [], []
    x0, y0, x1, y1 = line.bbox
    heights = sorted(b[3] - b[1] for li in ordered if (b := li.bbox) is not None)
    usual = heights[len(heights) // 2] if heights else y1 - y0
    if y1 - y0 > 1.5 * usual:
        mid = (y0 + y1) // 2
        return box_around([(x0, y0), (x1, mid)]), box_around([(x0, mid), (x1, y1)])
    share = at / max(1, len(line.text))
    mid = x0 + round((x1 - x0) * share)
    return box_around([(x0, y0), (mid, y1)]), box_around([(mid, y0), (x1, y1)])
