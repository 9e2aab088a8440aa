"""Writes ``workspace_0001.sql``: a workspace as examkit wrote it before lines were entities.

Run once with the release that had only schema 0001 on the path (``PYTHONPATH=<that checkout>``);
the dump is checked in so the migration test always starts from that release's own writing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import Workspace


def _line(text: str, y: int) -> Line:
    words, x = [], 100
    for token in text.split():
        words.append(Word(text=token, conf=60.0, bbox=(x, y, x + 20 * len(token), y + 40), flagged=token.endswith("?")))
        x += 20 * len(token) + 15
    return Line(words=words, bbox=(100, y, max(x, 101), y + 40))


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(tmp) as ws:
        assert ws.schema_version() == 1, "run this with the schema-0001 release"
        ws.documents.upsert(Document(id="Klasse/arslan-deniz", exam="Klasse", source="Klasse/arslan-deniz.pdf"))
        ocr = ["Luther hat Thesen", "an die Tur? geschlagen", "im Jahr 1517"]
        ws.documents.store_page_ocr("Klasse/arslan-deniz", 1, PageOCR(engine="tesseract", lines=[_line(t, 200 + 60 * i) for i, t in enumerate(ocr)], width=1000, height=1400), image="pages/a-1.png", width=1000, height=1400)
        page = ws.documents.pages("Klasse/arslan-deniz")[0]
        first = ws.revisions.add_text(page.id, "Luther hat Thesen\nan die Tür geschlagen\nim Jahr 1517", author="Frau Keller", base=None)
        # the teacher inserted the heading the OCR missed, above everything
        ws.revisions.add_text(page.id, "1B\nLuther hat Thesen\nan die Tür geschlagen\nim Jahr 1517\n", author="Frau Keller", base=first.id)
        ws.revisions.add_text(page.id, "Randbemerkung: gut", layer="teacher", author="Frau Keller")
        ws.revisions.mark_reviewed(page.id, author="Frau Keller")
        ws.documents.store_page_ocr("Klasse/arslan-deniz", 2, PageOCR(engine="tesseract", lines=[_line("Die Bauern", 200), _line("zogen los", 260)]), image="pages/a-2.png")
        ws.documents.store_page_ocr("Klasse/arslan-deniz", 3, PageOCR(engine="tesseract", lines=[]), image="pages/a-3.png")
        ws.revisions.add_analysis("Klasse/arslan-deniz", "Fehleranalyse\nGesamt: 10/20", author="Frau Keller")
        ws.documents.upsert(Document(id="Klasse/typed-tom", exam="Klasse", source="Klasse/typed-tom.txt", typed=True))
        ws.documents.store_page_ocr("Klasse/typed-tom", 1, PageOCR(engine="typed", lines=[Line(words=[Word(text="Getippt", conf=100, bbox=(0, 0, 0, 0))], bbox=(0, 0, 0, 0))]))
        dump = "\n".join(line for line in ws.db.iterdump() if not line.startswith("PRAGMA"))
    out.write_text(dump + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
