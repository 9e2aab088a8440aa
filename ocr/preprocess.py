"""OpenCV preprocessing: from a phone photo or a flatbed scan to a page Tesseract reads well.

Two phases, because the teacher's red ink must be separated in colour and in the final geometry:

* :func:`normalise` works on the colour page and changes its geometry and light: ``page``
  (find the sheet in a photo and correct the perspective), ``illumination`` (flatten shadows and
  uneven light), ``deskew``, ``border`` (whiten dark scanner edges), ``scale`` (bring the writing
  to a text height Tesseract is trained on). Its output is the page image that is stored and
  whose pixels every word box and teacher mark refers to.
* :func:`clean` turns the student layer (red ink removed) into the image the engine reads:
  ``denoise`` and ``binarize`` (Sauvola, a local threshold that survives faint pencil and
  leftover shading).

Each step can be switched off (``ocr.preprocess`` in ``examkit.toml``) and records what it did
(``deskew(-2.5)``), so a page's result says how it was made. A ``record`` callback receives every
intermediate image (``--save-steps``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import cv2
import numpy as np

STEPS = ("page", "illumination", "deskew", "denoise", "binarize", "border", "scale")

#: Median height (px) of connected ink components the ``scale`` step aims at (tuned on samples/:
#: 55 gave a lower CER than 30, 40 or 70).
TARGET_TEXT_HEIGHT = 55.0
Recorder = Callable[[str, np.ndarray], None]


def check_steps(steps: Iterable[str], key: str = "ocr.preprocess") -> tuple[str, ...]:
    """``steps`` as a tuple; an unknown name is one clear line naming the setting."""
    steps = tuple(steps)
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        from examkit.errors import UserInputError

        raise UserInputError(f"examkit.toml: {key}: unknown preprocessing step(s) {', '.join(unknown)}",
                             advice=f"Known steps: {', '.join(STEPS)}.")
    return steps


@dataclass
class Applied:
    """The steps that changed the page, with their parameters (``deskew(-2.5)``)."""

    steps: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.steps.append(text)


def normalise(bgr: np.ndarray, steps: Iterable[str], applied: Applied, record: Recorder | None = None) -> np.ndarray:
    """Run the enabled geometry/light steps on a colour page, in their fixed order."""
    enabled = set(steps)
    image = bgr
    for name, step in (("page", find_page), ("illumination", flatten_illumination), ("deskew", deskew),
                       ("border", remove_border), ("scale", scale_text)):
        if name not in enabled:
            continue
        image, detail = step(image)
        if detail is not None:
            applied.add(f"{name}({detail})" if detail else name)
            if record:
                record(name, image)
    return image


def clean(bgr: np.ndarray, steps: Iterable[str], applied: Applied, record: Recorder | None = None) -> np.ndarray:
    """The student layer as the 8-bit grey (or binary) image the engine reads."""
    enabled = set(steps)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    if "denoise" in enabled:
        grey = cv2.medianBlur(grey, 3)
        applied.add("denoise")
        if record:
            record("denoise", grey)
    if "binarize" in enabled:
        grey = sauvola(grey)
        if "denoise" in enabled:
            grey = remove_specks(grey)
        applied.add("binarize(sauvola)")
        if record:
            record("binarize", grey)
    return grey


# -- page detection and perspective ------------------------------------------------------------
def find_page(bgr: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Find a sheet of paper lighter than its surroundings and warp it to a flat rectangle.

    Returns the page unchanged (detail ``None``) when the sheet already fills the image (a
    flatbed scan) or no convincing four-cornered outline is found.
    """
    height, width = bgr.shape[:2]
    factor = 800.0 / max(height, width)
    small = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else bgr
    factor = min(factor, 1.0)
    grey = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (7, 7), 0)
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return bgr, None
    outline = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(outline) / (small.shape[0] * small.shape[1])
    if area < 0.2 or area > 0.97:
        return bgr, None
    hull = cv2.convexHull(outline)
    quad = None
    for eps in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, eps * cv2.arcLength(hull, True), True)
        if len(approx) == 4:
            quad = approx.reshape(4, 2).astype(np.float32) / factor
            break
    if quad is None:
        return bgr, None
    corners = _order_corners(quad)
    tl, tr, br, bl = corners
    out_w = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    out_h = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array([[0, 0], [out_w - 1, 0], [out_w - 1, out_h - 1], [0, out_h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners, target)
    warped = cv2.warpPerspective(bgr, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return warped, f"{area:.0%} of the photo"


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    total = points.sum(axis=1)
    diff = np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(total)], points[np.argmin(diff)], points[np.argmax(total)],
                     points[np.argmax(diff)]], np.float32)


