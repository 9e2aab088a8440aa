"""Altered copies of a line image, so a few hundred confirmed lines teach more than their pixels.

The standard handwriting set, kept small enough that the text stays legible: a rotation of up to
``ROTATE`` degrees, a gentle elastic (sideways wave) distortion, thinner or thicker strokes (grey
erosion by one pixel, or a faded dilation), and another contrast and brightness. Padding is white, as the
crops are.
"""

from __future__ import annotations

import random

import cv2
import numpy as np

ROTATE = 1.5  # degrees; lines on a page tilt about this much (HN2021: 90 % within 1.1°)


def altered(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """One altered copy of ``image`` (8-bit grey or BGR), drawn with ``rng``."""
    out = _rotate(image, rng.uniform(-ROTATE, ROTATE))
    out = _wave(out, rng)
    stroke = rng.choice((-1, 0, 1))
    if stroke:
        kernel = np.ones((2, 2), np.uint8)
        if stroke > 0:  # ink is dark: a grey erosion thickens it
            out = cv2.erode(out, kernel)
        else:  # half a dilation: thin strokes fade rather than vanish
            out = cv2.addWeighted(out, 0.6, cv2.dilate(out, kernel), 0.4, 0)
    contrast, brightness = rng.uniform(0.7, 1.2), rng.uniform(-20, 20)
    return np.clip(out.astype(np.float32) * contrast + brightness + 255 * (1 - contrast), 0, 255).astype(np.uint8)


def _rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))


def _wave(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """Columns shifted up and down along a slow sine, rows sideways along another: elastic-like."""
    height, width = image.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    amplitude = rng.uniform(0, 0.04) * height
    period = rng.uniform(0.5, 2.0) * height
    phase = rng.uniform(0, 2 * np.pi)
    map_y = ys + amplitude * np.sin(2 * np.pi * xs / max(period, 1) + phase)
    map_x = xs + amplitude * np.sin(2 * np.pi * ys / max(height, 1) + phase)
    return cv2.remap(image, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=(255, 255, 255))
