"""OCR ground truth from the lines people confirmed: line images with text, and PAGE XML.

A line a teacher saved in the review is a correct transcription of one written line, which is
exactly what a handwriting recogniser trains on. Tesseract's tesstrain and Kraken read line
images with a text file beside them (``NAME.png`` + ``NAME.gt.txt``); layout tools and
eScriptorium read PAGE XML (2019 schema) with an outline (``Coords``), a ``Baseline`` and the
text (``TextEquiv``) per line.

Both come straight from :meth:`examkit.lines.Lines.confirmed`: each line's image is cut by its own
outline (pixels outside it whitened) and labelled with its own text, so there is no pairing of
texts with images to get wrong. Lines without an outline (typed by a person without drawing
one) have no image and are counted as skipped; typed documents have no handwriting at all.

The teacher's layer goes separately, under ``teacher/``: each red note (``3/5``, ``-1``, the total)
that the teacher's saved analysis agrees with (:func:`annotate.redink.confirmed_notes`), cut from
the page by its box, so the learned reader can learn the teacher's digits too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw

from annotate.parse import AnalysisParseError
from annotate.redink import confirmed_notes, red_ink
from annotate.sheets import settings_from
from examkit.confirmation import confirmed_lines
from examkit.files import FileNames, atomic_write_bytes, atomic_write_text
from examkit.models import ConfirmedLine, Point

if TYPE_CHECKING:
    from examkit.workspace import Workspace

PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
#: Pixels of page kept around a line's outline in its crop (whitened outside the outline).
PAD = 4


@dataclass
class GroundTruth:
    lines: int = 0
    pages: int = 0
    skipped_lines: int = 0
    skipped_pages: list[str] = field(default_factory=list)
    teacher_notes: int = 0  #: red notes written under teacher/
    files: list[Path] = field(default_factory=list)
    #: files of an earlier export in the same folder that this one replaced
    replaced: list[Path] = field(default_factory=list)


def export_ground_truth(ws: Workspace, out_dir: Path) -> GroundTruth:
    """Write line images + ``.gt.txt`` under ``out_dir/lines`` and PAGE XML (with the page image
    beside it) under ``out_dir/pages``, from every confirmed line with an outline."""
    result = GroundTruth()
    names = FileNames()
    typed = {d.id for d in ws.documents.list() if d.typed}  # digital text: no handwriting to learn from
    confirmed = [c for c in confirmed_lines(ws) if c.document_id not in typed]
    for (document_id, number), group in groupby(confirmed, key=lambda c: (c.document_id, c.page_number)):
        lines = list(group)
        drawn = [c for c in lines if len(c.polygon) >= 3 and len(c.baseline) >= 2]
        result.skipped_lines += len(lines) - len(drawn)
        image_path = ws.path(lines[0].image) if lines[0].image else None
        if not drawn or image_path is None or not image_path.is_file():
            result.skipped_pages.append(f"{document_id} page {number}: no outlined lines or no page image")
            result.skipped_lines += len(drawn)
            continue
        name = f"{names.name(document_id)}_p{number:03d}"
        with Image.open(image_path) as image:
            image.load()
            for index, line in enumerate(drawn):
                stem = out_dir / "lines" / f"{name}_l{index:03d}"
                result.files += _write_line(image, line, stem, names)
                result.lines += 1
            page_xml = names.claim(out_dir / "pages" / f"{name}.xml")
            page_image = names.claim(page_xml.with_suffix(image_path.suffix or ".png"))
            atomic_write_bytes(page_image, image_path.read_bytes())
            atomic_write_text(page_xml, page_xml_text(page_image.name, image.size, drawn))
            result.files += [page_xml, page_image]
        result.pages += 1
    _teacher_notes(ws, out_dir / "teacher", names, result)
    result.replaced = names.replaced
    return result


def _teacher_notes(ws: Workspace, folder: Path, names: FileNames, result: GroundTruth) -> None:
    """The red notes a saved analysis agrees with, as ``NAME.png`` + ``NAME.gt.txt`` (see the module docstring)."""
    from export.records import analysis_of

    settings = settings_from(ws.config.analysis, ws.root)
    for doc in ws.documents.list():
        revision = ws.revisions.latest_analysis(doc.id) if doc.kind == "student" and not doc.typed else None
        if revision is None:
            continue
        try:
            notes = confirmed_notes(red_ink(ws, doc.id), analysis_of(revision, settings))
        except AnalysisParseError:
            continue
        pages = {p.number: p for p in ws.documents.pages(doc.id)}
        for note in notes:
            image_path = ws.path(pages[note.page].image) if pages[note.page].image else None
            if image_path is None or not image_path.is_file():
                continue
            x0, y0, x1, y1 = note.mark.bbox
            with Image.open(image_path) as image:
                crop = image.convert("L").crop((max(0, x0 - PAD), max(0, y0 - PAD), x1 + PAD, y1 + PAD))
            stem = folder / f"{names.name(doc.id)}_p{note.page:03d}_n{note.index:03d}"
            png = names.claim(stem.with_suffix(".png"))
            png.parent.mkdir(parents=True, exist_ok=True)
            tmp = png.with_name(f".{png.name}.tmp.png")
            crop.save(tmp, format="PNG")
            tmp.replace(png)
            gt = names.claim(stem.with_suffix(".gt.txt"))
            atomic_write_text(gt, note.mark.text + "\n")
            result.files += [png, gt]
            result.teacher_notes += 1


def line_crop(image: Image.Image, polygon: list[Point]) -> Image.Image:
    """The line's box from the page (padded), with everything outside its outline white."""
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    box = (max(0, min(xs) - PAD), max(0, min(ys) - PAD), min(image.width, max(xs) + PAD + 1),
           min(image.height, max(ys) + PAD + 1))
    crop = image.convert("L").crop(box)
    mask = Image.new("L", crop.size, 0)
    ImageDraw.Draw(mask).polygon([(x - box[0], y - box[1]) for x, y in polygon], fill=255, outline=255)
    if PAD:
        from PIL import ImageFilter

        mask = mask.filter(ImageFilter.MaxFilter(2 * PAD + 1))
    white = Image.new("L", crop.size, 255)
    return Image.composite(crop, white, mask)


