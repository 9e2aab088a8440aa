"""The rapidocr engine: bundled models only (offline, verified), lines found apart from reading,
pieces joined in reading order, margin notes apart; and the engine seam (no Tesseract needed)."""

from __future__ import annotations

import shutil
import socket
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from examkit.config import Config
from examkit.errors import ExamkitError, MissingDependencyError, UserInputError
from ocr import layout, programs, rapidocr
from ocr.engine import Engine
from ocr.factory import engine_for
from ocr.rapidocr import RapidOcrEngine
from tests.ocr.conftest import HAND_FONT, FakeEngine, draw_page

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def quad(x0: float, y0: float, x1: float, y1: float, slope: float = 0.0) -> np.ndarray:
    """A text piece from (x0, y0) to (x1, y1), its right end ``slope`` × width lower."""
    dy = slope * (x1 - x0)
    return np.array([[x0, y0], [x1, y0 + dy], [x1, y1 + dy], [x0, y1]], dtype=np.float32)


# -- layout: pure geometry -----------------------------------------------------------------------
def test_pieces_of_one_line_are_joined_and_lines_come_in_reading_order():
    pieces = [
        quad(900, 100, 1500, 150),      # 0: line 1, right half (listed first on purpose)
        quad(100, 300, 1400, 352, 0.02),  # 1: line 3, sloping down to the right
        quad(100, 102, 700, 152),       # 2: line 1, left half
        quad(100, 200, 1450, 250),      # 3: line 2
        quad(1470, 320, 1700, 372),     # 4: line 3, its last word, on the slope's height
        quad(2150, 200, 2350, 250),     # 5: a margin note beside line 2
        quad(2150, 260, 2300, 300),     # 6: the note's second line
    ]
    groups = layout.group_pieces(pieces, page_width=2480)
    assert [(g.members, g.margin) for g in groups] == [
        ([2, 0], False), ([3], False), ([1, 4], False), ([5], True), ([6], True)]


def test_lines_above_each_other_are_never_joined_and_far_pieces_stay_apart():
    pieces = [quad(100, 100, 600, 150), quad(650, 140, 900, 190),  # half a line lower: another line
              quad(100, 400, 300, 450), quad(1000, 400, 1200, 450)]  # gap of 14 line heights
    groups = layout.group_pieces(pieces, page_width=3000)
    assert sorted(g.members for g in groups) == [[0], [1], [2], [3]]


def test_outline_and_baseline_of_a_joined_line():
    first, second = quad(100, 100, 300, 150), quad(400, 104, 600, 154)
    polygon = layout.outline([second, first])
    assert polygon == [(100, 100), (300, 100), (400, 104), (600, 104), (600, 154), (400, 154), (300, 150), (100, 150)]
    assert layout.baseline([second, first]) == [(100, 150), (300, 150), (400, 154), (600, 154)]


def test_words_take_their_columns_and_their_least_sure_letter():
    from types import SimpleNamespace

    info = SimpleNamespace(confs=[0.99, 0.98, 0.5, 0.97, 0.4], word_cols=[[2, 6], [14, 18]], line_txt_len=20)
    piece = quad(100, 50, 300, 90)  # 200 px wide: 10 px per column
    words = rapidocr.word_boxes("ab cd", info, 200, piece, 90.0)
    assert [(t, c) for t, c, _ in words] == [("ab", 98.0), ("cd", 40.0)]
    assert words[0][2] == (115, 50, 175, 90) and words[1][2] == (235, 50, 295, 90)
    shared = rapidocr.word_boxes("ab cd", None, 200, piece, 90.0)  # no columns: by length, the piece's confidence
    assert [(t, c, b[0]) for t, c, b in shared] == [("ab", 90.0, 100), ("cd", 90.0, 220)]


