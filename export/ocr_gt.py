"""OCR ground truth from the teachers' corrections: line images with text, and PAGE XML.

Every page a person reviewed is a correct transcription of handwriting, which is exactly what a
handwriting recogniser trains on. Tesseract's tesstrain and Kraken read line images with a text
file beside them (``NAME.png`` + ``NAME.gt.txt``); layout tools read PAGE XML (2019 schema).

The reviewed text has lines but no positions; the OCR reading has positions but wrong words. The
two are aligned line by line: by order when both have the same number of lines, else by the best
order-preserving fuzzy match (a small dynamic programme over rapidfuzz similarities). A line that
matches nothing well enough is skipped, and the count is reported, because a wrongly paired
image and text would teach the recogniser errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from PIL import Image

from examkit.confirmation import is_confirmed
from examkit.lines import align
from examkit.files import FileNames, atomic_write_bytes, atomic_write_text
from examkit.models import Line, Page

if TYPE_CHECKING:
    from examkit.workspace import Workspace

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
PAD = 4


@dataclass
class GroundTruth:
    lines: int = 0
    pages: int = 0
    skipped_lines: int = 0
    skipped_pages: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: files of an earlier export in the same folder that this one replaced
    replaced: list[Path] = field(default_factory=list)


def _reviewed_text(ws: Workspace, page: Page) -> str | None:
    """The text of a page a person confirmed (:mod:`examkit.confirmation`), else None."""
    if not is_confirmed(ws, page):
        return None
    return ws.revisions.page_text(page.id)


def export_ground_truth(ws: Workspace, out_dir: Path) -> GroundTruth:
    """Write line images + ``.gt.txt`` under ``out_dir/lines`` and PAGE XML under ``out_dir/pages``."""
    result = GroundTruth()
    names = FileNames()
    for doc in ws.documents.list():
        if doc.typed:  # digital text: no handwriting to learn from
            continue
        for page in ws.documents.pages(doc.id):
            text = _reviewed_text(ws, page)
            if text is None:
                continue
            name = f"{names.name(doc.id)}_p{page.number:03d}"
            reading = ws.documents.latest_ocr(page.id)
            image_path = ws.path(page.image) if page.image else None
            if reading is None or not reading.lines or image_path is None or not image_path.is_file():
                result.skipped_pages.append(f"{doc.id} page {page.number}: no OCR lines or no page image")
                continue
            ocr_lines = [line for line in reading.lines if line.words]
            reviewed = [t.strip() for t in text.splitlines() if t.strip()]
            pairs = align([line.text for line in ocr_lines], reviewed)
            with Image.open(image_path) as image:
                image.load()
                for index, (line, match) in enumerate(zip(ocr_lines, pairs)):
                    if match is None:
                        result.skipped_lines += 1
                        continue
                    stem = out_dir / "lines" / f"{name}_l{index:03d}"
                    result.files += _write_line(image, line, reviewed[match], stem, names)
                    result.lines += 1
                result.skipped_lines += len(reviewed) - sum(1 for p in pairs if p is not None)
                page_xml = out_dir / "pages" / f"{name}.xml"
                page_image = page_xml.with_suffix(image_path.suffix or ".png")
                atomic_write_bytes(names.claim(page_image), image_path.read_bytes())
                atomic_write_text(names.claim(page_xml), page_xml_text(page_image.name, image.size, ocr_lines, pairs, reviewed))
                result.files += [page_xml, page_image]
            result.pages += 1
    result.replaced = names.replaced
    return result


def _write_line(image: Image.Image, line: Line, text: str, stem: Path, names: FileNames) -> list[Path]:
    x0, y0, x1, y1 = line.bbox
    box = (max(0, x0 - PAD), max(0, y0 - PAD), min(image.width, x1 + PAD), min(image.height, y1 + PAD))
    png = names.claim(stem.with_suffix(".png"))
    png.parent.mkdir(parents=True, exist_ok=True)
    crop = image.crop(box)
    tmp = png.with_name(f".{png.name}.tmp.png")
    crop.save(tmp, format="PNG")
    tmp.replace(png)
    gt = names.claim(stem.with_suffix(".gt.txt"))
    atomic_write_text(gt, text + "\n")
    return [png, gt]


def _points(bbox: tuple[int, int, int, int]) -> str:
    x0, y0, x1, y1 = bbox
    return f"{x0},{y0} {x1},{y0} {x1},{y1} {x0},{y1}"


def page_xml_text(
    image_name: str, size: tuple[int, int], lines: list[Line], pairs: list[int | None], reviewed: list[str]
) -> str:
    """A PAGE XML (2019-07-15) document: one region per OCR block, the corrected text per line."""
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    blocks: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        blocks.setdefault(line.block, []).append(index)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<PcGts xmlns="{PAGE_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{PAGE_NS} {PAGE_NS}/pagecontent.xsd">',
        f"  <Metadata><Creator>examkit</Creator><Created>{stamp}</Created><LastChange>{stamp}</LastChange></Metadata>",
        f"  <Page imageFilename={quoteattr(image_name)} imageWidth=\"{size[0]}\" imageHeight=\"{size[1]}\">",
    ]
    for block, members in sorted(blocks.items()):
        boxes = [lines[i].bbox for i in members]
        region = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        out.append(f'    <TextRegion id="r{block}" type="paragraph"><Coords points="{_points(region)}"/>')
        texts = []
        for i in members:
            out.append(f'      <TextLine id="r{block}_l{i}"><Coords points="{_points(lines[i].bbox)}"/>')
            if pairs[i] is not None:
                texts.append(reviewed[pairs[i]])
                out.append(f"        <TextEquiv><Unicode>{escape(reviewed[pairs[i]])}</Unicode></TextEquiv>")
            out.append("      </TextLine>")
        out.append(f"      <TextEquiv><Unicode>{escape(chr(10).join(texts))}</Unicode></TextEquiv>")
        out.append("    </TextRegion>")
    out += ["  </Page>", "</PcGts>", ""]
    return "\n".join(out)
