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


def corrected_workspace(ws, pages: int) -> list[LineSample]:
    """``pages`` scanned pages of typed lines in ``ws``, each line's text saved by a person.

    The reader's text is left wrong on purpose, so only the person's saves make the right text.
    """
    import cv2
    import numpy as np

    from examkit.models import Document, Line, PageOCR, Word

    lines = typed_lines(pages)
    for number in range(pages):
        pair = lines[2 * number:2 * number + 2]
        width = max(s.image.shape[1] for s in pair) + 40
        page = np.full((200, width), 255, np.uint8)
        boxes = []
        for row, sample in enumerate(pair):
            h, w = sample.image.shape
            y = 30 + 80 * row
            page[y:y + h, 20:20 + w] = sample.image
            boxes.append((20, y, 20 + w, y + h))
        image = f"pages/learn-{number}.png"
        cv2.imwrite(str(ws.path(image)), page)
        doc_id = f"K8/schueler-{number}"
        ws.documents.upsert(Document(id=doc_id, exam="K8", source=f"/scans/{number}.png"))
        reading = PageOCR(engine="rapidocr", lines=[Line(words=[Word(text="falsch", conf=30.0, bbox=box)], bbox=box)
                                                   for box in boxes])
        page_id = ws.documents.store_page_ocr(doc_id, 1, reading, image=image).id
        for line, sample in zip(ws.lines.current(page_id), pair):
            ws.lines.save(line.id, base=line.revision, text=sample.text)
    return lines
