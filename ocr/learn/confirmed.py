"""The lines a person confirmed in the workspace, as line images to learn from.

Each line is cut from its page image along its outline (``confirmed_lines(ws)`` gives outline,
text, layer and page image). A page whose image is gone or unreadable is skipped with one warning
naming it; the other pages still count. Lines without an outline (a typed page text has more lines
than the reader found) cannot be cut out: they are counted in one warning. The page key keeps lines of one page together when
learning splits off the held-out pages; the layer (student, teacher, margin) is the line's kind.
"""

from __future__ import annotations

import cv2
import numpy as np

from examkit.confirmation import confirmed_lines
from ocr.learn.samples import LineSample, crop_line


def confirmed_samples(ws) -> tuple[list[LineSample], list[str]]:
    """(samples, warnings) for every confirmed line with an outline on a readable page image."""
    samples: list[LineSample] = []
    warnings: list[str] = []
    images: dict[str, np.ndarray | None] = {}
    unplaced = 0
    for line in confirmed_lines(ws):
        if not line.image or len(line.polygon) < 3:
            unplaced += 1
            continue
        if line.image not in images:
            image = cv2.imread(str(ws.path(line.image)), cv2.IMREAD_COLOR)
            images[line.image] = image
            if image is None:
                warnings.append(f"{line.image}: page image missing or unreadable; its lines are left out "
                                "(scan the document again to restore it)")
        image = images[line.image]
        if image is None:
            continue
        samples.append(LineSample(crop_line(image, line.polygon), line.text,
                                  f"{line.document_id}#{line.page_number}", line.layer))
    if unplaced:
        warnings.append(f"{unplaced} confirmed lines have no outline on a page image (typed where the reader found "
                        "no line): left out; draw their outlines in the line editor to learn from them")
    return samples, warnings
