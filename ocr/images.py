"""Loading page images from scan files: PDF pages, JPG/PNG, (multi-page) TIFF.

Two questions per file, asked at different times: *how many pages* (the main process, before the
batch, so every page becomes one unit of work and a corrupt file fails on its own), and *give me
page i* (a worker). Every problem a file can have becomes an :class:`InputFileError` naming the
file and the reason: empty, corrupt, encrypted, unsupported, larger than ``ocr.max_pixels``.
Images come back as 8-bit BGR arrays (OpenCV's layout), EXIF orientation already applied.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from examkit.errors import InputFileError, MissingDependencyError
from ocr import programs
from ocr.intake import IMAGE_SUFFIXES


def page_count(path: Path, *, dpi: int, max_pixels: int) -> int:
    """How many pages ``path`` holds; raises :class:`InputFileError` for a file that cannot be read."""
    _check_not_empty(path)
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        info = pdf_info(path)
        pages = int(info.get("Pages", "0"))
        if pages < 1:
            raise InputFileError(path, "the PDF has no pages")
        _check_pdf_size(path, info, dpi=dpi, max_pixels=max_pixels)
        return pages
    if suffix in IMAGE_SUFFIXES:
        with _open_image(path) as image:
            _check_pixels(path, image.size, max_pixels)
            return getattr(image, "n_frames", 1)
    raise InputFileError(path, f"unsupported file type {suffix or '(none)'}", advice="Scans must be PDF, PNG, JPG or TIFF.")


def load_page(path: Path, index: int, *, dpi: int, max_pixels: int) -> np.ndarray:
    """Page ``index`` (0-based) of ``path`` as an 8-bit BGR array."""
    _check_not_empty(path)
    if path.suffix.lower() == ".pdf":
        image = _render_pdf_page(path, index, dpi=dpi)
        _check_pixels(path, image.size, max_pixels)
    else:
        with _open_image(path) as opened:
            _check_pixels(path, opened.size, max_pixels)
            try:
                if index:
                    opened.seek(index)
                image = ImageOps.exif_transpose(opened)
                image = image.convert("RGB") if image.mode != "RGB" else image.copy()
            except (OSError, EOFError, ValueError) as exc:
                raise InputFileError(path, f"image data is damaged ({exc})", advice="Scan or export the page again.") from exc
    rgb = np.asarray(image, dtype=np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def pdf_info(path: Path) -> dict[str, str]:
    """``pdfinfo``'s fields; encryption and damage become a clear :class:`InputFileError`."""
    proc = programs.run([programs.PDFINFO.command, str(path)], check=False, timeout=60)
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        raise _pdf_error(path, stderr)
    fields = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def _pdf_error(path: Path, stderr: str) -> InputFileError:
    """Interpret poppler's complaints (the one place that reads its stderr)."""
    low = stderr.lower()
    if "password" in low or "encrypt" in low:
        return InputFileError(path, "the PDF is encrypted (password protected)",
                              advice="Save an unprotected copy (e.g. qpdf --decrypt) and scan that.")
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "unreadable"
    return InputFileError(path, f"not a readable PDF ({last})", advice="Export or scan the document again.")


def _check_pdf_size(path: Path, info: dict[str, str], *, dpi: int, max_pixels: int) -> None:
    match = re.match(r"([\d.]+)\s*x\s*([\d.]+)\s*pts", info.get("Page size", ""))
    if match:
        width, height = (float(v) * dpi / 72 for v in match.groups())
        _check_pixels(path, (int(width), int(height)), max_pixels, hint=f" at {dpi} DPI")


def _render_pdf_page(path: Path, index: int, *, dpi: int) -> Image.Image:
    from pdf2image import convert_from_path
    from pdf2image.exceptions import PDFInfoNotInstalledError, PDFPageCountError, PDFSyntaxError

    programs.PDFTOPPM.require()
    try:
        pages = convert_from_path(str(path), dpi=dpi, first_page=index + 1, last_page=index + 1)
    except PDFInfoNotInstalledError as exc:
        raise MissingDependencyError("pdftoppm (renders PDF pages)", install=programs.PDFTOPPM.install) from exc
    except (PDFPageCountError, PDFSyntaxError) as exc:
        raise _pdf_error(path, str(exc)) from exc
    if not pages:
        raise InputFileError(path, f"page {index + 1} could not be rendered", advice="Export or scan the document again.")
    return pages[0].convert("RGB")


def _check_not_empty(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputFileError(path, "the file disappeared") from exc
    if size == 0:
        raise InputFileError(path, "the file is empty (0 bytes)", advice="Scan or copy it again.")


def _open_image(path: Path) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # max_pixels decides
            image = Image.open(path)
            image.size  # noqa: B018 - the header is parsed here
        return image
    except Image.DecompressionBombError as exc:
        raise InputFileError(path, "the image is too large to be a page scan", advice="Scale it down first.") from exc
    except UnidentifiedImageError as exc:
        raise InputFileError(path, "not a readable image (corrupt or not really a PNG/JPG/TIFF)",
                             advice="Export or scan the page again.") from exc
    except OSError as exc:
        raise InputFileError(path, f"not a readable image ({exc})", advice="Export or scan the page again.") from exc


def _check_pixels(path: Path, size: tuple[int, int], max_pixels: int, hint: str = "") -> None:
    width, height = size
    if width * height > max_pixels:
        raise InputFileError(
            path,
            f"the page is {width}x{height} pixels{hint}, over the limit of {max_pixels:,} (ocr.max_pixels)",
            advice="Scan at a lower resolution (--dpi) or raise ocr.max_pixels in examkit.toml.",
        )
    if width < 16 or height < 16:
        raise InputFileError(path, f"the image is only {width}x{height} pixels", advice="This is not a page scan.")
