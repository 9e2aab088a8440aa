"""Drawing: a student's answer as handwriting on A4 paper, with the teacher's red marks on top.

Pages are A4 at 200 DPI (1654 x 2339 px): a handwritten x-height of 27-31 px there is 40-46
px at 300 DPI, large enough for a good pipeline. Everything drawn is also recorded (each
written line with its words and boxes, each red mark with its box and the words it marks) so the
ground truth is exact by construction.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np
from model import Error, Exam, Student, fmt, task_points, total_points
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 200
PAGE_W, PAGE_H = 1654, 2339  # A4 at 200 DPI
# Full paths, so tests/core/test_system_packages.py finds them and checks that `make setup` installs
# their Debian packages (fonts-dkg-handwriting, fonts-breip, fonts-femkeklaver, fonts-kristi).
FONTS = {  # name -> (file, target x-height in px)
    "dkg": ("/usr/share/fonts/truetype/fifthhorseman/dkg.ttf", 27),
    "dkg-italic": ("/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf", 27),
    "dkg-bold": ("/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf", 27),
    "breip": ("/usr/share/fonts/truetype/breip/Breip.ttf", 28),
    "femkeklaver": ("/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf", 28),
    "kristi": ("/usr/share/fonts/truetype/kristi/Kristi.ttf", 30),
}
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SERIF_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
TEACHER_FONT = "dkg-bold"
INKS = {"blue": (28, 52, 150), "black": (32, 32, 38), "royal": (40, 82, 196)}  # royal: Königsblau, school fountain pen
RED = (205, 32, 38)
PAPER = {"lined": (246, 243, 233), "plain": (249, 248, 244)}
LINE_STEP = 72  # ruled line distance: 9 mm
TOP, BOTTOM = 250, PAGE_H - 170
TEXT_X0, TEXT_X1 = 200, 1300  # writing area; the teacher's correction margin is right of it
MARGIN_LINE_X = 1340


@dataclass
class Word:
    text: str
    x: float
    baseline: float
    bbox: tuple[int, int, int, int]


@dataclass
class Line:
    text: str
    words: list[Word]
    slot: int  # ruled-line index on the page

    @property
    def bbox(self) -> list[int]:
        boxes = [w.bbox for w in self.words]
        return [min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes)]


@dataclass
class Mark:
    kind: str  # underline | strike | circle | margin
    bbox: list[int]
    text: str
    line: int | None = None  # index into the page's lines (None for notes above the text)
    quote: str | None = None  # the whole marked phrase where this mark is one line's part of it

    def as_dict(self) -> dict:
        d: dict = {"kind": self.kind, "bbox": self.bbox, "text": self.text}
        if self.line is not None:
            d["line"] = self.line
        if self.quote is not None:
            d["quote"] = self.quote
        return d


@dataclass
class Page:
    image: Image.Image
    lines: list[Line] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


def load_font(name: str, scale: float = 1.0) -> ImageFont.FreeTypeFont:
    """The font at the size that gives its lower-case letters the target x-height (median)."""
    file, xh = FONTS[name]
    probe = ImageFont.truetype(file, 200)
    tops = sorted(-probe.getbbox(c, anchor="ls")[1] for c in "acemnorsuvwxz")
    size = round(200 * xh * scale / tops[len(tops) // 2])
    return ImageFont.truetype(file, size)


def paper(kind: str, rng: np.random.Generator, size: tuple[int, int] = (PAGE_W, PAGE_H)) -> np.ndarray:
    """Paper colour with a faint low-frequency unevenness (cheap to JPEG-compress)."""
    w, h = size
    coarse = rng.normal(0, 1, (h // 60 + 2, w // 60 + 2)).astype(np.float32)
    blot = np.asarray(Image.fromarray(coarse).resize((w, h), Image.BICUBIC))
    base = np.array(PAPER[kind], np.float32)[None, None, :]
    return np.clip(base + 3.0 * blot[..., None], 0, 255)


def _composite(img: np.ndarray, mask: Image.Image, colour: tuple[int, int, int], opacity: float,
               rng: np.random.Generator) -> np.ndarray:
    """Lay ink of ``colour`` through ``mask`` with a pen-pressure variation."""
    a = np.asarray(mask.filter(ImageFilter.GaussianBlur(0.7)), np.float32) / 255.0
    h, w = a.shape
    pressure = rng.uniform(0.78, 1.0, (h // 80 + 2, w // 80 + 2)).astype(np.float32)
    a *= np.asarray(Image.fromarray(pressure).resize((w, h), Image.BILINEAR)) * opacity
    ink = np.array(colour, np.float32)[None, None, :]
    return img * (1 - a[..., None]) + ink * a[..., None]


# ---- layout -------------------------------------------------------------------------------

@dataclass
class _Unit:
    """Words that must stay on one line (a phrase the teacher marks, or a single word)."""

    words: list[str]
    marks: list[tuple[Error, int, int]]  # error, char start and end of the quote in " ".join(words)


def _units(text: str, errors: list[Error]) -> list[_Unit]:
    words = text.split()
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    flat = " ".join(words)
    group = list(range(len(words)))  # word index -> first word index of its group
    spans: list[tuple[Error, int, int]] = []
    for e in errors:
        if not (e.quote and e.mark):
            continue
        at = flat.find(e.quote)
        if at < 0:
            continue
        end = at + len(e.quote)
        idx = [i for i, s in enumerate(starts) if s < end and s + len(words[i]) > at]
        for i in idx:
            group[i] = group[idx[0]]
        spans.append((e, at, end))
    units: list[_Unit] = []
    for i, w in enumerate(words):
        if group[i] == i or not units:
            units.append(_Unit([w], []))
        else:
            units[-1].words.append(w)
    # attach each span to its unit with offsets relative to the unit's text
    unit_start, k = [], 0
    for u in units:
        unit_start.append(starts[k])
        k += len(u.words)
    for e, a, b in spans:
        j = max(i for i, s in enumerate(unit_start) if s <= a)
        units[j].marks.append((e, a - unit_start[j], b - unit_start[j]))
    return units


@dataclass
class _PlannedLine:
    units: list[_Unit]
    heading: bool = False
    gap_before: bool = False
    margin: list[str] = field(default_factory=list)


def _plan(exam: Exam, student: Student, font: ImageFont.FreeTypeFont, space: float) -> list[_PlannedLine]:
    """Wrap the answer into written lines; task totals go beside each task's last line."""
    plan: list[_PlannedLine] = []
    width = TEXT_X1 - TEXT_X0 - 30  # drawn spacing varies; keep clear of the margin
    points = dict(zip([t.label for t in exam.tasks], task_points(exam, student)))
    maxima = {t.label: t.max for t in exam.tasks}
    for n, sec in enumerate(student.sections):
        errs = student.errors.get(sec.task, [])
        plan.append(_PlannedLine([_Unit(sec.heading.split(), [])], heading=True, gap_before=n > 0))
        for para in sec.text.split("\n\n"):
            line: list[_Unit] = []
            used = 0.0
            units = [v for u in _units(para, errs)
                     for v in ([u] if font.getlength(" ".join(u.words)) <= width else _split(u))]
            for u in units:
                w = font.getlength(" ".join(u.words))
                if line and used + space + w > width:
                    plan.append(_PlannedLine(line))
                    line, used = [], 0.0
                used += (space if line else 0) + w
                line.append(u)
            if line:
                plan.append(_PlannedLine(line))
        top = sec.task.split("/")[0]
        later = [s for s in student.sections[n + 1:] if s.task.split("/")[0] == top]
        if not later:
            plan[-1].margin.append(f"{fmt(points[top])}/{fmt(maxima[top])}")
    return plan