# -- the bundled models ------------------------------------------------------------------------------
def test_a_changed_or_missing_model_file_is_one_clear_line(tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    for name, _ in rapidocr.BUNDLED_MODELS.values():
        (models / name).write_bytes(b"not the model")
    monkeypatch.setattr(rapidocr, "models_dir", lambda: models)
    with pytest.raises(ExamkitError) as changed:
        RapidOcrEngine().check()
    line = changed.value.one_line()
    assert "PP-OCRv6_det_small.onnx has changed (SHA-256 differs" in line and "force-reinstall" in line
    assert "\n" not in line

    (models / "PP-OCRv6_det_small.onnx").unlink()
    with pytest.raises(MissingDependencyError, match="PP-OCRv6_det_small.onnx"):
        RapidOcrEngine().check()
    assert programs.doctor("deu")["ok"] is False


def test_doctor_lists_the_bundled_models_verified():
    models = programs.doctor("deu")["models"]
    assert [(m["name"], m["ok"]) for m in models] == [("PP-OCRv6_det_small.onnx", True), ("PP-OCRv6_rec_small.onnx", True)]


def test_another_recognition_model_must_exist(tmp_path, configured_ws):
    engine = engine_for(configured_ws(f'[ocr.rapidocr]\nrec_model = "{tmp_path / "mine.onnx"}"\n'), "rapidocr")
    with pytest.raises(UserInputError, match="mine.onnx: recognition model file not found"):
        engine.check()
    (tmp_path / "mine.onnx").write_bytes(b"not onnx")
    with pytest.raises(UserInputError, match="mine.onnx: not a readable ONNX model"):
        engine.check()
    assert engine.label == "rapidocr:mine.onnx"


def test_unknown_preprocessing_step_for_the_engine_names_the_setting(configured_ws):
    ws = configured_ws('[ocr.rapidocr]\npreprocess = ["deskew", "sharpen"]\n')
    with pytest.raises(UserInputError, match="ocr.rapidocr.preprocess: unknown preprocessing step.*sharpen"):
        engine_for(ws, "rapidocr")


# -- the real engine (the models are in the wheel: no network) -----------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test: proof that nothing is downloaded."""

    def refuse(*args, **kwargs):
        raise AssertionError("the engine tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def engine() -> RapidOcrEngine:
    reader = RapidOcrEngine()
    assert isinstance(reader, Engine) and reader.reads_lines and not reader.sends_pages
    return reader


def test_the_real_engine_reads_a_sample_page_offline(engine, no_network, tmp_path):
    from ocr import images
    from ocr.evaluate import normalise
    from ocr.page import ScanOptions, prepare
    from ocr.preprocess import Applied

    engine.check()
    original = images.load_page(SAMPLES / "exams" / "LK-Neuzeit-2023" / "yilmaz-elif.png", 0, dpi=200,
                                max_pixels=80_000_000)
    truth = (SAMPLES / "ground-truth" / "LK-Neuzeit-2023" / "yilmaz-elif" / "page-001.gt.txt").read_text(encoding="utf-8")
    _, _, image = prepare(engine, original, ScanOptions.from_config(Config()), Applied())
    result = engine.recognize(image, lang="deu")

    cer = Levenshtein.distance(normalise(result.text), normalise(truth)) / len(normalise(truth))
    assert cer < 0.2, result.text
    written = [line for line in truth.splitlines() if line.strip()]
    assert abs(len(result.lines) - len(written)) <= 2
    for line in result.lines:
        assert len(line.polygon) >= 4 and len(line.baseline) >= 2 and line.layer in ("student", "margin")
        assert 0 <= line.conf <= 100
        assert all(line.bbox[0] - 2 <= w.bbox[0] and w.bbox[2] <= line.bbox[2] + 2 for w in line.words)
    tops = [line.bbox[1] for line in result.lines if line.layer == "student"]
    assert tops == sorted(tops)


def test_a_page_with_a_blank_area_still_yields_every_line_and_unreadable_ink_is_kept_flagged(engine, no_network):
    rows = ["Die Reformation begann 1517", "", "", "", "", "Luther schrieb seine Thesen", "Der Bauernkrieg folgte"]
    page = draw_page(rows, font=HAND_FONT, size=44, width=1400)
    image = page.bgr()
    scribble_y = image.shape[0] - 60
    image[scribble_y:scribble_y + 30, 80:700] = np.where(
        np.random.default_rng(1).random((30, 620, 1)) < 0.5, 30, 255).astype(np.uint8)  # ink noise, no letters
    result = engine.recognize(image, lang="deu")
    written = [line for line in result.lines if line.words]
    expected = ["Die Reformation begann 1517", "Luther schrieb seine Thesen", "Der Bauernkrieg folgte"]
    assert len(written) >= 3
    for line, text in zip(written, expected):
        assert Levenshtein.distance(line.text, text) <= 3, (line.text, text)
    for line in result.lines:
        if not line.words or line.conf < engine.flag_below:
            assert line.flagged
    assert len(result.lines) >= 3


def test_one_line_is_re_read_from_its_crop(engine, no_network):
    page = draw_page(["Der Westfälische Friede", "wurde 1648 geschlossen"], font=HAND_FONT, size=44, width=1000)
    image = page.bgr()
    found = engine.recognize(image, lang="deu").lines[1]
    x0, y0, x1, y1 = found.bbox
    again = engine.read_line(image[y0:y1, x0:x1], lang="deu")
    assert Levenshtein.distance(again.text, found.text) <= 1 and "1648" in again.text
    assert again.bbox == (0, 0, x1 - x0, y1 - y0) and again.polygon
    assert all(0 <= w.bbox[0] and w.bbox[2] <= x1 - x0 + 1 for w in again.words)


def test_another_recognition_model_file_is_used_for_reading(tmp_path, no_network, configured_ws):
    mine = tmp_path / "mine.onnx"
    shutil.copy(rapidocr.models_dir() / rapidocr.BUNDLED_MODELS["rec"][0], mine)
    engine = engine_for(configured_ws(f'[ocr.rapidocr]\nrec_model = "{mine}"\n'), "rapidocr")
    engine.check()
    line = engine.read_line(draw_page(["Augsburg 1555"], size=40, width=500).bgr()[60:140], lang="deu")
    assert line.text == "Augsburg 1555"
    assert engine.reader().cfg.Rec.model_path == str(mine)
    assert engine.decoder == "beam" and engine.line_decoder().reader.model == mine  # the decoder reads with it


def test_the_engine_pickles_without_its_sessions(engine):
    import pickle

    engine.reader()
    engine.line_decoder()
    copy = pickle.loads(pickle.dumps(engine))
    assert copy._reader is None and copy._decoder is None and copy.lang == engine.lang


# -- the decoder: beam search with the exam's language and words (issue 29) -------------------
def test_decoder_options_reach_the_engine_and_the_exam_text_reaches_its_language_model(configured_ws):
    from ocr.factory import engine_for

    ws = configured_ws('[ocr.rapidocr]\ndecoder = "greedy"\nlm_weight = 0.7\n')
    engine = engine_for(ws, "rapidocr")
    assert engine.decoder == "greedy" and engine.beam.alpha == 0.7
    assert engine_for(ws, "rapidocr", decoder="beam").decoder == "beam"
    beam = RapidOcrEngine(lang="deu", exam_texts=("Die Wormser Reichstagsakte nennt Luther.",),
                          word_list=frozenset({"ablasshandel"}))
    language = beam.line_decoder().language
    assert {"reichstagsakte", "ablasshandel"} <= language.lexicon.words and language.exam_words == 5
    assert "5 words" in language.describe()


def test_beam_reads_a_clean_line_as_well_as_greedy_and_words_get_boxes_and_agreement(engine, no_network):
    truth = "Luther schrieb seine Thesen in Wittenberg 1517"
    image = draw_page([truth], font=HAND_FONT, size=44, width=1400).bgr()
    beam = engine.recognize(image, lang="deu").lines[0]
    greedy = replace(engine, decoder="greedy").recognize(image, lang="deu").lines[0]
    assert Levenshtein.distance(beam.text, truth) <= Levenshtein.distance(greedy.text, truth), (beam.text, greedy.text)
    lefts = [w.bbox[0] for w in beam.words]
    assert lefts == sorted(lefts) and all(w.bbox[2] > w.bbox[0] for w in beam.words)
    assert all(0 <= w.conf <= 100 for w in beam.words)
    assert not any(w.flagged for w in beam.words if w.text in ("Luther", "seine"))


def test_read_line_decodes_with_the_same_decoder(engine, no_network, monkeypatch):
    from ocr.decoder import LineDecoder

    image = draw_page(["Luther schrieb seine Thesen"], font=HAND_FONT, size=44, width=1000).bgr()
    x0, y0, x1, y1 = engine.recognize(image, lang="deu").lines[0].bbox
    calls = []
    real = LineDecoder.decode
    monkeypatch.setattr(LineDecoder, "decode", lambda self, scores: calls.append(1) or real(self, scores))
    line = engine.read_line(image[y0:y1, x0:x1], lang="deu")
    assert calls and "Thesen" in line.text


# -- the seam: scanning with another engine needs no Tesseract ---------------------------------
def test_a_scan_with_a_non_tesseract_engine_does_not_need_tesseract(ws, exam_folder, monkeypatch):
    from ocr.batch import scan
    from ocr.page import ScanOptions
    from ocr.tesseract import TesseractEngine

    real_which = shutil.which
    monkeypatch.setattr(programs.shutil, "which", lambda cmd, *a, **k: None if cmd == "tesseract" else real_which(cmd))
    with pytest.raises(MissingDependencyError, match="tesseract"):
        TesseractEngine().check()
    report = scan(ws, [exam_folder], engine=FakeEngine(), options=ScanOptions(workers=1))
    assert report.pages_read == 3 and not report.failed


def test_the_detector_and_the_greedy_reader_see_softened_ink(monkeypatch):
    """Both models read the page with its ink lightened (`soften_ink`), on every path into them."""
    from ocr.learn.recogniser import INK_DEPTH

    seen = []

    class Pipeline:
        def __call__(self, image, **kwargs):
            seen.append(image.min())
            return type("Found", (), {"boxes": None})()

    engine = RapidOcrEngine()
    monkeypatch.setattr(engine, "reader", lambda: Pipeline())
    page = draw_page(["Luther schrieb seine Thesen"], font=HAND_FONT, size=44, width=1000).bgr()
    assert page.min() < 40
    assert engine.detect(page) == [] and engine.recognize(page, lang="deu").lines == []
    assert seen and min(seen) >= 255 - INK_DEPTH - 10  # the darkest 0.5 % at the set depth, a few pixels darker
