"""Separating the teacher's red ink from the student's blue or black writing.

Teachers correct on the same paper, in red. For the engine the red strokes are noise that cut
through letters; for the Fehleranalyse they are the most valuable thing on the page. So the page
is split in HSV: pixels with a red hue (configurable ranges; OpenCV hues run 0-179 and red wraps
around 0), enough saturation and not too dark form the *teacher layer*; the *student layer* is the
page with those pixels painted over from their surroundings (inpainting), so a red line crossing
a word leaves the word readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

DEFAULT_RED_HUES: tuple[tuple[int, int], ...] = ((0, 10), (165, 179))


@dataclass
class InkLayers:
    student: np.ndarray  #: BGR page without the red strokes
    teacher: np.ndarray  #: uint8 mask, 255 where red ink is


def red_mask(
    bgr: np.ndarray,
    hues: Sequence[Sequence[int]] = DEFAULT_RED_HUES,
    *,
    min_saturation: int = 70,
    min_value: int = 60,
    min_area: int = 8,
) -> np.ndarray:
    """255 where a pixel is red ink, 0 elsewhere; tiny specks are dropped."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    mask: np.ndarray = np.zeros(bgr.shape[:2], np.uint8)
    for low, high in hues:
        mask = cv2.bitwise_or(mask, cv2.inRange(hsv, (int(low), min_saturation, min_value), (int(high), 255, 255)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    specks = stats[:, cv2.CC_STAT_AREA] < min_area
    specks[0] = False
    if specks.any():
        mask[specks[labels]] = 0
    return mask


def separate(bgr: np.ndarray, hues: Sequence[Sequence[int]] = DEFAULT_RED_HUES) -> InkLayers:
    """Split a colour page into the student layer and the teacher's red-ink mask."""
    if bgr.ndim != 3:
        return InkLayers(student=bgr, teacher=np.zeros(bgr.shape[:2], np.uint8))
    mask = red_mask(bgr, hues)
    if not mask.any():
        return InkLayers(student=bgr, teacher=mask)
    # Antialiased stroke edges are pinkish-grey and fall outside the hue test: grow the mask a bit.
    grown = cv2.dilate(mask, np.ones((5, 5), np.uint8))
    student = bgr.copy()
    student[grown > 0] = 255
    # Where the red crossed dark student ink, restore the strokes from their surroundings.
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    around = cv2.bitwise_and(cv2.dilate(grown, np.ones((5, 5), np.uint8)), cv2.bitwise_not(grown))
    dark = ((grey < 110) & (around > 0)).astype(np.uint8)
    crossing = np.logical_and(cv2.dilate(dark, np.ones((15, 15), np.uint8)) > 0, grown > 0)
    if crossing.any():
        student = cv2.inpaint(student, (crossing > 0).astype(np.uint8) * 255, 3, cv2.INPAINT_TELEA)
    return InkLayers(student=student, teacher=mask)


def teacher_image(mask: np.ndarray) -> np.ndarray:
    """The teacher layer as black ink on white, for OCR of margin notes and for viewing."""
    return 255 - mask
