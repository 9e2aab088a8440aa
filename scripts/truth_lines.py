"""The samples' known line boxes on a stored page image, and what a line's crop holds.

``samples/ground-truth/<doc>/layout.json`` gives every written line's box in flat-page pixels
(samples/README.md, Coordinates); the workspace stores a preprocessed image (page found,
deskewed) with the reader's words on it. The two are related by a projective map, fitted here on
the word centres whose text the reader got right and that occur once on both sides (RANSAC drops
the odd wrong pairing). Used by the demo's review step (a teacher's stand-in who fixes the line
layout and types each line) and by ``benchmarks/bench_lines.py`` (the measures).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from examkit.models import PageLine

ROOT = Path(__file__).resolve().parent.parent
TRUTH = ROOT / "samples" / "ground-truth"
#: A crop "holds" a written line when more than this share of the line's word centres lie in it.
COVER = 0.5


@dataclass
class TruthLine:
    text: str
    polygon: list[tuple[int, int]]  # the known box mapped onto the stored image (four corners)
    centres: list[tuple[float, float]]  # its words' centres on the stored image
    band: list[tuple[int, int]]  # an outline hugging its words (tops left to right, bottoms back)

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs, ys = [p[0] for p in self.polygon], [p[1] for p in self.polygon]
        return min(xs), min(ys), max(xs), max(ys)


def truth_lines(document_id: str, number: int, lines: list[PageLine]) -> list[TruthLine] | None:
    """The page's known lines on the stored image, or ``None`` (no layout, or too few sure words)."""
    layout = TRUTH / document_id / "layout.json"
    if not layout.is_file():
        return None
    pages = [p for p in json.loads(layout.read_text("utf-8"))["pages"] if p["page"] == number]
    if not pages:
        return None
    truth_words = [(w["text"], w["bbox"]) for line in pages[0]["lines"] for w in line["words"]]
    read_words = [(w.text, w.bbox) for line in lines for w in line.words]
    once_t = {t for t, n in Counter(t for t, _ in truth_words).items() if n == 1 and len(t) > 2}
    once_r = {t for t, n in Counter(t for t, _ in read_words).items() if n == 1}
    common = sorted(once_t & once_r)
    known, read = dict(truth_words), dict(read_words)
    src = np.float32([_centre(known[t]) for t in common])
    dst = np.float32([_centre(read[t]) for t in common])
    if len(src) < 6:
        return None
    matrix, inliers = cv2.findHomography(src, dst, cv2.RANSAC, 12.0)
    if matrix is None or int(inliers.sum()) < 6:
        return None
    out = []
    for line in pages[0]["lines"]:
        x0, y0, x1, y1 = line["bbox"]
        corners = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
        mapped = cv2.perspectiveTransform(corners, matrix).reshape(-1, 2)
        centres = np.float32([_centre(w["bbox"]) for w in line["words"]]).reshape(-1, 1, 2)
        on_image = cv2.perspectiveTransform(centres, matrix).reshape(-1, 2) if len(centres) else []
        boxes = []
        for w in line["words"]:
            wx0, wy0, wx1, wy1 = w["bbox"]
            c = cv2.perspectiveTransform(np.float32([[wx0, wy0], [wx1, wy0], [wx1, wy1], [wx0, wy1]]).reshape(-1, 1, 2),
                                         matrix).reshape(-1, 2)
            boxes.append((c[:, 0].min(), c[:, 1].min(), c[:, 0].max(), c[:, 1].max()))
        boxes.sort()
        band = [p for b in boxes for p in ((b[0], b[1]), (b[2], b[1]))]
        band += [p for b in reversed(boxes) for p in ((b[2], b[3]), (b[0], b[3]))]
        out.append(TruthLine(line["text"], [(max(0, round(x)), max(0, round(y))) for x, y in mapped],
                             [(float(x), float(y)) for x, y in on_image],
                             [(max(0, round(x)), max(0, round(y))) for x, y in band]))
    return out


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def held(outline: list[tuple[int, int]], truth: list[TruthLine]) -> list[int]:
    """Indexes of the known lines a crop cut by ``outline`` holds: more than half of their words'
    centres lie inside it (a neighbour's ascenders, descenders or one wavering word reaching in
    do not count)."""
    contour = np.float32(outline).reshape(-1, 1, 2)
    out = []
    for k, line in enumerate(truth):
        inside = sum(1 for x, y in line.centres if cv2.pointPolygonTest(contour, (x, y), False) >= 0)
        if line.centres and inside > COVER * len(line.centres):
            out.append(k)
    return out
