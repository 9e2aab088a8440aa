"""Page images for the browser: downscaled once, cached on disk under the workspace.

A 300-DPI A4 scan is 2480×3508 pixels and several megabytes; the page needs a tenth of that. The
first request decodes and shrinks it (JPEG decoding at a reduced size where the format allows),
later ones are a file read. The cache key holds the source's size and modification time, so a
rescan that replaces the image is picked up without anyone clearing the cache.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

from PIL import Image

from examkit.errors import NotFoundError
from examkit.files import atomic_write_bytes
from examkit.models import Page

Variant = Literal["image", "original", "student"]
#: Beside a scanned page ``pNNNN.jpg``, the same page without the teacher's red ink (``ocr scan``
#: writes it where it found red ink): what the page view shows when *Lehrermarkierungen* are off.
STUDENT_SUFFIX = ".student.jpg"

#: Width of the served page image; word boxes are placed in percent, so any width fits them.
SERVED_WIDTH = 1400


def source_path(root: Path, page: Page, variant: Variant) -> Path | None:
    """The stored image of a page (the preprocessed one, or the original), if the page has one."""
    relative = page.original if variant == "original" else page.image
    relative = relative or page.image or page.original
    if variant == "student" and page.image:
        without_red = str(Path(page.image).with_suffix("")) + STUDENT_SUFFIX
        relative = without_red if (root / without_red).is_file() else relative
    if not relative:
        return None
    path = (root / relative).resolve()
    if not path.is_relative_to(root.resolve()):
        return None  # a stored path leading out of the workspace is never served
    return path


def served_image(root: Path, cache_dir: Path, page: Page, variant: Variant, *, width: int = SERVED_WIDTH) -> Path:
    """A JPEG of the page at most ``width`` pixels wide; made on first use, then cached."""
    source = source_path(root, page, variant)
    if source is None or not source.is_file():
        raise NotFoundError(f"page {page.id} has no stored image")
    stat = source.stat()
    cached = cache_dir / f"page-{page.id}-{variant}-{stat.st_size}-{stat.st_mtime_ns}-{width}.jpg"
    if cached.is_file():
        return cached
    for old in cache_dir.glob(f"page-{page.id}-{variant}-*.jpg"):
        old.unlink(missing_ok=True)  # an earlier version of this page's image
    atomic_write_bytes(cached, _shrunk_jpeg(source, width))
    return cached


def _shrunk_jpeg(source: Path, width: int) -> bytes:
    with Image.open(source) as img:
        if img.width > width:
            img.draft("RGB" if img.mode not in ("1", "L") else "L", (width, img.height * width // img.width))
        mode = "L" if img.mode in ("1", "L", "LA", "I;16") else "RGB"
        small = img.convert(mode)
        if small.width > width:
            small = small.resize((width, round(small.height * width / small.width)), Image.Resampling.LANCZOS,
                                 reducing_gap=2.0)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def image_size(root: Path, page: Page) -> tuple[int, int]:
    """The pixel size the page's word boxes refer to (the stored preprocessed image)."""
    if page.width and page.height:
        return page.width, page.height
    source = source_path(root, page, "image")
    if source is None or not source.is_file():
        return 0, 0
    with Image.open(source) as img:
        return img.size
