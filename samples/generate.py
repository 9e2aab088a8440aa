"""Generate the sample exam folders and their ground truth (deterministic: same bytes every run).

    .venv/bin/python samples/generate.py                 # everything into samples/, with MANIFEST
    .venv/bin/python samples/generate.py --out /tmp/s --only LK-Weimar-2024/fuchs-tim

Writes ``exams/<exam>/...`` in the exam-folder convention of cli.md and
``ground-truth/<exam>/<student>/`` (page text, red marks, line layout, the intended analysis).
A full run also writes ``MANIFEST.sha256`` over both trees; tests compare against it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import sys
import time
import zipfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from model import Exam, Student, validate  # noqa: E402
from photo import photograph  # noqa: E402
from render_page import DPI, Page, render_printed, render_student  # noqa: E402
from sheets import loose_text, sheet_json, sheet_yaml  # noqa: E402
from texts import exams  # noqa: E402

JPEG_QUALITY = 72
FIXED_TIME = time.struct_time((2024, 1, 1, 12, 0, 0, 0, 1, 0))
FIXED_ZIP_DATE = (2024, 1, 1, 12, 0, 0)


def _jpeg(img: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, optimize=True, dpi=(DPI, DPI))
    return buf.getvalue()


def _pdf(images: list[Image.Image], quality: int = JPEG_QUALITY) -> bytes:
    """Pages as JPEG images in a PDF (Pillow's writer), fixed dates so the bytes never change."""
    buf = io.BytesIO()
    first, *rest = [im.convert("RGB") for im in images]
    first.save(buf, "PDF", save_all=True, append_images=rest, resolution=float(DPI), quality=quality,
               creationDate=FIXED_TIME, modDate=FIXED_TIME, producer="examkit samples")
    return buf.getvalue()


def _docx(title: str | None, blocks: list[tuple[str, str]]) -> bytes:
    """A .docx with bold headings; re-zipped with fixed timestamps (python-docx stamps 'now')."""
    import datetime

    import docx

    d = docx.Document()
    stamp = datetime.datetime(2024, 1, 1, 12, 0, 0)
    d.core_properties.created = d.core_properties.modified = stamp
    d.core_properties.last_printed = stamp
    d.core_properties.author = d.core_properties.last_modified_by = ""
    if title:
        d.add_paragraph().add_run(title).bold = True
    for heading, text in blocks:
        if heading:
            d.add_paragraph().add_run(heading).bold = True
        for para in text.split("\n\n"):
            d.add_paragraph(para)
    raw = io.BytesIO()
    d.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_task_sheet(exam: Exam, out: Path) -> None:
    folder = out / "exams" / exam.name
    gt = out / "ground-truth" / exam.name / "aufgabe.gt.txt"
    if exam.task_form == "pdf":
        pages, texts = render_printed(exam.task_sheet, exam.name)
        _write(folder / "aufgabe.pdf", _pdf(pages, quality=80))
        _write(gt, "\f".join("\n".join(t) + "\n" for t in texts))
    elif exam.task_form == "txt":
        _write(folder / "aufgabe.txt", exam.task_sheet)
        _write(gt, exam.task_sheet)
    else:
        blocks = [("", b) for b in exam.task_sheet.strip().split("\n\n")]
        _write(folder / "aufgabe.docx", _docx(None, [(h, t) for h, t in blocks]))
        _write(gt, "\n".join(p for _, b in blocks for p in b.split("\n")) + "\n")


def _answer_text(student: Student) -> str:
    return "\n\n".join(f"{s.heading}\n{s.text}" for s in student.sections) + "\n"


def write_student(exam: Exam, student: Student, out: Path) -> None:
    validate(exam, student)
    folder = out / "exams" / exam.name
    gt = out / "ground-truth" / exam.name / student.slug
    seed = f"{exam.name}/{student.slug}"
    form = student.form
    if form == "txt":
        text = _answer_text(student)
        _write(folder / f"{student.slug}.txt", text)
        _write(gt / "text.gt.txt", text)
    elif form == "docx":
        blocks = [(s.heading, s.text) for s in student.sections]
        _write(folder / f"{student.slug}.docx", _docx(f"{student.name} - {exam.name}", blocks))
        paras = [f"{student.name} - {exam.name}"] + [p for h, t in blocks for p in [h, *t.split("\n\n")]]
        _write(gt / "text.gt.txt", "\n".join(paras) + "\n")
    else:
        pages = render_student(exam, student, seed)
        photos = [photograph(p.image, f"{seed}/{i}") if "photo" in form else None for i, p in enumerate(pages)]
        stored = [ph[0] if ph else p.image for p, ph in zip(pages, photos)]
        if form in ("pdf", "pdf-photo"):
            _write(folder / f"{student.slug}.pdf", _pdf(stored))
            where = [f"{student.slug}.pdf#page={i + 1}" for i in range(len(pages))]
        elif form in ("images", "images-photo"):
            for i, im in enumerate(stored):
                _write(folder / student.slug / f"{i + 1:03d}.jpg", _jpeg(im))
            where = [f"{student.slug}/{i + 1:03d}.jpg" for i in range(len(pages))]
        elif form == "png":
            if len(pages) != 1:
                raise ValueError(f"{seed}: a single-image student needs a one-page answer, got {len(pages)}")
            buf = io.BytesIO()
            stored[0].quantize(48, dither=Image.Dither.NONE).save(buf, "PNG", optimize=True, dpi=(DPI, DPI))
            _write(folder / f"{student.slug}.png", buf.getvalue())
            where = [f"{student.slug}.png"]
        elif form in ("jpg", "jpg-photo"):  # a flatbed scan or a phone photo as one JPEG
            if len(pages) != 1:
                raise ValueError(f"{seed}: a single-image student needs a one-page answer, got {len(pages)}")
            _write(folder / f"{student.slug}.jpg", _jpeg(stored[0]))
            where = [f"{student.slug}.jpg"]
        else:
            raise ValueError(f"{seed}: unknown form {form!r}")
        _write_page_truth(gt, pages, photos, where)
    _write(gt / "analysis.yaml", sheet_yaml(exam, student))
    if student.sheet == "yaml":
        _write(folder / f"{student.slug}.yaml", sheet_yaml(exam, student))
    elif student.sheet == "json":
        _write(folder / f"{student.slug}.json", sheet_json(exam, student))
    elif student.sheet == "loose":
        loose = [s.slug for e in exams() for s in e.students if s.sheet == "loose"]
        style = "ab"[loose.index(student.slug) % 2]
        _write(folder / f"{student.slug}.fehleranalyse.txt", loose_text(exam, student, style))


def _write_page_truth(gt: Path, pages: list[Page], photos: list, where: list[str]) -> None:
    layout = []
    for n, (page, ph) in enumerate(zip(pages, photos), start=1):
        _write(gt / f"page-{n:03d}.gt.txt", "".join(line.text + "\n" for line in page.lines))
        info: dict = {"page": n, "source": where[n - 1], "size": list(page.image.size), "dpi": DPI,
                      "coordinates": "flat page pixels (before any photo warp)"}
        if ph:
            H = ph[1] / ph[1][2, 2]
            info["homography"] = [[round(float(v), 9) for v in row] for row in H]
            info["photo_size"] = list(ph[0].size)
        _write(gt / f"page-{n:03d}.marks.json", _json({**info, "marks": [m.as_dict() for m in page.marks]}))
        layout.append({**info, "lines": [
            {"text": ln.text, "bbox": ln.bbox, "words": [{"text": w.text, "bbox": list(w.bbox)} for w in ln.words]}
            for ln in page.lines]})
    _write(gt / "layout.json", _json({"pages": layout}))


def write_manifest(out: Path) -> Path:
    rows = []
    for tree in ("exams", "ground-truth"):
        for p in sorted((out / tree).rglob("*")):
            if p.is_file():
                rows.append(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(out).as_posix()}")
    manifest = out / "MANIFEST.sha256"
    manifest.write_text("\n".join(sorted(rows, key=lambda r: r[66:])) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="folder to write exams/ and ground-truth/ into")
    ap.add_argument("--only", action="append", default=[],
                    help="EXAM or EXAM/STUDENT to generate (repeatable); skips the manifest")
    args = ap.parse_args(argv)
    out: Path = args.out
    if not args.only:
        for tree in ("exams", "ground-truth"):
            shutil.rmtree(out / tree, ignore_errors=True)
    for exam in exams():
        wanted = [o for o in args.only if o.split("/")[0] == exam.name]
        if args.only and not wanted:
            continue
        whole = not args.only or exam.name in wanted
        if whole:
            write_task_sheet(exam, out)
        for student in exam.students:
            if whole or f"{exam.name}/{student.slug}" in wanted:
                print(f"{exam.name}/{student.slug}", file=sys.stderr)
                write_student(exam, student, out)
    if not args.only:
        print(f"wrote {write_manifest(out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
