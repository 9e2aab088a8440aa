"""Page images for the browser: a downscaled copy cached on disk, and line crops cut from it.

A 300-DPI A4 scan is 2480×3508 pixels and several MB; the page view needs ~1400 pixels wide.
The copy is built once per page image (its name carries the source's size and mtime, so a
re-scan makes a new one) under ``<workspace>/pages/thumbs``. Line crops are cut from the cached
copy, which stays decoded in a small in-memory cache while a teacher walks through a page.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from pathlib import Path

from PIL import Image

from examkit.errors import NotFoundError
from examkit.files import atomic_write_bytes
from examkit.models import BBox, Page

THUMB_WIDTH = 1400
_DECODED: OrderedDict[Path, Image.Image] = OrderedDict()
_DECODED_MAX = 4
_LOCK = threading.Lock()


def source_image(root: Path, page: Page) -> Path:
    """The page image to show: the preprocessed one, else the original."""
    for rel in (page.image, page.original):
        if rel and (root / rel).is_file():
            return root / rel
    raise NotFoundError(f"page {page.id} has no image in the workspace")


def thumbnail(root: Path, page: Page) -> Path:
    """The cached downscaled copy of a page image (built on first use)."""
    src = source_image(root, page)
    stat = src.stat()
    key = hashlib.sha256(f"{src}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = root / "pages" / "thumbs" / f"page-{page.id}-{key}.jpg"
    if target.is_file():
        return target
    with Image.open(src) as img:
        img.draft("L" if img.mode == "L" else "RGB", (THUMB_WIDTH, THUMB_WIDTH * 2))  # JPEG: decode smaller
        img = img.convert("L" if img.mode in ("1", "L", "LA", "I", "I;16") else "RGB")
        if img.width > THUMB_WIDTH:
            img = img.resize((THUMB_WIDTH, round(img.height * THUMB_WIDTH / img.width)), Image.Resampling.LANCZOS)
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=88, optimize=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, buf.getvalue())
    return target


def line_crop(root: Path, page: Page, bbox: BBox, page_width: int, pad: int = 6) -> bytes:
    """A PNG of one line's box (``bbox`` in page pixels of a page ``page_width`` wide)."""
    thumb = thumbnail(root, page)
    img = _decoded(thumb)
    scale = img.width / page_width if page_width else 1.0
    x0, y0, x1, y1 = (round(v * scale) for v in bbox)
    box = (max(0, x0 - pad), max(0, y0 - pad), min(img.width, x1 + pad), min(img.height, y1 + pad))
    if box[2] <= box[0] or box[3] <= box[1]:
        raise NotFoundError("the line has no area on the page image")
    buf = io.BytesIO()
    img.crop(box).save(buf, "PNG")
    return buf.getvalue()


def _decoded(path: Path) -> Image.Image:
    with _LOCK:
        img = _DECODED.get(path)
        if img is not None:
            _DECODED.move_to_end(path)
            return img
    with Image.open(path) as opened:
        img = opened.copy()
    with _LOCK:
        _DECODED[path] = img
        while len(_DECODED) > _DECODED_MAX:
            _DECODED.popitem(last=False)
    return img
