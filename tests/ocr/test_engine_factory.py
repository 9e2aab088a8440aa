"""One engine factory: scan, "Neu lesen" and eval build their engine the same way, so the learned
reader ``ocr learn`` adopted, and the exam's words, read everywhere (issue 25)."""

from __future__ import annotations

import shutil
from pathlib import Path

from examkit.workspace import Workspace
from ocr import rapidocr
from ocr.batch import scan
from ocr.evaluate import build_engines
from ocr.learn import store
from ocr.page import ScanOptions
from ocr.reread import read_again
from tests.ocr.conftest import FakeEngine


def adopt_a_copy_of_the_bundled_model(root: Path) -> Path:
    folder = store.models_dir(root) / "m1"
    folder.mkdir(parents=True)
    shutil.copy(rapidocr.models_dir() / rapidocr.BUNDLED_MODELS["rec"][0], folder / store.MODEL_FILE)
    store.adopt(root, "m1", 0.1, 0.2, 30)
    return folder / store.MODEL_FILE


def test_read_again_reads_with_the_adopted_learned_model(ws: Workspace, exam_folder: Path, monkeypatch):
    scan(ws, [exam_folder], engine=FakeEngine(), options=ScanOptions(workers=1))
    learned = adopt_a_copy_of_the_bundled_model(ws.root)
    used: list[Path | None] = []
    real = rapidocr.RapidOcrEngine.read_line

    def spy(engine, crop, *, lang):
        used.append(engine.rec_model)
        return real(engine, crop, lang=lang)

    monkeypatch.setattr(rapidocr.RapidOcrEngine, "read_line", spy)
    page = ws.documents.pages("LK-Test/anna")[0]
    line = ws.lines.current(page.id)[0]
    found, name = read_again(ws, line)
    assert name == "rapidocr" and used == [learned] and found.layer == "student"


def test_eval_compares_engines_as_the_workspace_reads_and_routes_options(ws: Workspace):
    learned = adopt_a_copy_of_the_bundled_model(ws.root)
    rapid, vlm = build_engines(ws, ["rapidocr", "vlm"], model="fake-vl", base_url="http://127.0.0.1:9/v1")
    assert rapid.rec_model == learned and rapid.label == "rapidocr:model.onnx"
    assert vlm.label == "vlm:fake-vl"  # --model went to the engine that has it


def test_exam_text_is_collected_only_for_engines_that_use_it(ws: Workspace, monkeypatch):
    from ocr import factory

    calls: list[int] = []
    monkeypatch.setattr(factory, "exam_text", lambda w: calls.append(1))
    factory.engine_for(ws, "tesseract")
    assert calls == []
