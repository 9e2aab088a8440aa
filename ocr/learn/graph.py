"""The bundled recogniser's ONNX graph run by PyTorch, with every weight a trainable parameter.

Why not onnx2torch: it rejects the graph's ``auto_pad="SAME_UPPER"`` layers, keeps about half of
the weights (output layer, norms, attention) as buffers that never train, and imports torchvision.
The recogniser uses some 25 plain operators, so this module runs the graph node by node with torch
functions instead. Weights keep their ONNX initializer names, which makes the way back trivial:
:mod:`ocr.learn.onnx_io` writes the trained tensors into a copy of the very same graph (same
operators, same final Softmax, same ``character`` metadata), so RapidOCR loads it unchanged.

Batch normalisation always uses the stored statistics (the three unfused layers are treated as
frozen affine maps), so training can never overwrite them.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn

Tensor = torch.Tensor


def _attrs(node: onnx.NodeProto) -> dict:
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _same_upper(x: Tensor, kernel: list[int], strides: list[int], dilations: list[int],
                value: float = 0.0) -> Tensor:
    """Pads ``x`` as ONNX ``auto_pad=SAME_UPPER`` does (the extra pixel goes after)."""
    pads: list[int] = []
    for axis in (3, 2):  # F.pad takes the last axis first
        size, k, s, d = x.shape[axis], kernel[axis - 2], strides[axis - 2], dilations[axis - 2]
        out = math.ceil(size / s)
        total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads, value=value)


def _conv(x: Tensor, w: Tensor, b: Tensor | None = None, **a) -> Tensor:
    strides = list(a.get("strides", [1, 1]))
    dilations = list(a.get("dilations", [1, 1]))
    kernel = list(w.shape[2:])
    padding: tuple[int, int] | int = 0
    if a.get("auto_pad", b"NOTSET") == b"SAME_UPPER":
        x = _same_upper(x, kernel, strides, dilations)
    else:
        p = list(a.get("pads", [0, 0, 0, 0]))
        if p[0] == p[2] and p[1] == p[3]:
            padding = (p[0], p[1])
        else:
            x = F.pad(x, [p[1], p[3], p[0], p[2]])
    return F.conv2d(x, w, b, strides, padding, dilations, a.get("group", 1))


def _max_pool(x: Tensor, **a) -> Tensor:
    kernel, strides = list(a["kernel_shape"]), list(a.get("strides", [1, 1]))
    if a.get("auto_pad", b"NOTSET") == b"SAME_UPPER":
        x = _same_upper(x, kernel, strides, [1, 1], value=-math.inf)
        return F.max_pool2d(x, kernel, strides)
    p = list(a.get("pads", [0, 0, 0, 0]))
    return F.max_pool2d(x, kernel, strides, (p[0], p[1]), ceil_mode=bool(a.get("ceil_mode", 0)))


def _avg_pool(x: Tensor, **a) -> Tensor:
    p = list(a.get("pads", [0, 0, 0, 0]))
    return F.avg_pool2d(x, list(a["kernel_shape"]), list(a.get("strides", a["kernel_shape"])),
                        (p[0], p[1]), ceil_mode=bool(a.get("ceil_mode", 0)),
                        count_include_pad=bool(a.get("count_include_pad", 0)))


def _slice(x: Tensor, starts: Tensor, ends: Tensor, axes: Tensor | None = None,
           steps: Tensor | None = None) -> Tensor:
    axes_l = axes.tolist() if axes is not None else list(range(len(starts)))
    steps_l = steps.tolist() if steps is not None else [1] * len(axes_l)
    index = [slice(None)] * x.dim()
    for axis, start, end, step in zip(axes_l, starts.tolist(), ends.tolist(), steps_l):
        size = x.shape[axis]
        start = max(min(start + size if start < 0 else start, size), 0)
        end = max(min(end + size if end < 0 else end, size), 0)
        index[axis] = slice(start, end, step)
    return x[tuple(index)]


def _reshape(x: Tensor, shape: Tensor) -> Tensor:
    dims = [x.shape[i] if d == 0 else d for i, d in enumerate(shape.tolist())]
    return x.reshape(dims)


def _squeeze(x: Tensor, **a) -> Tensor:
    for axis in sorted((int(v) % x.dim() for v in a["axes"]), reverse=True):
        x = x.squeeze(axis)
    return x


def _unsqueeze(x: Tensor, **a) -> Tensor:
    for axis in sorted(int(v) for v in a["axes"]):
        x = x.unsqueeze(axis)
    return x


def _batch_norm(x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, var: Tensor, **a) -> Tensor:
    return F.batch_norm(x, mean.detach(), var.detach(), scale, bias, False, 0.0, a.get("epsilon", 1e-5))


_OPS: dict[str, Callable[..., Tensor]] = {
    "Identity": lambda x, **a: x,
    "Add": lambda x, y, **a: x + y,
    "Sub": lambda x, y, **a: x - y,
    "Mul": lambda x, y, **a: x * y,
    "Div": lambda x, y, **a: x / y,
    "Pow": lambda x, y, **a: torch.pow(x, y),
    "Sqrt": lambda x, **a: torch.sqrt(x),
    "Erf": lambda x, **a: torch.erf(x),
    "Relu": lambda x, **a: F.relu(x),
    "Sigmoid": lambda x, **a: torch.sigmoid(x),
    "HardSigmoid": lambda x, **a: torch.clamp(a.get("alpha", 0.2) * x + a.get("beta", 0.5), 0, 1),
    "MatMul": lambda x, y, **a: torch.matmul(x, y),
    "Transpose": lambda x, **a: x.permute(*a["perm"]),
    "ReduceMean": lambda x, **a: x.mean(dim=list(a["axes"]), keepdim=bool(a.get("keepdims", 1))),
    "Softmax": lambda x, **a: torch.softmax(x, dim=a.get("axis", -1)),
    "Shape": lambda x, **a: torch.tensor(list(x.shape), dtype=torch.int64),
    "Concat": lambda *xs, **a: torch.cat(list(xs), dim=a["axis"]),
    "Conv": _conv,
    "MaxPool": _max_pool,
    "AveragePool": _avg_pool,
    "Slice": _slice,
    "Reshape": _reshape,
    "Squeeze": _squeeze,
    "Unsqueeze": _unsqueeze,
    "BatchNormalization": _batch_norm,
}


class UnsupportedGraph(ValueError):
    """The ONNX file uses an operator this runner does not know (a different recogniser)."""


class OnnxRecogniser(nn.Module):
    """Runs an ONNX recogniser with torch; ``forward`` returns per-step class scores.

    ``log_probs=True`` replaces the graph's final Softmax by log-softmax, which is what CTC loss
    needs (training on softmax outputs would be numerically poor); the ONNX file keeps its Softmax.
    """

    def __init__(self, model: onnx.ModelProto) -> None:
        super().__init__()
        graph = model.graph
        unknown = sorted({n.op_type for n in graph.node} - set(_OPS))
        if unknown:
            raise UnsupportedGraph(f"operators not supported for learning: {', '.join(unknown)}")
        frozen = {n.input[i] for n in graph.node if n.op_type == "BatchNormalization" for i in (3, 4)}
        self.weights = nn.ParameterDict()
        self._names: dict[str, str] = {}  # ONNX name -> ParameterDict key (no dots allowed)
        self._constants: dict[str, Tensor] = {}
        for init in graph.initializer:
            array = numpy_helper.to_array(init)
            if array.dtype == np.float32 and array.size > 1:
                key = f"w{len(self._names)}"
                self._names[init.name] = key
                self.weights[key] = nn.Parameter(torch.from_numpy(array.copy()),
                                                 requires_grad=init.name not in frozen)
            else:
                self._constants[init.name] = torch.from_numpy(np.array(array))
        self._nodes = [(n.op_type, list(n.input), list(n.output), _attrs(n)) for n in graph.node]
        self._input = graph.input[0].name
        self._output = graph.output[0].name
        self._last_use: dict[int, list[str]] = {}  # node index -> values nothing reads after it
        final: dict[str, int] = {}
        for index, (_, inputs, _, _) in enumerate(self._nodes):
            for name in inputs:
                if name and name not in self._names and name not in self._constants:
                    final[name] = index
        for name, index in final.items():
            self._last_use.setdefault(index, []).append(name)
        last = [i for i, n in enumerate(self._nodes) if self._output in n[2]]
        self._final_softmax = last[0] if last and self._nodes[last[0]][0] == "Softmax" else -1

    def onnx_weights(self) -> dict[str, np.ndarray]:
        """Current float weights by ONNX initializer name (what goes back into the file)."""
        return {name: self.weights[key].detach().cpu().numpy() for name, key in self._names.items()}

    def stage_starts(self) -> dict[str, int]:
        """Where training may begin: node index of each named part (``full``, ``last-stage``, ``neck``).

        The backbone ends in the graph's AveragePool; its last stage begins at the last Conv before
        it that a single tensor feeds. Only the part from the start on is trained; everything
        before it is computed once per line (:meth:`run` with ``stop``) and cached.
        """
        pool = max(i for i, n in enumerate(self._nodes) if n[0] == "AveragePool")
        singles = [i for i in range(1, pool) if len(self.boundary(i)) == 1 and self._nodes[i][0] == "Conv"]
        stride_two = [i for i in singles if list(self._nodes[i][3].get("strides", [1, 1])) != [1, 1]]
        last_stage = stride_two[-1] if stride_two else singles[-1]
        return {"full": 0, "last-stage": last_stage, "neck": pool + 1}

    def boundary(self, index: int) -> list[str]:
        """Values made before node ``index`` (or the input) that nodes from ``index`` on read."""
        made = {self._input, *(o for n in self._nodes[:index] for o in n[2])}
        needed = [i for n in self._nodes[index:] for i in n[1] if i in made]
        return sorted(set(needed))

    def freeze_before(self, index: int) -> None:
        """Weights read only by nodes before ``index`` stop training (they are cached over)."""
        later = {i for n in self._nodes[index:] for i in n[1]}
        for name, key in self._names.items():
            if name not in later:
                self.weights[key].requires_grad_(False)

    def run(self, known: dict[str, Tensor], start: int = 0, stop: int | None = None,
            log_probs: bool = False) -> dict[str, Tensor]:
        """Runs nodes ``start``..``stop`` from the ``known`` values; returns all values."""
        values: dict[str, Tensor] = dict(known)
        for name, key in self._names.items():
            values[name] = self.weights[key]
        values.update(self._constants)
        for index in range(start, len(self._nodes) if stop is None else stop):
            op, inputs, outputs, attrs = self._nodes[index]
            args = [values[i] if i else None for i in inputs]
            if log_probs and index == self._final_softmax:
                values[outputs[0]] = torch.log_softmax(values[inputs[0]], dim=attrs.get("axis", -1))
            else:
                values[outputs[0]] = _OPS[op](*args, **attrs)
            for name in self._last_use.get(index, ()):  # frees activations early (memory)
                values.pop(name, None)
        return values

    def forward(self, x: Tensor, log_probs: bool = False) -> Tensor:
        return self.run({self._input: x}, log_probs=log_probs)[self._output]

    def prefix(self, x: Tensor, start: int) -> dict[str, Tensor]:
        """What nodes from ``start`` on need, computed from the input ``x`` (no gradient)."""
        with torch.no_grad():
            values = self.run({self._input: x}, stop=start)
        return {name: values[name] for name in self.boundary(start)}

    def suffix(self, cached: dict[str, Tensor], start: int) -> Tensor:
        """Log-probabilities from the cached values at ``start`` (the trained part)."""
        return self.run(cached, start=start, log_probs=True)[self._output]
