"""Written lines from a text detector's pieces: joined, in reading order, margin notes apart.

A detector (PP-OCR's DB net in :mod:`ocr.rapidocr`) outlines *pieces* of text, one quadrilateral
each. In handwriting one written line often comes out as several pieces (wide gaps between words,
a word lifted above the line), and a note in the margin sits on the same height as a line of the
answer. This module turns pieces into lines, from geometry alone, so it works where recognition
reads little:

- A piece joins the line to its left when their centre lines meet within half a line height
  (the line's slope extended) and the horizontal gap is at most :data:`MAX_GAP` line heights.
- The body column spans the pieces at least :data:`LONG_PIECE` of the page wide; a piece lying
  wholly outside it (by more than a line height) is a margin note: joined only with other margin
  pieces, kept apart from the answer's lines.
- Reading order: body lines top to bottom, then margin notes top to bottom.

:func:`group_pieces` is pure (indices in, indices out) so it is tested on synthetic boxes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Largest horizontal gap inside one written line, in line heights.
MAX_GAP = 6.0
#: Pieces at least this share of the page wide define the body column.
LONG_PIECE = 0.2


@dataclass
class Piece:
    """One detected quadrilateral (clockwise from top-left), measured."""

    quad: np.ndarray  #: 4x2 float, top-left, top-right, bottom-right, bottom-left

    @property
    def x0(self) -> float:
        return float(self.quad[:, 0].min())

    @property
    def x1(self) -> float:
        return float(self.quad[:, 0].max())

    @property
    def height(self) -> float:
        q = self.quad
        return max(1.0, float((np.linalg.norm(q[3] - q[0]) + np.linalg.norm(q[2] - q[1])) / 2))

    @property
    def slope(self) -> float:
        q = self.quad
        top = (q[1] - q[0] + q[2] - q[3]) / 2
        return float(top[1] / top[0]) if abs(top[0]) > 1e-6 else 0.0

    def centre_y(self, x: float) -> float:
        """The piece's centre line at ``x`` (extended beyond the piece along its slope)."""
        q = self.quad
        cx, cy = float(q[:, 0].mean()), float(q[:, 1].mean())
        return cy + self.slope * (x - cx)


@dataclass
class Group:
    """Pieces (indices) that make one written line, left to right."""

    members: list[int] = field(default_factory=list)
    margin: bool = False


def group_pieces(quads: list[np.ndarray] | np.ndarray, page_width: int) -> list[Group]:
    """The written lines made of ``quads``, in reading order (see the module docstring)."""
    pieces = [Piece(np.asarray(q, dtype=np.float64).reshape(4, 2)) for q in quads]
    if not pieces:
        return []
    heights = np.array([p.height for p in pieces])
    line_height = float(np.median(heights))
    long = [p for p in pieces if p.x1 - p.x0 >= LONG_PIECE * page_width]
    left = min(p.x0 for p in long) - line_height if long else -np.inf
    right = max(p.x1 for p in long) + line_height if long else np.inf
    margin = [p.x1 < left or p.x0 > right for p in pieces]

    order = sorted(range(len(pieces)), key=lambda i: pieces[i].x0)
    groups: list[Group] = []
    for i in order:
        piece = pieces[i]
        best, best_distance = None, np.inf
        for group in groups:
            if group.margin != margin[i]:
                continue
            last = pieces[group.members[-1]]
            height = max(last.height, piece.height)
            gap = piece.x0 - last.x1
            if gap < -0.5 * height or gap > MAX_GAP * height:
                continue
            distance = abs(last.centre_y(piece.x0) - piece.centre_y(piece.x0))
            if distance <= 0.5 * min(last.height, piece.height) and distance < best_distance:
                best, best_distance = group, distance
        if best is None:
            groups.append(Group(members=[i], margin=margin[i]))
        else:
            best.members.append(i)

    def top(group: Group) -> float:
        first = pieces[group.members[0]]
        return first.centre_y(first.x0)

    return sorted(groups, key=lambda g: (g.margin, top(g)))


def outline(quads: list[np.ndarray]) -> list[tuple[int, int]]:
    """One polygon around the pieces of a line (clockwise from the top-left): the pieces' top edges
    left to right, then their bottom edges right to left. One piece gives its own quadrilateral."""
    ordered = sorted((np.asarray(q, dtype=np.float64).reshape(4, 2) for q in quads), key=lambda q: q[:, 0].min())
    top = [pt for q in ordered for pt in (q[0], q[1])]
    bottom = [pt for q in reversed(ordered) for pt in (q[2], q[3])]
    return [(int(round(x)), int(round(y))) for x, y in top + bottom]


def baseline(quads: list[np.ndarray]) -> list[tuple[int, int]]:
    """The line's baseline: the pieces' bottom edges, left to right."""
    ordered = sorted((np.asarray(q, dtype=np.float64).reshape(4, 2) for q in quads), key=lambda q: q[:, 0].min())
    return [(int(round(x)), int(round(y))) for q in ordered for x, y in (q[3], q[2])]