def _write_line(image: Image.Image, line: ConfirmedLine, stem: Path, names: FileNames) -> list[Path]:
    png = names.claim(stem.with_suffix(".png"))
    png.parent.mkdir(parents=True, exist_ok=True)
    tmp = png.with_name(f".{png.name}.tmp.png")
    line_crop(image, line.polygon).save(tmp, format="PNG")
    tmp.replace(png)
    gt = names.claim(stem.with_suffix(".gt.txt"))
    atomic_write_text(gt, line.text + "\n")
    return [png, gt]


def _points(points: Iterable[Point]) -> str:
    return " ".join(f"{max(0, x)},{max(0, y)}" for x, y in points)


def page_xml_text(image_name: str, size: tuple[int, int], lines: list[ConfirmedLine]) -> str:
    """A PAGE XML (2019-07-15) document: one text region around the lines, each line with its
    outline, baseline and confirmed text, in reading order."""
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    xs = [p[0] for c in lines for p in c.polygon]
    ys = [p[1] for c in lines for p in c.polygon]
    region = [(min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<PcGts xmlns="{PAGE_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{PAGE_NS} {PAGE_NS}/pagecontent.xsd">',
        f"  <Metadata><Creator>examkit</Creator><Created>{stamp}</Created><LastChange>{stamp}</LastChange></Metadata>",
        f"  <Page imageFilename={quoteattr(image_name)} imageWidth=\"{size[0]}\" imageHeight=\"{size[1]}\">",
        '    <ReadingOrder><OrderedGroup id="ro1"><RegionRefIndexed index="0" regionRef="r1"/></OrderedGroup></ReadingOrder>',
        f'    <TextRegion id="r1" type="paragraph"><Coords points="{_points(region)}"/>',
    ]
    for index, line in enumerate(lines):
        out += [
            f'      <TextLine id="l{line.line_id}" custom="readingOrder {{index:{index};}} layer {{type:{line.layer};}}">',
            f'        <Coords points="{_points(line.polygon)}"/>',
            f'        <Baseline points="{_points(line.baseline)}"/>',
            f"        <TextEquiv><Unicode>{escape(line.text)}</Unicode></TextEquiv>",
            "      </TextLine>",
        ]
    out.append(f"      <TextEquiv><Unicode>{escape(chr(10).join(c.text for c in lines))}</Unicode></TextEquiv>")
    out += ["    </TextRegion>", "  </Page>", "</PcGts>", ""]
    return "\n".join(out)

