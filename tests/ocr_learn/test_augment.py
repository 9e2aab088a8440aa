"""Altered copies of a line: same size and type, white stays white, reproducible, still the line."""

import random

import numpy as np

from ocr.learn.augment import altered
from ocr.learn.samples import render_line


def test_altered_copies_are_reproducible_variations_of_the_line():
    line = render_line("Die Schülerin fasst zusammen.")
    copies = [altered(line, random.Random(seed)) for seed in range(6)]
    assert all(c.shape == line.shape and c.dtype == np.uint8 for c in copies)
    assert np.array_equal(copies[0], altered(line, random.Random(0)))
    assert len({c.tobytes() for c in copies}) == 6
    ink = line < 128
    for copy in copies:
        assert copy[0].min() >= 200 and copy[:, 0].min() >= 200  # the padding stays (nearly) white
        assert 0.3 < (copy < 128).sum() / ink.sum() < 1.7  # strokes thinner or thicker, not gone
        assert (copy[ink] < 160).mean() > 0.35  # the ink is mostly where it was (small rotation, wave)
