from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr import preprocess
from tests.ocr.conftest import HAND_FONT, draw_page

TEXT = ["Die Reformation begann 1517 in Wittenberg", "Luther schrieb fuenfundneunzig Thesen",
        "Der Bauernkrieg folgte bald darauf", "Die Fuersten stritten ueber den Glauben",
        "Augsburger Religionsfriede 1555"]


def _page(**kw) -> np.ndarray:
    return draw_page(TEXT, font=HAND_FONT, size=36, **kw).bgr()


def _rotate(image: np.ndarray, angle: float) -> np.ndarray:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), borderValue=(255, 255, 255))


@pytest.mark.parametrize("angle", [-6.0, 3.5])
def test_deskew_recovers_a_known_angle(angle: float):
    tilted = _rotate(_page(), angle)
    assert preprocess.skew_angle(cv2.cvtColor(tilted, cv2.COLOR_BGR2GRAY)) == pytest.approx(-angle, abs=0.4)
    straight, detail = preprocess.deskew(tilted)
    assert detail is not None
    assert abs(preprocess.skew_angle(cv2.cvtColor(straight, cv2.COLOR_BGR2GRAY))) <= 0.4


def test_straight_page_is_left_alone():
    page = _page()
    out, detail = preprocess.deskew(page)
    assert detail is None and out is page


def test_perspective_correction_finds_a_drawn_page():
    page = _page()
    h, w = page.shape[:2]
    photo_w, photo_h = 1500, 1000
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    placed = np.float32([[260, 120], [1230, 160], [1280, 880], [200, 850]])
    matrix = cv2.getPerspectiveTransform(corners, placed)
    table = np.full((photo_h, photo_w, 3), (60, 70, 80), np.uint8)
    photo = cv2.warpPerspective(page, matrix, (photo_w, photo_h), dst=table, borderMode=cv2.BORDER_TRANSPARENT)
    flat, detail = preprocess.find_page(photo)
    assert detail is not None
    out_h, out_w = flat.shape[:2]
    assert out_w / out_h == pytest.approx(1030 / 730, rel=0.08)  # the sheet, not the photo
    grey = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)
    assert np.median(grey[:, :20]) > 200 and np.median(grey[:, -20:]) > 200  # no table left at the edges


def test_flatbed_scan_needs_no_page_detection():
    page = _page()
    _, detail = preprocess.find_page(page)
    assert detail is None


def test_illumination_flattening_removes_a_shadow():
    page = _page().astype(np.float32)
    shade = np.linspace(0.45, 1.0, page.shape[1], dtype=np.float32)[None, :, None]
    shadowed = (page * shade).astype(np.uint8)
    flat, _ = preprocess.flatten_illumination(shadowed)
    grey = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY)
    paper = grey[5:40, :]  # the top margin, no ink
    assert paper.min() > 200 and paper.std() < 10


def test_sauvola_is_binary_and_keeps_text_on_shaded_paper():
    page = cv2.cvtColor(_page(), cv2.COLOR_BGR2GRAY).astype(np.float32)
    shaded = (page * np.linspace(0.5, 1.0, page.shape[1])[None, :]).astype(np.uint8)
    binary = preprocess.sauvola(shaded)
    assert set(np.unique(binary)) <= {0, 255}
    ink_truth = page < 128
    assert (binary[ink_truth] == 0).mean() > 0.85  # text kept
    assert (binary[~ink_truth] == 255).mean() > 0.98  # shade gone


def test_border_removal_whitens_a_dark_scanner_edge():
    page = _page()
    page[:, :40] = 15
    out, detail = preprocess.remove_border(page)
    assert detail is not None and out[:, :40].min() == 255
    assert (out[:, 60:] == page[:, 60:]).all()


def test_scale_brings_small_writing_to_the_target_height():
    small = cv2.resize(_page(), None, fx=0.8, fy=0.8, interpolation=cv2.INTER_AREA)
    out, detail = preprocess.scale_text(small)
    assert detail is not None and out.shape[1] > small.shape[1] * 1.5
    height = preprocess.text_height(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY))
    assert height == pytest.approx(preprocess.TARGET_TEXT_HEIGHT, rel=0.3)


def test_steps_are_switchable_and_recorded():
    applied, seen = preprocess.Applied(), []
    tilted = _rotate(_page(), 4)
    preprocess.normalise(tilted, ["deskew"], applied, record=lambda name, image: seen.append(name))
    assert [s.split("(")[0] for s in applied.steps] == ["deskew"] and seen == ["deskew"]
    applied = preprocess.Applied()
    out = preprocess.normalise(tilted, [], applied)
    assert applied.steps == [] and out is tilted
