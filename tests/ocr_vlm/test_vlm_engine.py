"""The vlm engine against the fake OpenAI-compatible server: what is sent, what comes back."""

from __future__ import annotations

import base64
import pickle

import cv2
import numpy as np
import pytest

from examkit.errors import ServiceError, UserInputError
from ocr.factory import engine_for as build
from ocr.vlm import VlmEngine, parse_answer, strips
from tests.ocr_vlm.conftest import render_lines

LINES = ["Luther schlug 1517 seine Thesen an", "die Tür der Schlosskirche."]


def engine_for(server, **kw) -> VlmEngine:
    return VlmEngine(model="fake-vl", base_url=server.base_url, api_key=server.api_key, layout=False, **kw)


def test_page_arrives_as_png_data_url_with_a_verbatim_prompt(openai_server, answer):
    answer("Luther schluk 1517 seine Tesen an\ndie Tür der Schloskirche.")
    page = render_lines(LINES)
    result = engine_for(openai_server).recognize(page, lang="deu")

    (request,) = openai_server.chat_requests
    assert request["model"] == "fake-vl"
    assert request["temperature"] == 0
    user = request["messages"][-1]
    text = " ".join(p["text"] for p in user["content"] if p["type"] == "text")
    images = [p["image_url"]["url"] for p in user["content"] if p["type"] == "image_url"]
    assert "verbatim" in text and "Do not correct spelling" in text and "German" in text
    assert "[[like this]]" in text  # crossed-out text marked by default
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")
    sent = cv2.imdecode(np.frombuffer(base64.b64decode(images[0].split(",", 1)[1]), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert sent.shape == page.shape and np.array_equal(sent, page)  # lossless, not scaled (under max_side)

    assert result.engine == "vlm"
    assert [line.text for line in result.lines] == ["Luther schluk 1517 seine Tesen an", "die Tür der Schloskirche."]


def test_large_page_is_scaled_to_max_side_and_language_follows_lang(openai_server, answer):
    answer("x")
    page = np.full((3000, 2000), 255, np.uint8)
    engine_for(openai_server, max_side=1000).recognize(page, lang="eng")
    content = openai_server.chat_requests[0]["messages"][-1]["content"]
    url = next(p["image_url"]["url"] for p in content if p["type"] == "image_url")
    sent = cv2.imdecode(np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8), cv2.IMREAD_GRAYSCALE)
    assert max(sent.shape) == 1000
    assert "English" in content[0]["text"]


def test_tall_page_goes_as_strips_cut_between_lines(openai_server, answer):
    answer("eine Zeile")
    page = render_lines([f"Zeile {i}" for i in range(30)], width=800, pitch=80)  # about 3 widths tall
    parts = strips(page)
    assert len(parts) >= 2 and sum(p.shape[0] for p in parts) == page.shape[0]
    for part in parts[1:]:
        assert (part[0] > 128).all()  # every cut runs through an empty row, not through writing
    result = engine_for(openai_server).recognize(page, lang="deu")
    assert len(openai_server.chat_requests) == len(parts)
    assert len(result.lines) == len(parts)


def test_crossed_out_text_is_omitted_when_configured(openai_server, answer):
    answer("Das war [[ein Fehler]] richtig\n```")
    result = engine_for(openai_server, crossed_out="omit").recognize(render_lines(["a"]), lang="deu")
    assert result.text == "Das war richtig"
    prompt = openai_server.chat_requests[0]["messages"][-1]["content"][0]["text"]
    assert "leave it out" in prompt
    assert parse_answer("```text\nA [[b]]\n\n c \n```") == [["A", "[[b]]"], ["c"]]


def test_engine_pickles_after_use_and_works_again(openai_server, answer):
    answer("hallo")
    engine = engine_for(openai_server)
    engine.recognize(render_lines(["hallo"]), lang="deu")
    clone = pickle.loads(pickle.dumps(engine))
    assert clone._client is None and clone.model == "fake-vl"
    assert clone.recognize(render_lines(["hallo"]), lang="deu").text == "hallo"


def test_unknown_model_is_a_service_error_naming_the_model(openai_server):
    openai_server.fail(r"/chat/completions", 404, "The model `nope` does not exist")
    with pytest.raises(ServiceError, match="does not serve the model 'fake-vl'"):
        engine_for(openai_server).recognize(render_lines(["x"]), lang="deu")


def test_registry_builds_vlm_from_config_and_needs_a_model(openai_server, configured_ws):
    ws = configured_ws()
    with pytest.raises(UserInputError, match="needs a model"):
        build(ws, "vlm")
    engine = build(ws, "vlm", model="qwen2.5-vl", base_url="http://127.0.0.1:9/v1", lang="eng")
    assert isinstance(engine, VlmEngine) and engine.lang == "eng" and engine.base_url == "http://127.0.0.1:9/v1"
    assert build(ws, "vlm", model="m").url == openai_server.base_url  # $OPENAI_BASE_URL, as the SDK
    configured = configured_ws('[ocr.vlm]\nmodel = "from-file"\nbase_url = "http://127.0.0.1:7/v1"\n')
    assert build(configured, "vlm").model == "from-file"
    assert build(configured, "vlm").url == openai_server.base_url  # the environment comes before the file
    assert build(configured, "vlm", base_url="http://127.0.0.1:8/v1").url == "http://127.0.0.1:8/v1"


def test_the_flat_keys_of_older_files_still_configure_vlm(configured_ws):
    ws = configured_ws('[ocr]\nvlm_model = "older"\nvlm_max_side = 1024\n')
    engine = build(ws, "vlm")
    assert (engine.model, engine.max_side) == ("older", 1024)


def test_word_list_flags_words_it_lacks_even_where_engines_agree(openai_server, answer, tmp_path, configured_ws):
    answer("Die Reformation")
    words = tmp_path / "words.txt"
    words.write_text("die\n", encoding="utf-8")
    engine = build(configured_ws(), "vlm", model="fake-vl", base_url=openai_server.base_url, word_list=words, psm="6")
    engine.api_key, engine.layout = openai_server.api_key, False
    assert engine.psm == 6
    result = engine.recognize(render_lines(["Die Reformation"]), lang="deu")
    assert [w.flagged for w in result.lines[0].words] == [True, True]  # no layout pass: nothing confirmed
    from ocr.align import align
    from ocr.tesseract import TesseractEngine
    page = render_lines(["Die Reformation"])
    layout = TesseractEngine(lang="deu").recognize(page, lang="deu").lines
    placed = align([["Die", "Reformation"]], layout, width=page.shape[1], height=page.shape[0],
                   words_to_check=engine.word_list)
    assert [w.flagged for w in placed[0].words] == [False, True]


def test_vision_engines_read_the_grey_student_layer_not_the_binarised_one():
    import numpy as np

    from ocr.engine import EngineBase
    from ocr.page import ScanOptions, prepare
    from ocr.preprocess import Applied
    from ocr.vlm import VlmEngine

    page = np.full((60, 60, 3), 200, np.uint8)
    page[20:30, 20:30] = 60
    options = ScanOptions(steps=("binarize",), red_ink=False)

    class Tesseractish(EngineBase):
        name = "plain"

    cleaned = prepare(Tesseractish(), page, options, Applied())[2]
    assert set(np.unique(cleaned).tolist()) <= {0, 255}
    grey = prepare(VlmEngine(model="m", base_url="http://127.0.0.1:1/v1"), page, options, Applied())[2]
    assert grey.ndim == 2 and set(np.unique(grey).tolist()) == {60, 200}
