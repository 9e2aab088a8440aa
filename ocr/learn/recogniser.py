"""Reading single line images with a RapidOCR-format recognition model, as RapidOCR does, ink softened.

The line's ink is softened (:func:`soften_ink`) and the line blurred as much as shrinking it needs
(:func:`blur_for_shrinking`), both examkit's own steps; then, as RapidOCR does, it is scaled to height
48 keeping its aspect ratio, normalised to [-1, 1] and padded on the right to at least 320 pixels;
the model's class scores are decoded greedily (CTC: repeats merged, blank dropped). The
dictionary lives in the ONNX metadata under ``character``; class 0 is the CTC blank and the last
class a space, as in RapidOCR's ``CTCLabelDecode``. Training uses the same
:func:`line_tensor` so that what the model learns is what the reader sees. No torch here.
"""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np

HEIGHT = 48
MIN_WIDTH = 320
BLANK = 0
#: How dark ink is before the models see it: its darkest 0.5 % of pixels this many grey levels below
#: white (:func:`soften_ink`).
INK_DEPTH = 64
INK_PERCENTILE = 0.5
#: Gaussian sigma per unit of shrinking, applied before a line is shrunk to the model's height.
ANTI_ALIAS = 0.5


def bundled_model() -> Path:
    """The recognition model that ships in the rapidocr wheel, checked by hash (never modified)."""
    from ocr.rapidocr import verify_models

    return verify_models()["rec"]


def line_width(image: np.ndarray) -> int:
    """Width of the line once scaled to the model's height."""
    height, width = image.shape[:2]
    return max(1, math.ceil(HEIGHT * width / max(height, 1)))


def soften_ink(image: np.ndarray) -> np.ndarray:
    """The image with its ink lightened to one darkness (:data:`INK_DEPTH`), paper left white.

    Why: after the illumination step pen ink is near black on pure white, and the detector and the
    recogniser both read real scans better with ink about a quarter as dark (page CER on 41 HN2021
    pages, beam (a): the shared 10 0.239 -> 0.213, the collection's other 31 0.242 -> 0.234; samples
    0.022 -> 0.025, still half of greedy; BENCHMARKS.md); the detector then finds fewer stray
    pieces. Ink that is already that light (pencil) is left as it is; softening twice changes nothing."""
    values = image[:: max(1, image.shape[0] // 256), :: max(1, image.shape[1] // 256)]
    darkest = float(np.percentile(values, INK_PERCENTILE))
    factor = INK_DEPTH / max(255.0 - darkest, 1.0)
    if factor >= 1.0:
        return image
    return (255.0 - (255.0 - image.astype(np.float32)) * factor).astype(np.uint8)


def blur_for_shrinking(image: np.ndarray, shrink: float) -> np.ndarray:
    """``image`` blurred as much as shrinking it ``shrink`` times needs, so that it does not alias.

    Why: a 300 dpi line is 2-4 times the recogniser's height, and shrinking it by plain
    interpolation folds the paper's fine grain (laid, textured or recycled paper, scanner noise)
    into speckles the reader takes for strokes. A Gaussian of half the shrink factor first (the
    usual prefilter) read the shared real pages at 0.181 instead of 0.211 (beam (a), engine end to
    end; the textured-paper letter i091 0.42 instead of 0.58); samples unchanged (BENCHMARKS.md)."""
    return cv2.GaussianBlur(image, (0, 0), ANTI_ALIAS * shrink) if shrink > 1 else image


def line_tensor(image: np.ndarray, width: int) -> np.ndarray:
    """A line image (grey or BGR, 8 bit) as the model's 3×48×``width`` float input (ink softened,
    blurred before it is shrunk)."""
    image = blur_for_shrinking(soften_ink(image), image.shape[0] / HEIGHT)
    if image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    resized_w = min(line_width(image), width)
    resized = cv2.resize(image, (resized_w, HEIGHT)).astype(np.float32)
    out = np.zeros((3, HEIGHT, width), dtype=np.float32)
    out[:, :, :resized_w] = (resized.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    return out


def batch_width(images: list[np.ndarray]) -> int:
    return max([MIN_WIDTH, *(line_width(image) for image in images)])


def classes_of(metadata: dict[str, str]) -> list[str]:
    """The class list of a model from its ``character`` metadata: blank, the characters, space."""
    return ["", *metadata["character"].splitlines(), " "]


def greedy_decode(scores: np.ndarray, classes: list[str]) -> str:
    """Best path of one line's (steps × classes) scores: repeats merged, blanks dropped."""
    best = scores.argmax(axis=-1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != BLANK
    return "".join(classes[i] for i in best[keep])


class LineReader:
    """An onnxruntime session over one recognition model file; reads line images to text."""

    def __init__(self, model: Path, threads: int = 0) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.model = model
        self.session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    @cached_property
    def classes(self) -> list[str]:
        return classes_of(self.session.get_modelmeta().custom_metadata_map)

    def read(self, image: np.ndarray) -> str:
        x = line_tensor(image, batch_width([image]))[None]
        scores = self.session.run(None, {self.session.get_inputs()[0].name: x})[0][0]
        return greedy_decode(scores, self.classes)
