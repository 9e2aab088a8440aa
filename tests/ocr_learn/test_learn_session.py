"""A tiny fine-tune end to end: Ctrl-C changes nothing, training changes the model, the written
model loads in RapidOCR, a worse model is not adopted, the bundled file is untouched."""

from __future__ import annotations

import json

import pytest

from examkit.files import sha256_file
from ocr.learn import store
from ocr.learn.recogniser import bundled_model
from ocr.learn.samples import PRINTED
from ocr.learn.scoring import Figures
from ocr.learn.session import better
from tests.ocr_learn.conftest import corrected_workspace, needs_training


def test_adoption_rule():
    current = Figures(10, 0.30, {"student": 0.30, "typed check": 0.02})
    assert better(Figures(10, 0.20, {"student": 0.20, "typed check": 0.02}), current)[0]
    assert not better(Figures(10, 0.30, {"student": 0.30, "typed check": 0.02}), current)[0]
    # a few characters of a dozen typed lines are noise, not forgetting: within one point is allowed
    assert better(Figures(10, 0.20, {"student": 0.20, "typed check": 0.026}), current)[0]
    worse_print = better(Figures(10, 0.20, {"student": 0.20, "typed check": 0.04}), current)
    assert not worse_print[0] and "typed check" in worse_print[1]


def test_reader_choice(tmp_path):
    assert store.reader_model(tmp_path, None) is None
    assert store.reader_model(tmp_path, "bundled") == bundled_model()
    with pytest.raises(Exception, match="no learned reader"):
        store.reader_model(tmp_path, "learned")
    folder = store.models_dir(tmp_path) / "m1"
    folder.mkdir(parents=True)
    (folder / store.MODEL_FILE).write_bytes(b"onnx")
    store.adopt(tmp_path, "m1", 0.2, 0.3, 40)
    assert store.reader_model(tmp_path, None) == folder / store.MODEL_FILE
    assert store.reader_model(tmp_path, None, configured=tmp_path / "mine.onnx") == tmp_path / "mine.onnx"
    assert store.reader_model(tmp_path, "bundled") == bundled_model()
    assert store.status_line(tmp_path)["held_out_cer"] == 0.2
    (store.models_dir(tmp_path) / store.ADOPTED).write_text("{broken", encoding="utf-8")
    with pytest.raises(Exception, match="reader.json: not a readable choice of learned reader"):
        store.reader_model(tmp_path, None)


@pytest.mark.slow
@needs_training
def test_tiny_fine_tune(ws):
    import numpy as np
    from rapidocr import RapidOCR

    from ocr.learn.confirmed import confirmed_samples
    from ocr.learn.session import LearnOptions, learn
    from ocr.learn.train import TrainOptions

    base_hash = sha256_file(bundled_model())
    typed = corrected_workspace(ws, pages=4)
    samples, warnings = confirmed_samples(ws)  # the lines as a person saved them, cut from the pages
    assert [s.text for s in samples] == [s.text for s in typed] and not warnings
    tmp_path = ws.root

    def interrupt(progress):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        learn(tmp_path, samples, LearnOptions(check="holdout", holdout=0.25, train=TrainOptions(epochs=1), guard=False),
              interrupt)
    assert not store.models_dir(tmp_path).exists() or not any(store.models_dir(tmp_path).iterdir())

    # A learning rate far too high wrecks the reader: it must be measured worse and not adopted.
    # (The neck: at this rate the last stage goes to NaN, which reads nothing and is refused too.)
    options = LearnOptions(check="holdout", holdout=0.25, train=TrainOptions(epochs=1, lr=0.05, batch=2, part="neck"),
                           guard=False)
    report = learn(tmp_path, samples, options)
    assert report.after.cer > report.before.cer
    assert not report.adopted and "not better" in report.reason
    assert store.adopted(tmp_path) is None and store.reader_model(tmp_path, None) is None
    manifest = json.loads((report.model_dir / store.MANIFEST).read_text())
    assert manifest["base_sha256"] == base_hash and manifest["lines_train"] == 6 and not manifest["adopted"]

    model = report.model_dir / store.MODEL_FILE
    engine = RapidOCR(params={"Global.log_level": "error", "Rec.model_path": str(model)})
    reading = engine(samples[0].image, use_det=False, use_cls=False)
    assert reading.txts is not None  # loads and reads (badly: that is the point)
    import onnxruntime

    x = np.zeros((1, 3, 48, 320), np.float32)
    trained = onnxruntime.InferenceSession(str(model)).run(None, {"x": x})[0]
    shipped = onnxruntime.InferenceSession(str(bundled_model())).run(None, {"x": x})[0]
    assert np.abs(trained - shipped).max() > 1e-3  # training changed what the model computes
    assert sha256_file(bundled_model()) == base_hash


