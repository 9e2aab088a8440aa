"""Fixtures for the vlm engine, alignment, cost/privacy and ``ocr eval`` tests.

The OpenAI-compatible server is the shared fake (``tests.fakes``): a real HTTP server on
127.0.0.1 whose chat answer a test sets. Pages are rendered with a font from /usr/share/fonts, so
Tesseract has real word boxes to align with.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.fakes import openai_server  # noqa: F401  (the fixture)

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def render_lines(lines: list[str], *, size: int = 40, width: int = 1400, pitch: int = 90) -> np.ndarray:
    """Black text on white, one line per entry, as an 8-bit grey array."""
    if not FONT.exists():
        pytest.skip(f"font {FONT} not installed")
    font = ImageFont.truetype(str(FONT), size)
    image = Image.new("L", (width, 60 + pitch * len(lines) + 40), 255)
    draw = ImageDraw.Draw(image)
    for i, text in enumerate(lines):
        draw.text((60, 60 + i * pitch), text, font=font, fill=0)
    return np.array(image)


@pytest.fixture
def answer(openai_server):  # noqa: F811
    """Set what the fake model answers: ``answer("line 1\\nline 2")`` (the same for every request)."""
    def set_answer(text: str) -> None:
        openai_server.chat = lambda request: text
    return set_answer