# -- light ---------------------------------------------------------------------------------------
def flatten_illumination(bgr: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Divide each channel by its background (the page without ink), removing shadows and gradients."""
    height, width = bgr.shape[:2]
    factor = min(1.0, 600.0 / max(height, width))
    small = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    size = max(9, int(max(small.shape[:2]) / 30) | 1)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
    background = cv2.medianBlur(background, size if size <= 255 else 255)
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(bgr, np.maximum(background, 1), scale=255)
    return flat, ""


# -- geometry ------------------------------------------------------------------------------------
def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Dark pixels (ink) as 255, by Otsu's threshold."""
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return mask


def skew_angle(grey: np.ndarray, *, limit: float = 15.0) -> float:
    """The angle (degrees, counter-clockwise positive) that makes the text lines horizontal.

    Projection profiles: the rotation whose row sums vary most has its lines aligned. Searched
    coarse to fine on a small copy, so a page costs a few milliseconds.
    """
    factor = min(1.0, 1000.0 / max(grey.shape[:2]))
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    mask = ink_mask(small)
    if cv2.countNonZero(mask) < 50:
        return 0.0
    center = (mask.shape[1] / 2, mask.shape[0] / 2)

    def score(angle: float) -> float:
        rotated = cv2.warpAffine(mask, cv2.getRotationMatrix2D(center, angle, 1.0), mask.shape[::-1],
                                 flags=cv2.INTER_NEAREST)
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-limit, limit + 0.01, 1.0), key=score)
    best = max(np.arange(best - 1.0, best + 1.01, 0.1), key=score)
    return float(round(best, 1))


def deskew(bgr: np.ndarray) -> tuple[np.ndarray, str | None]:
    angle = skew_angle(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    if abs(angle) < 0.2:
        return bgr, None
    height, width = bgr.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    rotated = cv2.warpAffine(bgr, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return rotated, f"{angle:+.1f}"


def remove_border(bgr: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Whiten large dark regions touching the image edge (scanner lid, table, page shadow)."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    _, dark = cv2.threshold(grey, 90, 255, cv2.THRESH_BINARY_INV)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    height, width = grey.shape
    remove = np.zeros(count, bool)
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        touches = x == 0 or y == 0 or x + w == width or y + h == height
        if touches and (w > width * 0.25 or h > height * 0.25) and area > 0.002 * width * height:
            remove[label] = True
    if not remove.any():
        return bgr, None
    out = bgr.copy()
    out[remove[labels]] = 255
    return out, f"{int(remove.sum())} region(s)"


def text_height(grey: np.ndarray) -> float | None:
    """Median height of ink components that look like letters; ``None`` on an empty page."""
    mask = ink_mask(grey)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    heights = [h for _, _, w, h, area in stats[1:] if area >= 20 and 4 <= h <= grey.shape[0] / 8 and w < grey.shape[1] / 4]
    if len(heights) < 10:
        return None
    return float(np.median(heights))


def scale_text(bgr: np.ndarray) -> tuple[np.ndarray, str | None]:
    height = text_height(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY))
    if height is None:
        return bgr, None
    factor = float(np.clip(TARGET_TEXT_HEIGHT / height, 0.33, 3.0))
    if 0.8 <= factor <= 1.25:
        return bgr, None
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
    return cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=interpolation), f"x{factor:.2f}"


# -- binarisation --------------------------------------------------------------------------------
def sauvola(grey: np.ndarray, *, window: int = 41, k: float = 0.2, r: float = 128.0) -> np.ndarray:
    """Sauvola's local threshold: ``T = mean * (1 + k * (std / r - 1))`` over a window.

    Computed with box filters (integral images), so it costs a few array passes.
    """
    img = grey.astype(np.float32)
    mean = cv2.boxFilter(img, -1, (window, window), borderType=cv2.BORDER_REFLECT)
    sq = cv2.boxFilter(img * img, -1, (window, window), borderType=cv2.BORDER_REFLECT)
    std = np.sqrt(np.maximum(sq - mean * mean, 0))
    threshold = mean * (1 + k * (std / r - 1))
    return np.where(img > threshold, 255, 0).astype(np.uint8)


def remove_specks(binary: np.ndarray, *, max_area: int = 6) -> np.ndarray:
    """Whiten tiny black components (dust, JPEG noise) left after binarisation."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - binary, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False
    out = binary.copy()
    out[small[labels]] = 255
    return out