def test_engines_read_with_the_adopted_model_unless_told_otherwise(tmp_path, configured_ws):
    from examkit.errors import UserInputError
    from ocr.factory import engine_for

    ws = configured_ws()
    assert engine_for(ws, "rapidocr").rec_model is None
    with pytest.raises(UserInputError, match="no learned reader"):
        engine_for(ws, "rapidocr", reader="learned")
    folder = store.models_dir(ws.root) / "m2"
    folder.mkdir(parents=True)
    (folder / store.MODEL_FILE).write_bytes(b"onnx")
    store.adopt(ws.root, "m2", 0.2, 0.3, 40)
    assert engine_for(ws, "rapidocr").rec_model == folder / store.MODEL_FILE
    assert engine_for(ws, "rapidocr", reader="bundled").rec_model == bundled_model()
    chosen = configured_ws(f'[ocr.rapidocr]\nrec_model = "{tmp_path / "mine.onnx"}"\n')  # a model set by hand
    store.adopt(chosen.root, "m2", 0.2, 0.3, 40)
    (store.models_dir(chosen.root) / "m2").mkdir(parents=True)
    (store.models_dir(chosen.root) / "m2" / store.MODEL_FILE).write_bytes(b"onnx")
    assert engine_for(chosen, "rapidocr").rec_model == tmp_path / "mine.onnx"
    assert engine_for(chosen, "rapidocr", reader="learned").rec_model == store.models_dir(chosen.root) / "m2" / store.MODEL_FILE
    with pytest.raises(UserInputError, match="--reader is for engines that read with a learned model, not tesseract"):
        engine_for(ws, "tesseract", reader="bundled")


def test_reader_json_is_validated_as_data(tmp_path):
    from examkit.errors import UserInputError

    outside = tmp_path / "tmp" / "x"
    outside.mkdir(parents=True)
    (outside / store.MODEL_FILE).write_bytes(b"onnx")
    folder = store.models_dir(tmp_path / "ws") / "m1"
    folder.mkdir(parents=True)
    (folder / store.MODEL_FILE).write_bytes(b"onnx")
    chosen = store.models_dir(tmp_path / "ws") / store.ADOPTED
    good = {"id": "m1", "held_out_cer": 0.2, "before_cer": 0.3, "lines": 40}
    for bad in ({**good, "id": "../../tmp/x"}, {**good, "id": str(outside)}, {**good, "held_out_cer": "NaN"},
                {**good, "before_cer": float("inf")}, {**good, "lines": -3}, {**good, "id": ""}, [good], "m1"):
        chosen.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(UserInputError, match="reader.json: not a readable choice of learned reader"):
            store.adopted(tmp_path / "ws")
    chosen.write_text(json.dumps(good), encoding="utf-8")
    assert store.adopted(tmp_path / "ws").model == folder / store.MODEL_FILE


@needs_training
def test_learn_names_an_unreadable_adopted_model_in_one_line(cli, ws, ws_path, monkeypatch):
    monkeypatch.setattr("ocr.learn.cli.MIN_LINES", 2)
    corrected_workspace(ws, pages=4)
    ws.close()
    folder = store.models_dir(ws_path) / "m1"
    folder.mkdir(parents=True)
    (folder / store.MODEL_FILE).write_bytes(b"garbage, not onnx")
    store.adopt(ws_path, "m1", 0.2, 0.3, 40)
    result = cli("ocr", "learn", "--epochs", "1", "-w", ws_path)
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert "model.onnx: not a readable ONNX model" in result.output and "reader.json" in result.output


