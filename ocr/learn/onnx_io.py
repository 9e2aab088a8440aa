"""Model files: load the base recogniser, write a trained copy with the very same graph.

The learned model is the bundled ONNX graph with new weight values and two extra metadata
entries (``examkit_base_sha256``, ``examkit_learned``); the ``character`` dictionary and every
operator stay as shipped, so any RapidOCR build that reads the bundled model reads this one.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper


def load(path: Path) -> onnx.ModelProto:
    return onnx.load(str(path))


def write_with_weights(base: onnx.ModelProto, weights: dict[str, np.ndarray], out: Path,
                       metadata: dict[str, str]) -> None:
    """Save ``base`` with its float initializers replaced by ``weights`` (same names, shapes)."""
    model = onnx.ModelProto()
    model.CopyFrom(base)
    for init in model.graph.initializer:
        if init.name in weights:
            old = numpy_helper.to_array(init)
            new = np.asarray(weights[init.name], dtype=old.dtype)
            if new.shape != old.shape:
                raise ValueError(f"weight {init.name}: shape {new.shape} does not match {old.shape}")
            init.CopyFrom(numpy_helper.from_array(new, init.name))
    present = {p.key for p in model.metadata_props}
    for key, value in metadata.items():
        if key in present:
            next(p for p in model.metadata_props if p.key == key).value = value
        else:
            model.metadata_props.add(key=key, value=value)
    tmp = out.with_name(out.name + ".tmp")
    onnx.save(model, str(tmp))
    os.replace(tmp, out)
