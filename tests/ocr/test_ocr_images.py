from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from examkit.errors import InputFileError
from ocr.images import load_page, page_count

LIMIT = 80_000_000


def _encrypted_pdf(path: Path) -> Path:
    """A tiny PDF whose standard security handler rejects the empty user password."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def test_pdf_pages_are_counted_and_rendered_at_the_dpi(tmp_path: Path):
    pages = [Image.new("RGB", (300, 400), c) for c in ("white", "gray")]
    pages[0].save(tmp_path / "doc.pdf", save_all=True, append_images=pages[1:], resolution=100)
    assert page_count(tmp_path / "doc.pdf", dpi=100, max_pixels=LIMIT) == 2
    image = load_page(tmp_path / "doc.pdf", 1, dpi=100, max_pixels=LIMIT)
    assert image.shape[:2] == (400, 300) and image.dtype == np.uint8
    assert image[200, 150, 0] < 200  # the grey second page


def test_multipage_tiff_and_exif_orientation(tmp_path: Path):
    frames = [Image.new("RGB", (100, 60), c) for c in ("red", "green", "blue")]
    frames[0].save(tmp_path / "scan.tiff", save_all=True, append_images=frames[1:])
    assert page_count(tmp_path / "scan.tiff", dpi=300, max_pixels=LIMIT) == 3
    third = load_page(tmp_path / "scan.tiff", 2, dpi=300, max_pixels=LIMIT)
    assert tuple(third[30, 50]) == (255, 0, 0)  # blue in BGR

    photo = Image.new("RGB", (100, 60), "white")
    exif = photo.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    photo.save(tmp_path / "photo.jpg", exif=exif)
    assert load_page(tmp_path / "photo.jpg", 0, dpi=300, max_pixels=LIMIT).shape[:2] == (100, 60)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.pdf", b"", "empty"),
        ("empty.png", b"", "empty"),
        ("broken.pdf", b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
        ("broken.jpg", b"\xff\xd8\xff\xe0 garbage", "not a readable image"),
        ("notes.gif", b"GIF89a", "unsupported file type"),
    ],
)
def test_bad_files_name_the_file_and_the_reason(tmp_path: Path, name: str, data: bytes, reason: str):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputFileError) as info:
        page_count(path, dpi=300, max_pixels=LIMIT)
    assert reason in info.value.one_line() and str(path) in info.value.one_line()


def test_encrypted_pdf(tmp_path: Path):
    with pytest.raises(InputFileError, match="encrypted"):
        page_count(_encrypted_pdf(tmp_path / "secret.pdf"), dpi=300, max_pixels=LIMIT)


def test_images_over_the_pixel_limit_are_refused(tmp_path: Path):
    Image.new("1", (2000, 1000)).save(tmp_path / "huge.png")
    with pytest.raises(InputFileError, match="max_pixels"):
        page_count(tmp_path / "huge.png", dpi=300, max_pixels=1_000_000)
    with pytest.raises(InputFileError, match="max_pixels"):
        load_page(tmp_path / "huge.png", 0, dpi=300, max_pixels=1_000_000)
    Image.new("RGB", (600, 800), "white").save(tmp_path / "a4.pdf", resolution=72)
    with pytest.raises(InputFileError, match="at 1200 DPI"):
        page_count(tmp_path / "a4.pdf", dpi=1200, max_pixels=1_000_000)