@needs_training
def test_a_ctrl_c_swallowed_while_lines_are_read_still_stops_learning(ws, monkeypatch):
    import signal

    from ocr.learn import session
    from ocr.learn.confirmed import confirmed_samples
    from ocr.learn.session import LearnOptions, learn

    corrected_workspace(ws, pages=4)
    samples, _ = confirmed_samples(ws)

    def swallowing(model, lines, threads=0, progress=None):
        try:  # a library that catches KeyboardInterrupt while it reads (as onnxruntime's bindings can)
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:
            pass
        return ["" for _ in lines]

    def never(*args, **kwargs):
        raise AssertionError("trained on after Ctrl-C")

    monkeypatch.setattr(session, "read_all", swallowing)
    monkeypatch.setattr("ocr.learn.train.fine_tune", never)
    before = signal.getsignal(signal.SIGINT)  # Python's own, or "ignored" when started in the background
    with pytest.raises(KeyboardInterrupt):
        learn(ws.root, samples, LearnOptions(check="holdout", holdout=0.25, guard=False))
    assert store.adopted(ws.root) is None
    assert not store.models_dir(ws.root).exists() or not any(store.models_dir(ws.root).iterdir())
    assert signal.getsignal(signal.SIGINT) is before


@needs_training
def test_folds_read_every_line_with_a_reader_that_never_saw_it_and_the_kept_one_learns_from_all(ws, monkeypatch):
    """The recipe is judged on every confirmed line, each read by a reader trained on the other
    half of the pages; the reader that is kept then learns from every page."""
    from ocr.learn import session
    from ocr.learn.confirmed import confirmed_samples
    from ocr.learn.session import LearnOptions, learn

    corrected_workspace(ws, pages=4)
    samples, _ = confirmed_samples(ws)
    trained: list[set[str]] = []

    class Unchanged:  # the bundled weights: reads as the bundled reader does
        def onnx_weights(self):
            return {}

    rehearsed: list[int] = []

    def fake_fine_tune(net, lines, classes, options, progress=None):
        trained.append({s.page for s in lines if s.kind != PRINTED})
        rehearsed.append(sum(s.kind == PRINTED for s in lines))
        return Unchanged()

    read_by: list[tuple[int, set[str]]] = []
    real_read_all = session.read_all

    def recording(model, lines, threads=0, progress=None):
        read_by.append((len(trained), {s.page for s in lines}))
        return real_read_all(model, lines, threads, progress)

    monkeypatch.setattr("ocr.learn.train.fine_tune", fake_fine_tune)
    monkeypatch.setattr(session, "read_all", recording)
    report = learn(ws.root, samples, LearnOptions(guard=False))
    pages = {s.page for s in samples}
    assert len(trained) == 3 and trained[2] == pages  # two checks, then the kept reader on all pages
    assert all(rehearsed)  # print is rehearsed with the lines' own texts in every round
    assert trained[0] | trained[1] == pages and not trained[0] & trained[1]
    checks = [(n, read) for n, read in read_by if n in (1, 2)]
    assert [read for _, read in checks] == [pages - trained[0], pages - trained[1]]  # never its own pages
    assert report.lines_held_out == len(samples) and report.lines_train == len(samples)
    assert report.after.cer == pytest.approx(report.before.cer)  # unchanged weights read as the bundled
    assert not report.adopted and "not better" in report.reason
    manifest = json.loads((report.model_dir / store.MANIFEST).read_text())
    assert manifest["check"] == "folds" and sorted(manifest["pages_train"]) == sorted(pages)


def test_a_reader_in_use_that_learned_from_the_checked_pages_is_not_its_own_judge(tmp_path):
    folder = store.models_dir(tmp_path) / "m1"
    folder.mkdir(parents=True)
    (folder / store.MODEL_FILE).write_bytes(b"onnx")
    (folder / store.MANIFEST).write_text(json.dumps({"pages_train": ["K8/a#1", "K8/b#1"]}))
    store.adopt(tmp_path, "m1", 0.2, 0.3, 40)
    assert store.learned_pages(store.adopted(tmp_path)) == {"K8/a#1", "K8/b#1"}
    (folder / store.MANIFEST).write_text("{broken")
    assert store.learned_pages(store.adopted(tmp_path)) == set()


def test_print_is_rehearsed_with_the_lines_own_words_never_the_guards():
    from ocr.learn.samples import PRINTED_GUARD_TEXTS, printed_rehearsal
    from tests.ocr_learn.conftest import typed_lines

    lines = typed_lines(4)
    rehearsal = printed_rehearsal(lines)
    assert [s.text for s in rehearsal] == [lines[0].text, lines[4].text]
    assert all(s.kind == PRINTED and s.image.ndim == 2 for s in rehearsal)
    assert not {s.text for s in rehearsal} & set(PRINTED_GUARD_TEXTS)
