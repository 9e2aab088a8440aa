"""Typed line images made on the spot (Pillow's bundled font), so tests need no data and no network."""

from __future__ import annotations

import importlib.util

import pytest

from ocr.learn.samples import LineSample, render_line

HAS_TRAINING = all(importlib.util.find_spec(n) for n in ("torch", "onnx", "rapidocr", "onnxruntime"))
needs_training = pytest.mark.skipif(not HAS_TRAINING, reason="needs the [local] extra (torch, onnx) and rapidocr")

TEXTS = ["Der Hund bellt laut.", "Die Katze schläft.", "Heute regnet es stark.", "Wir lernen Deutsch.",
         "Das Buch ist spannend.", "Morgen fahren wir weg.", "Er isst einen Apfel.", "Sie singt ein Lied."]


def typed_lines(pages: int = 4) -> list[LineSample]:
    """Two typed lines per page, slanted a little so they are not the guard's plain print."""
    import cv2
    import numpy as np

    out = []
    for i, text in enumerate(TEXTS[:2 * pages]):
        image = render_line(text, size=30)
        h, w = image.shape
        shear = np.float32([[1, -0.25, 0.25 * h], [0, 1, 0]])
        out.append(LineSample(cv2.warpAffine(image, shear, (w + h // 4, h), borderValue=255), text, f"page-{i // 2}"))
    return out
