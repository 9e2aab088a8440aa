"""The phone-photo effect: a flat page photographed on a table.

The page is warped by a perspective transform (a homography H) onto a table-coloured background,
darkened by a shadow gradient, slightly blurred and later JPEG-compressed. H maps a point (x, y)
of the flat page to (u, v) in the photo: [u*w, v*w, w] = H @ [x, y, 1]. The ground truth keeps the
flat-page coordinates and stores H, so a consumer can map them into the photo.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from PIL import Image

PHOTO_W, PHOTO_H = 1800, 2400  # a 3:4 phone picture, scaled down


def photograph(page: Image.Image, seed: str) -> tuple[Image.Image, np.ndarray]:
    """Return the photo and the 3x3 homography from flat-page to photo pixel coordinates."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(list(seed.encode()))
    w, h = page.size
    # where the page's corners land: inset from the photo's edges, each corner jittered
    scale = rng.uniform(0.84, 0.9) * min(PHOTO_W / w, PHOTO_H / h)
    cw, ch = w * scale, h * scale
    ox, oy = (PHOTO_W - cw) / 2, (PHOTO_H - ch) / 2
    j = 0.045 * PHOTO_W
    dst = np.float32([
        [ox + rng.uniform(-j, j), oy + rng.uniform(-j, j)],
        [ox + cw + rng.uniform(-j, j), oy + rng.uniform(-j, j)],
        [ox + cw + rng.uniform(-j, j), oy + ch + rng.uniform(-j, j)],
        [ox + rng.uniform(-j, j), oy + ch + rng.uniform(-j, j)],
    ])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    H = cv2.getPerspectiveTransform(src, dst)

    table = _table(nrng)
    flat = np.asarray(page.convert("RGB"), np.float32)
    warped = cv2.warpPerspective(flat, H, (PHOTO_W, PHOTO_H), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), H, (PHOTO_W, PHOTO_H), flags=cv2.INTER_LINEAR)
    # a soft drop shadow of the page on the table
    shadow = cv2.GaussianBlur(cv2.warpAffine(mask, np.float32([[1, 0, 14], [0, 1, 18]]),
                                             (PHOTO_W, PHOTO_H)), (0, 0), 12)
    table *= (1 - 0.35 * shadow)[..., None]
    img = table * (1 - mask[..., None]) + warped * mask[..., None]
    img *= _light(rng)[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    img += nrng.normal(0, 2.0, img.shape).astype(np.float32)  # sensor noise
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)), H


def _table(nrng: np.random.Generator) -> np.ndarray:
    """A wooden-table colour with a coarse grain running along x."""
    base = np.array([112, 84, 58], np.float32)
    grain = nrng.normal(0, 1, (PHOTO_H // 8, 6)).astype(np.float32)
    grain = cv2.resize(grain, (PHOTO_W, PHOTO_H), interpolation=cv2.INTER_CUBIC)
    return base[None, None, :] * (1 + 0.08 * grain[..., None])


def _light(rng: random.Random) -> np.ndarray:
    """Light falling off towards one corner (a hand or the phone shading the page)."""
    ys, xs = np.mgrid[0:PHOTO_H, 0:PHOTO_W].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    d = (np.cos(angle) * xs / PHOTO_W + np.sin(angle) * ys / PHOTO_H)
    d = (d - d.min()) / (d.max() - d.min())
    dark = rng.uniform(0.55, 0.7)
    return (dark + (1 - dark) * d ** 0.7).astype(np.float32)
