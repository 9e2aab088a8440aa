"""A sample page with the teacher's red ink as a reading (richter-lea of samples/: her lines and
words from layout.json, the red marks from marks.json, each note's kind as the note grammar says).
The reader itself is measured by benchmarks/bench_redink.py; here the page shows what it read."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from examkit.models import Document, Line, Mark, PageOCR, Word
from examkit.workspace import Workspace
from ocr.note_grammar import teacher_notes

SAMPLE = "LK-Weimar-2024/richter-lea"
TRUTH = Path(__file__).resolve().parents[2] / "samples" / "ground-truth" / SAMPLE


def add_red_ink_sample(ws: Workspace) -> int:
    """The sample's document with its one page read; returns the page id."""
    layout = json.loads((TRUTH / "layout.json").read_text())["pages"][0]
    marks = json.loads((TRUTH / "page-001.marks.json").read_text())["marks"]
    grammar = teacher_notes()
    lines = [Line(bbox=tuple(line["bbox"]), words=[Word(text=w["text"], conf=90, bbox=tuple(w["bbox"]))
                                                   for w in line["words"]]) for line in layout["lines"]]
    red = [Mark(kind=m["kind"], bbox=tuple(m["bbox"]), text=m["text"],
                note=grammar.accepts(m["text"]) if m["kind"] == "margin" else None,
                conf=88 if m["kind"] == "margin" else -1) for m in marks]
    width, height = layout["size"]
    ws.documents.upsert(Document(id=SAMPLE, exam=SAMPLE.split("/")[0], kind="student", source="/scans/richter-lea.jpg"))
    rel = "pages/richter-lea-1.png"
    Image.new("L", (width, height), 255).save(ws.path(rel))
    page = ws.documents.set_page(SAMPLE, 1, image=rel, original=rel, width=width, height=height)
    ws.documents.add_ocr(page.id, PageOCR(engine="test", lines=lines, marks=red, width=width, height=height))
    return page.id
