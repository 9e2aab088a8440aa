"""The HN2021 letters (1905 cursive, CC-BY-4.0) as line samples, split by page with known writers.

Source: PSL-Chartes-HTR-Students/HN2021-Memorials_Jane_Lathrop_Stanford (GitHub, commit 9266adb;
Zenodo DOI 10.5281/zenodo.6126625), ALTO XML with line polygons and segmOnto line types. Not part
of the repository: pass the folder that holds its ``data/`` (``git clone`` it anywhere).

Writers: a page whose text continues the previous page's letter (it starts mid-sentence) has the
same writer; every other page is taken as a writer of its own. The 11 test pages are fixed: six
second pages of such letters (their writer's first page is among the training pages: "seen"), and
five pages of writers that appear nowhere else ("unseen"); two of those carry print/typewriting.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import cv2

from ocr.learn.samples import PRINTED, LineSample, crop_line

#: Pages whose letter continues on the next listed page (same writer).
LETTERS = [("SC0033B_s4_b01_f14_i084", "SC0033B_s4_b01_f14_i085"),
           ("SC0033B_s4_b01_f14_i091", "SC0033B_s4_b01_f14_i092"),
           ("Lettre57", "Lettre58", "Lettre59"), ("Lettre76_1", "Lettre76_2"),
           ("Lettre251", "Lettre252"), ("Lettre247", "Lettre248")]
SEEN_TEST = ["SC0033B_s4_b01_f14_i085", "SC0033B_s4_b01_f14_i092", "Lettre59", "Lettre76_2",
             "Lettre252", "Lettre248"]
UNSEEN_TEST = ["SC0033B_s4_b01_f14_i088", "SC0033B_s4_b01_f14_i093", "Lettre69", "Lettre253", "Lettre244"]
HANDWRITTEN_TYPES = ("Handwritten", "Signature")


def writer_of(page: str) -> str:
    return next((letter[0] for letter in LETTERS if page in letter), page)


def _kind(label: str) -> str:
    return "handwritten" if label.endswith(HANDWRITTEN_TYPES) else PRINTED


def _lines(xml: Path) -> list[tuple[list[tuple[float, float]], str, str]]:
    """(outline, text, kind) of each transcribed line with an outline, in the file's order."""
    ns = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
    root = ET.parse(xml).getroot()
    labels = {t.get("ID"): t.get("LABEL", "") for t in root.iterfind(".//a:OtherTag", ns)}
    out = []
    for line in root.iterfind(".//a:TextLine", ns):
        polygon = line.find("a:Shape/a:Polygon", ns)
        text = " ".join(s.get("CONTENT", "") for s in line.iterfind("a:String", ns)).strip()
        if polygon is None or not text:
            continue
        values = [float(v) for v in polygon.get("POINTS", "").split()]
        out.append((list(zip(values[0::2], values[1::2])), text, _kind(labels.get(line.get("TAGREFS", ""), ""))))
    return out


def page_text(xml: Path) -> str:
    """The page's transcription, one written line per line (what a teacher would type in)."""
    return "\n".join(text for _, text, _ in _lines(xml))


def read_page(xml: Path) -> list[LineSample]:
    image = cv2.imread(str(xml.with_suffix(".jpg")), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(f"{xml.with_suffix('.jpg')}: page image missing")
    return [LineSample(crop_line(image, points), text, xml.stem, kind) for points, text, kind in _lines(xml)]


def load(folder: Path) -> dict[str, list[LineSample]]:
    """Line samples by page name, for every ALTO page under ``folder``."""
    return {xml.stem: read_page(xml) for xml in sorted(folder.rglob("*.xml"))}


def training_order(pages: list[str]) -> list[str]:
    """Training pages, first pages of continued letters first (so small curves see some writers)."""
    test = set(SEEN_TEST + UNSEEN_TEST)
    firsts = [p for letter in LETTERS for p in letter if p not in test]
    return firsts + sorted(p for p in pages if p not in test and p not in firsts)
