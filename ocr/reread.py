"""One line read again from its image, after a person changed its outline (the line editor).

The crop is the line's box on the stored page image with everything outside its outline white,
read by the engine that read the page (or the configured one) through its ``read_line``
capability; words come back in page pixels, so their flags sit where the words are. Public API:
:func:`read_again` (what the composition root, ``examkit/cli.py``, hands the review page),
:func:`reread_line`, :func:`page_engine`. The engine is built by :func:`ocr.factory.engine_for`, like
a scan's: the adopted learned reader and the exam's words read here too.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from examkit.errors import UserInputError
from examkit.models import Line, PageLine, Word
from examkit.workspace import Workspace
from ocr.engine import ENGINES, Engine
from ocr.factory import engine_for


def page_engine(ws: Workspace, page_id: int) -> Engine:
    """The engine that read the page, else the configured one; it must read single lines."""
    reading = ws.documents.latest_ocr(page_id)
    name = reading.engine if reading is not None and reading.engine in ENGINES else ws.config.ocr.engine
    engine = engine_for(ws, name)
    if not engine.reads_lines:
        raise UserInputError(f"the {name} engine cannot read a single line",
                             advice="Choose an engine that can ([ocr] engine = \"rapidocr\").")
    return engine


def reread_line(ws: Workspace, line: PageLine, engine: Engine) -> Line:
    """What ``engine`` reads in the line's outline, in page pixels."""
    page = ws.documents.page(line.page_id)
    box = line.bbox
    if box is None or not page.image or not ws.path(page.image).is_file():
        raise UserInputError(f"line {line.id} has no outline or its page no image", advice="Draw the line first.")
    with Image.open(ws.path(page.image)) as image:
        grey = image.convert("L").crop((box[0], box[1], box[2] + 1, box[3] + 1))
    mask = Image.new("L", grey.size, 0)
    ImageDraw.Draw(mask).polygon([(x - box[0], y - box[1]) for x, y in line.polygon], fill=255)
    crop = Image.composite(grey, Image.new("L", grey.size, 255), mask)
    found = engine.read_line(np.asarray(crop), lang=ws.config.ocr.lang)
    dx, dy = box[0], box[1]
    words = [Word(text=w.text, conf=w.conf, flagged=w.flagged,
                  bbox=(w.bbox[0] + dx, w.bbox[1] + dy, w.bbox[2] + dx, w.bbox[3] + dy)) for w in found.words]
    return Line(words=words, bbox=(box[0], box[1], box[2], box[3]), conf=found.conf, layer=line.layer)


def read_again(ws: Workspace, line: PageLine) -> tuple[Line, str]:
    """The line read again by the page's engine, and that engine's name."""
    engine = page_engine(ws, line.page_id)
    return reread_line(ws, line, engine), engine.name