def _split(unit: _Unit) -> list[_Unit]:
    """A marked phrase too long for one line, as single words (its mark then spans two lines)."""
    out, start = [], 0
    for w in unit.words:
        end = start + len(w)
        marks = [(e, max(a, start) - start, min(b, end) - start) for e, a, b in unit.marks if a < end and b > start]
        out.append(_Unit([w], marks))
        start = end + 1
    return out


# ---- drawing ------------------------------------------------------------------------------

def _stroke(draw: ImageDraw.ImageDraw, pts: list[tuple[float, float]], width: int) -> list[int]:
    draw.line(pts, fill=255, width=width, joint="curve")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    r = width / 2
    return [math.floor(min(xs) - r), math.floor(min(ys) - r), math.ceil(max(xs) + r), math.ceil(max(ys) + r)]


def _wavy(x0: float, x1: float, y: float, rng: random.Random, amp: float = 2.0) -> list[tuple[float, float]]:
    n = max(4, int((x1 - x0) / 40))
    tilt = rng.uniform(-3, 3)
    phase = rng.uniform(0, 6.28)
    return [(x0 + (x1 - x0) * i / n, y + tilt * i / n + amp * math.sin(phase + i * 0.9)) for i in range(n + 1)]


def _red_mark(draw: ImageDraw.ImageDraw, kind: str, box: tuple[float, float, float, float],
              baseline: float, xh: float, rng: random.Random) -> list[int]:
    x0, _, x1, _ = box
    if kind == "underline":
        return _stroke(draw, _wavy(x0 - 4, x1 + 6, baseline + 9, rng), 4)
    if kind == "strike":
        return _stroke(draw, _wavy(x0 - 6, x1 + 6, baseline - xh * 0.55, rng, amp=1.2), 4)
    # circle: a hand-drawn ellipse whose end overshoots its start
    cx, cy = (x0 + x1) / 2, baseline - xh * 0.6
    rx, ry = (x1 - x0) / 2 + 18, xh * 1.25 + 6
    start = rng.uniform(0, 2 * math.pi)
    pts = []
    for i in range(49):
        t = start + 2.15 * math.pi * i / 48
        wob = 1 + 0.04 * math.sin(3 * t + start)
        pts.append((cx + rx * wob * math.cos(t), cy + ry * wob * math.sin(t) + i * 0.15))
    return _stroke(draw, pts, 4)


