"""The bundled recogniser run by torch computes what onnxruntime does, and goes back to ONNX unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.learn.recogniser import LineReader, batch_width, bundled_model, line_tensor
from ocr.learn.samples import render_line
from tests.ocr_learn.conftest import needs_training


@pytest.mark.slow
@needs_training
def test_torch_graph_matches_onnxruntime_and_writes_back_identically(tmp_path):
    import onnxruntime
    import torch

    from ocr.learn import onnx_io
    from ocr.learn.graph import OnnxRecogniser

    image = render_line("Übung macht den Meister, 2025!")
    x = line_tensor(image, batch_width([image]))[None]
    base = onnx_io.load(bundled_model())
    net = OnnxRecogniser(base).eval()
    with torch.no_grad():
        ours = net(torch.from_numpy(x)).numpy()
    session = onnxruntime.InferenceSession(str(bundled_model()), providers=["CPUExecutionProvider"])
    reference = session.run(None, {"x": x})[0]
    assert np.abs(ours - reference).max() < 1e-4
    with torch.no_grad():  # the cached part plus the trained part is the whole graph
        for part, start in net.stage_starts().items():
            split = net.suffix(net.prefix(torch.from_numpy(x), start), start).exp().numpy()
            assert np.abs(split - ours).max() < 1e-5, part
    trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    assert trainable > 5_000_000  # every weight trains (output layer, norms, attention included)

    out = tmp_path / "copy.onnx"
    onnx_io.write_with_weights(base, net.onnx_weights(), out, {"examkit_learned": "test"})
    copy = onnxruntime.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    assert np.abs(copy.run(None, {"x": x})[0] - reference).max() < 1e-6
    assert copy.get_modelmeta().custom_metadata_map["character"] == \
        session.get_modelmeta().custom_metadata_map["character"]
    assert LineReader(out).read(image) == LineReader(bundled_model()).read(image)

