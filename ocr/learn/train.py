"""CTC fine-tuning of the recogniser on confirmed lines (torch; the ``[local]`` extra).

Lines are sorted by width and cut into fixed batches (little padding); the part of the graph
before ``part`` is computed once per batch and cached, so each epoch trains only the chosen
part (see :meth:`ocr.learn.graph.OnnxRecogniser.stage_starts`). The default trains the backbone's
last stage, the neck and the output layer (3.9 M of the 5.3 M weights) at a gentle rate: end to end
on 30 HN2021 pages (lines as a scan outlines them, texts brought in by import) it cut seen writers'
page CER by 18 % where the neck alone cut 11 %, read print better too, and took 4.4 instead of
3.7 minutes on two loaded cores (BENCHMARKS.md). On 5 pages cut along ground-truth outlines it
had gained no more than the neck and made print worse: measure on what the teacher scans.

The learning rate warms up linearly over the first tenth of the steps and then decays on a cosine:
full fine-tuning without warm-up, or with rates above 1e-4, made the reader worse.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ocr.learn.recogniser import batch_width, line_tensor
from ocr.learn.samples import LineSample

if TYPE_CHECKING:
    from ocr.learn.graph import OnnxRecogniser


@dataclass
class Progress:
    epoch: int
    epochs: int
    lines_done: int
    lines_total: int
    lines_per_s: float
    seconds_left: float
    loss: float


@dataclass
class TrainOptions:
    epochs: int = 5
    lr: float | None = None  # None: the part's default (DEFAULT_LR)
    batch: int = 8
    part: str = "last-stage"
    seed: int = 0
    warmup: float = 0.1


#: Learning rates that worked per part: the backbone needs a gentle one, the neck takes more.
DEFAULT_LR = {"neck": 3e-4, "last-stage": 1e-4, "full": 1e-4}


def encode(text: str, index: dict[str, int]) -> list[int]:
    """Class ids of ``text``; characters the dictionary lacks are left out (they cannot be learned)."""
    return [index[c] for c in text if c in index]


def _batches(samples: list[LineSample], size: int) -> list[list[LineSample]]:
    ordered = sorted(samples, key=lambda s: s.image.shape[1] / max(s.image.shape[0], 1))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def _lr_factor(step: int, steps: int, warmup: int) -> float:
    if step < warmup:
        return (step + 1) / warmup
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(steps - warmup, 1)))


def fine_tune(net: OnnxRecogniser, samples: list[LineSample], classes: list[str], options: TrainOptions,
              progress: Callable[[Progress], None] | None = None, device: str | None = None) -> OnnxRecogniser:
    """Trains ``net`` in place on ``samples`` and returns it (eval mode, on the CPU)."""
    import torch

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(options.seed)
    rng = random.Random(options.seed)
    index = {c: i for i, c in enumerate(classes) if i}
    start = net.stage_starts()[options.part]
    net.freeze_before(start)
    net.to(device).train()
    batches = []
    usable = [s for s in samples if encode(s.text, index)]
    began = time.monotonic()
    for group in _batches(usable, options.batch):
        width = batch_width([s.image for s in group])
        x = torch.from_numpy(np.stack([line_tensor(s.image, width) for s in group])).to(device)
        cached = {k: v.half() if start else v for k, v in net.prefix(x, start).items()}
        targets = [torch.tensor(encode(s.text, index), dtype=torch.long) for s in group]
        batches.append((cached, targets))
        if progress:  # epoch 0: the frozen part is computed once per line
            prepared = sum(len(t) for _, t in batches)
            rate = prepared / max(time.monotonic() - began, 1e-9)
            progress(Progress(0, options.epochs, prepared, len(usable), rate, (len(usable) - prepared) / rate, 0.0))
    params = [p for p in net.parameters() if p.requires_grad]
    lr = options.lr or DEFAULT_LR[options.part]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=1e-4)
    steps = len(batches) * options.epochs
    warmup = max(1, int(steps * options.warmup))
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    total = sum(len(t) for _, t in batches) * options.epochs
    done, step, began = 0, 0, time.monotonic()
    for epoch in range(1, options.epochs + 1):
        rng.shuffle(batches)
        for cached, targets in batches:
            for param_group in optimiser.param_groups:
                param_group["lr"] = lr * _lr_factor(step, steps, warmup)
            log_probs = net.suffix({k: v.float() for k, v in cached.items()}, start).permute(1, 0, 2)
            lengths = torch.full((log_probs.shape[1],), log_probs.shape[0], dtype=torch.long)
            loss = ctc(log_probs, torch.cat(targets).to(device), lengths,
                       torch.tensor([len(t) for t in targets], dtype=torch.long))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            step += 1
            done += len(targets)
            if progress:
                rate = done / max(time.monotonic() - began, 1e-9)
                progress(Progress(epoch, options.epochs, done, total, rate, (total - done) / rate, loss.item()))
    return net.cpu().eval()