def render_student(exam: Exam, student: Student, seed: str) -> list[Page]:
    """The student's handwritten pages, corrected in red."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(list(seed.encode()))
    font = load_font(student.font)
    tfont = load_font(TEACHER_FONT, 1.25)
    xh = FONTS[student.font][1]
    space = font.getlength(" ") * 1.15 + 8
    plan = _plan(exam, student, font, space)
    header = f"{student.name}   {exam.date}"
    plan.insert(0, _PlannedLine([_Unit(header.split(), [])], heading=True))
    slots = (BOTTOM - TOP) // LINE_STEP

    pages: list[Page] = []
    margined: set[int] = set()  # errors whose margin note is written (once, by their first line)
    pos = 0
    while pos < len(plan):
        page = Page(Image.new("L", (1, 1)))
        ink = Image.new("L", (PAGE_W, PAGE_H), 0)
        red = Image.new("L", (PAGE_W, PAGE_H), 0)
        dink, dred = ImageDraw.Draw(ink), ImageDraw.Draw(red)
        slot = 0
        drift = rng.uniform(-0.004, 0.004)  # the hand's slope on this page
        while pos < len(plan) and slot < slots:
            pl = plan[pos]
            if pl.gap_before and slot > 0:
                slot += 1
                if slot >= slots:
                    break
            base_y = TOP + slot * LINE_STEP - 6 + rng.uniform(-2, 2)
            if student.paper == "plain":
                base_y += 5 * math.sin(slot * 0.7 + len(pages))
            x = TEXT_X0 + (rng.uniform(-4, 8) if not pl.heading else rng.uniform(0, 20))
            words: list[Word] = []
            pending: dict[int, list] = {}  # id(error) -> [error, x0, x1, [marked words]]
            for u in pl.units:
                placed: list[tuple[int, str, float]] = []  # char start in unit, word, x
                for w in u.words:
                    placed.append((sum(len(p[1]) + 1 for p in placed), w, x))
                    dy = drift * (x - TEXT_X0) + rng.uniform(-1.8, 1.8)
                    y = base_y + dy
                    dink.text((x, y), w, font=font, fill=255, anchor="ls")
                    words.append(Word(w, x, y, tuple(round(v) for v in dink.textbbox((x, y), w, font=font, anchor="ls"))))
                    x += font.getlength(w) + space * rng.uniform(0.85, 1.15)
                for e, a, b in u.marks:
                    mx0, mx1 = _char_x(font, placed, a), _char_x(font, placed, b)
                    seg = pending.setdefault(id(e), [e, mx0, mx1, []])
                    seg[1], seg[2] = min(seg[1], mx0), max(seg[2], mx1)
                    seg[3].append(" ".join(u.words)[a:b])
            line = Line(" ".join(w.text for w in words), words, slot)
            page.lines.append(line)
            li = len(page.lines) - 1
            margin_texts = []
            for e, mx0, mx1, parts in pending.values():
                by = base_y + drift * ((mx0 + mx1) / 2 - TEXT_X0)
                box = _red_mark(dred, e.mark, (mx0, 0, mx1, 0), by, xh, rng)
                text = " ".join(parts)
                page.marks.append(Mark(e.mark, box, text, li, None if text == e.quote else e.quote))
                if e.margin_text() and id(e) not in margined:
                    margined.add(id(e))
                    margin_texts.append(e.margin_text())
            mx = MARGIN_LINE_X + 30 + rng.uniform(0, 15)
            row = 0
            for t in margin_texts + pl.margin:
                y = base_y + rng.uniform(-3, 3)
                if mx + tfont.getlength(t) > PAGE_W:  # it would leave the page: a second row, below
                    row += 1
                    mx = MARGIN_LINE_X + 30
                y += row * LINE_STEP * 0.9  # a task total ends its task: the next slot is a gap
                dred.text((mx, y), t, font=tfont, fill=255, anchor="ls")
                box = [round(v) for v in dred.textbbox((mx, y), t, font=tfont, anchor="ls")]
                page.marks.append(Mark("margin", box, t, li))
                mx = box[2] + 28
            slot += 1
            pos += 1
        if not pages:  # the total, top right of the first page
            t = f"{fmt(total_points(exam, student))}/{fmt(exam.max_points)}"
            y = TOP - LINE_STEP - 20
            dred.text((MARGIN_LINE_X + 40, y), t, font=tfont, fill=255, anchor="ls")
            page.marks.append(Mark("margin", [round(v) for v in dred.textbbox((MARGIN_LINE_X + 40, y), t, font=tfont, anchor="ls")], t))
        page.image = Image.fromarray(_paint(student, ink, red, nrng, len(pages)))
        pages.append(page)
    return pages


def _char_x(font: ImageFont.FreeTypeFont, placed: list[tuple[int, str, float]], char: int) -> float:
    """x of character ``char`` of a unit, from where its words were actually drawn."""
    start, word, x = max((p for p in placed if p[0] <= char), key=lambda p: p[0])
    return x + font.getlength(word[:char - start])


def _paint(student: Student, ink: Image.Image, red: Image.Image, nrng: np.random.Generator, n: int) -> np.ndarray:
    img = paper(student.paper, nrng)
    if student.paper == "lined":
        rule = Image.new("L", (PAGE_W, PAGE_H), 0)
        d = ImageDraw.Draw(rule)
        for s in range((BOTTOM - TOP) // LINE_STEP + 1):
            d.line([(60, TOP + s * LINE_STEP), (PAGE_W - 60, TOP + s * LINE_STEP)], fill=255, width=2)
        d.line([(MARGIN_LINE_X, 120), (MARGIN_LINE_X, PAGE_H - 100)], fill=255, width=2)
        d.line([(TEXT_X0 - 30, 120), (TEXT_X0 - 30, PAGE_H - 100)], fill=255, width=2)
        img = _composite(img, rule, (150, 165, 190), 0.55, nrng)
    img = _composite(img, ink, INKS[student.ink], 0.95, nrng)
    img = _composite(img, red, RED, 0.9, nrng)
    return np.clip(img, 0, 255).astype(np.uint8)


def render_printed(text: str, seed: str) -> tuple[list[Image.Image], list[list[str]]]:
    """A printed task sheet as a slightly grey 200-DPI scan; returns pages and their lines."""
    rng = np.random.default_rng(list(seed.encode()))
    body = ImageFont.truetype(SERIF, 31)
    bold = ImageFont.truetype(SERIF_BOLD, 33)
    x0, x1, step = 180, PAGE_W - 180, 46
    lines: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for block in text.split("\n\n"):
        for raw in block.split("\n"):
            f = bold if raw.startswith(("#", "Aufgabe", "M1", "Material")) else body
            raw = raw.lstrip("# ")
            cur = ""
            for w in raw.split():
                if cur and f.getlength(cur + " " + w) > x1 - x0:
                    lines.append((cur, f))
                    cur = w
                else:
                    cur = f"{cur} {w}".strip()
            lines.append((cur, f))
        lines.append(("", body))
    pages, texts = [], []
    per_page = (PAGE_H - 300) // step
    for start in range(0, len(lines), per_page):
        chunk = lines[start:start + per_page]
        mask = Image.new("L", (PAGE_W, PAGE_H), 0)
        d = ImageDraw.Draw(mask)
        for i, (t, f) in enumerate(chunk):
            d.text((x0, 180 + i * step), t, font=f, fill=255, anchor="ls")
        img = np.full((PAGE_H, PAGE_W, 3), 244, np.float32)
        img = _composite(img, mask, (30, 30, 30), 0.97, rng)
        page = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).rotate(
            0.35, resample=Image.BICUBIC, fillcolor=(244, 244, 244))
        pages.append(page)
        texts.append([t for t, _ in chunk if t])
    return pages, texts
