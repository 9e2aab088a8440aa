"""The red ink of a scanned sample placed on its tasks through the real reader (slow).

Placing a score needs the student's task heading read well enough ("Aufgabe 1"): when the reader
changed, headings came out as ``Aufgabe 7:`` and scores moved to other tasks, which unit tests on
typed lines cannot see. benchmarks/bench_redink.py measures all samples; this guards one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotate.model import task_points
from annotate.redink import read_document, red_ink_draft
from ocr.batch import scan
from ocr.factory import engine_for
from ocr.page import ScanOptions

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.slow
def test_a_scanned_students_red_scores_land_on_their_tasks(ws, tmp_path):
    exam = tmp_path / "exams" / "LK-Neuzeit-2023"
    exam.mkdir(parents=True)
    shutil.copy(SAMPLES / "exams" / "LK-Neuzeit-2023" / "hoffmann-lina.pdf", exam)
    scan(ws, [tmp_path / "exams"], engine=engine_for(ws, "rapidocr", lang="deu"),
         options=ScanOptions.from_config(ws.config, workers=1))
    (doc,) = [d for d in ws.documents.list() if d.kind == "student"]
    pages = [(p.number, ws.documents.latest_ocr(p.id)) for p in ws.documents.pages(doc.id)]
    draft = red_ink_draft(read_document(pages))
    # the teacher's scores, as in samples/ground-truth/LK-Neuzeit-2023/hoffmann-lina/analysis.yaml
    assert [(task_points(t), t.max) for t in draft.tasks] == [(5.5, 6), (7.5, 8), (5, 7)]
