"""The models' input: ink lightened to one darkness, paper and pencil left alone, fine grain smoothed."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.learn.recogniser import HEIGHT, INK_DEPTH, batch_width, line_tensor, line_width, soften_ink
from ocr.learn.samples import render_line


def test_pen_ink_is_lightened_to_the_set_darkness_and_paper_stays_white() -> None:
    image = render_line("Der Kaiser dankte ab.")  # black on white
    soft = soften_ink(image)
    assert image.min() == 0 and soft.min() >= 255 - INK_DEPTH - 1
    assert (soft[image == 255] == 255).all()
    assert soft.max() == 255 and soft.dtype == np.uint8 and soft.shape == image.shape


def test_light_ink_is_left_as_it_is_and_softening_twice_changes_nothing() -> None:
    pencil = (255 - (255 - render_line("Bleistift").astype(np.float32)) * 0.2).astype(np.uint8)
    assert soften_ink(pencil) is pencil
    once = soften_ink(render_line("Versailler Vertrag"))
    assert np.abs(soften_ink(once).astype(int) - once).max() <= 1


def test_colour_images_keep_their_shape_and_the_recogniser_reads_softened_ink() -> None:
    grey = render_line("1919")
    colour = np.dstack([grey] * 3)
    assert soften_ink(colour).shape == colour.shape
    width = batch_width([grey])
    assert np.allclose(line_tensor(grey, width), line_tensor(soften_ink(grey), width), atol=1e-2)
    assert line_tensor(grey, width).min() > -1.0  # the darkest ink no longer reaches the model's black


def test_the_papers_fine_grain_reaches_the_model_smoothed_not_as_speckles() -> None:
    line = np.full((144, 900), 255, np.uint8)  # a 300 dpi line: three times the model's height
    line[np.random.default_rng(0).random(line.shape) < 0.5] = 215  # textured paper, one pixel fine
    line[50:90, 450:850] = 0  # a stroke on the right; the left third is paper only
    paper = slice(0, 100)  # the tensor's columns for the paper-only third
    smoothed = line_tensor(line, batch_width([line]))[0, :, paper]
    shrunk = cv2.resize(soften_ink(line), (line_width(line), HEIGHT))[:, paper] / 127.5  # shrunk as it was
    assert smoothed.std() < 0.01 < 0.03 < shrunk.std()
    assert abs(smoothed.mean() - (shrunk.mean() - 1)) < 0.02  # the same grey, without the speckles
