"""The teacher's red notes placed on the analysis: task points, deductions, the total and grade.

The scan's margin notes (:class:`examkit.models.Mark`, ``kind="margin"``, read by
:mod:`ocr.notes` with their ``note`` kind) are placed by a few rules, each named with the note so
the teacher sees why it went where it did:

* ``total``: the largest ``N/M`` above the writing of the first page or below that of the last;
* ``grade``: a grade near the total;
* ``heading``: a score in the part of the answer that starts with the student's task heading
  (``Aufgabe 2``, ``2)``, ``2a``) is that task's points, wherever in the part the teacher wrote it
  (beside the heading or beside the last line);
* ``order``: without headings, the n-th score is the n-th task's;
* ``underline``: a ``-1`` at the height of an underlined, struck or circled phrase is that
  error's deduction; ``task``: a deduction next to no marked phrase is an error of its task.

:func:`red_ink_draft` turns the placed notes into an :class:`~annotate.model.Analysis`, a draft
for the teacher to confirm; :func:`paper_check` compares what the paper says with an analysis;
:func:`confirmed_notes` are the notes a saved analysis agrees with (OCR ground truth of the
teacher's layer). Public: :func:`red_ink` (a workspace document), :func:`read_document`,
:func:`red_ink_draft`, :func:`paper_check`, :func:`on_paper`, :func:`confirmed_notes`,
:func:`audit_documents` (``annotate check --scans``), :func:`note_lines` (a note corrected,
as the page's teacher text), :class:`RedInk`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from annotate.model import Analysis, fmt_number, task_points
from annotate.parse import Stated
from examkit.models import Line, Mark, PageOCR, TextRevision

if TYPE_CHECKING:
    from annotate.audit import AuditRecord
    from annotate.sheets import Settings
    from examkit.workspace import Workspace

#: The student's task headings: ``Aufgabe 2`` (also misread, ``Aufsabe 2``, ``Auf gabe 2``), ``Aufg. 2:``,
#: ``Nr. 2``, ``Aufgabe II``, ``2)``, ``2a)``, a line that is only ``2`` or ``1B`` (a stray character
#: after it allowed).
_HEADING = (
    re.compile(r"^\s*(\w{2,8}(?: [a-zäöüß]{1,5})?)\.?\s*(\d{1,2}|[IVX]{1,4})(?![\dIVX])"),
    re.compile(r"^\s*()(\d{1,2})\s*[a-zA-Z]?\s*[):]"),
    re.compile(r"^\s*()(\d{1,2})\s*[a-zA-Z]?\S{0,2}\s*$"),
)
_HEADING_WORDS = ("aufgabe", "aufg", "nr")
_SCORE = re.compile(r"^(\d+(?:,5|,0)?)/(\d+)$")
_DEDUCTION = re.compile(r"^([-+])(\d+(?:,5|,0)?)$")
_GRADE = re.compile(r"^(?:Note )?[1-6][+-]?$|^\d{1,2} P\.?$")
#: What the short marks stand for, as an error's comment.
WORD_COMMENTS = {"R": "Rechtschreibung", "Gr": "Grammatik", "A": "Ausdruck", "Z": "Zeichensetzung", "T": "Tempus",
                 "W": "Wortwahl", "Sb": "Satzbau", "St": "Stil", "Bz": "Bezug", "?": "Unklar"}
#: Rules, as the page names them.
RULES_DE = {"total": "Gesamtpunktzahl (oben/unten auf der ersten/letzten Seite)", "grade": "Note neben der Gesamtpunktzahl",
            "heading": "neben der Aufgabe (Überschrift des Schülers)", "order": "Reihenfolge der Aufgaben",
            "underline": "auf Höhe einer Markierung", "task": "in der Aufgabe, ohne Markierung",
            "word": "Randbemerkung neben einer Markierung", "none": "nicht zugeordnet"}


@dataclass
class Note:
    """One red note of the document, where it stands and where it was placed."""

    page: int  #: page number (1-based)
    index: int  #: the mark's index in its page's reading
    mark: Mark
    task: int | None = None  #: index of the top-level task it belongs to
    rule: str = "none"
    quote: str | None = None  #: the marked phrase a deduction or word belongs to

    @property
    def y(self) -> float:
        return (self.mark.bbox[1] + self.mark.bbox[3]) / 2


@dataclass
class RedInk:
    """What the red ink of a document says, placed."""

    notes: list[Note] = field(default_factory=list)
    tasks: list[tuple[str, float, float | None]] = field(default_factory=list)  #: label, max, points read
    total: tuple[float, float] | None = None
    grade: str | None = None

    @property
    def empty(self) -> bool:
        return not self.tasks and self.total is None


def number(text: str) -> float:
    return float(text.replace(",", "."))


def score_of(mark: Mark) -> tuple[float, float] | None:
    found = _SCORE.match(mark.text) if mark.note == "score" else None
    return (number(found[1]), number(found[2])) if found else None


def deduction_of(mark: Mark) -> float | None:
    found = _DEDUCTION.match(mark.text) if mark.note == "deduction" else None
    return number(found[2]) * (1 if found[1] == "-" else -1) if found else None


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
#: Handwritten digits the reader takes for others: a "1" with its upstroke reads as "7".
_LOOKALIKE = {7: 1}


def heading_number(line: Line) -> int | None:
    """The task number a student line starts with, if it is a task heading."""
    for pattern in _HEADING:
        found = pattern.match(line.text)
        if found and (not found[1] or max(fuzz.ratio(found[1].lower(), w) for w in _HEADING_WORDS) >= 75):
            return int(found[2]) if found[2].isdigit() else _ROMAN.get(found[2])
    return None


def _in_sequence(number: int, previous: int | None) -> int:
    """A heading number that breaks the sequence is taken as the number it was likely misread
    from where that continues it: its first digit (``21`` for ``2``, a stroke after it read as a
    1; ``1b)`` read ``16)``), or the digit it looks like (``Aufgabe 7`` first: a handwritten 1)."""
    expected = {1} if previous is None else {previous, previous + 1}
    if number in expected:
        return number
    if number >= 10 and int(str(number)[0]) in expected:
        return int(str(number)[0])
    return _LOOKALIKE[number] if _LOOKALIKE.get(number) in expected else number


def read_document(pages: list[tuple[int, PageOCR]], labels: list[tuple[str, float]] | None = None) -> RedInk:
    """Place the red notes of a document's pages (page number, reading). ``labels``: the exam's
    tasks (label, max) when known, matched to the student's headings by number, else by order."""
    notes = [Note(number, i, m) for number, reading in pages for i, m in enumerate(reading.marks) if m.kind == "margin"]
    result = RedInk(notes=notes)
    if not notes:
        return result
    total = _total(pages, notes)
    if total is not None:
        total.rule = "total"
        result.total = score_of(total.mark)
        grade = _grade_near(notes, total)
        if grade is not None:
            grade.rule, result.grade = "grade", grade.mark.text
    regions = _regions(pages)
    scores = [n for n in notes if n.rule == "none" and score_of(n.mark)]
    numbers = sorted({h for _, _, h in regions})
    if regions:
        for n in scores:
            region = _region_of(regions, n)
            if region is not None:
                n.task, n.rule = _task_index(region, numbers, labels), "heading"
    else:
        for i, n in enumerate(scores):
            n.task, n.rule = i, "order"
    count = max([n.task + 1 for n in scores if n.task is not None], default=0)
    if labels:
        count = max(count, len(labels))
    for t in range(count):
        placed = [n for n in scores if n.task == t]
        read = score_of(placed[0].mark) if placed else None
        label = labels[t][0] if labels and t < len(labels) else f"Aufgabe {numbers[t] if t < len(numbers) else t + 1}"
        maximum = labels[t][1] if labels and t < len(labels) else (read[1] if read else 0.0)
        result.tasks.append((label, maximum, read[0] if read else None))
    for n in scores:  # a second score in one part is not placed: the teacher decides
        if n.task is not None and next(s for s in scores if s.task == n.task) is not n:
            n.task, n.rule = None, "none"
    _place_deductions(pages, notes, regions, numbers, scores, labels)
    return result


def _task_index(heading: int, numbers: list[int], labels: list[tuple[str, float]] | None) -> int:
    """The task a heading number stands for: the exam's task whose label carries that number
    (``Aufgabe 3`` for a student's ``3)``, also when a task was left out), else its rank."""
    for index, (label, _) in enumerate(labels or []):
        if re.search(rf"(?<!\d){heading}(?!\d)", label):
            return index
    return numbers.index(heading)


def _writing(reading: PageOCR) -> tuple[float, float, float] | None:
    """Top and bottom of the student's writing on a page, and its lines' median height."""
    ys = sorted((line.bbox[1], line.bbox[3]) for line in reading.lines if line.layer == "student" and line.words)
    if not ys:
        return None
    heights = sorted(b - a for a, b in ys)
    return ys[0][0], max(b for _, b in ys), heights[len(heights) // 2]


def _total(pages: list[tuple[int, PageOCR]], notes: list[Note]) -> Note | None:
    """The largest N/M above the first page's writing or below the last page's (no task's
    maximum is larger than the whole's)."""
    first, last = pages[0][0], pages[-1][0]
    extent = {number: _writing(reading) for number, reading in pages}
    largest = max((found[1] for n in notes if (found := score_of(n.mark))), default=0.0)
    candidates = []
    for n in notes:
        found = score_of(n.mark)
        span = extent.get(n.page)
        if not found or span is None:
            continue
        top = n.page == first and n.mark.bbox[3] <= span[0] + span[2]
        bottom = n.page == last and n.mark.bbox[1] >= span[1]
        if (top or bottom) and found[1] >= largest:
            candidates.append((found[1], found[0], n))
    return max(candidates, key=lambda c: (c[0], c[1]))[2] if candidates else None


def _grade_near(notes: list[Note], total: Note) -> Note | None:
    x0, y0, x1, y1 = total.mark.bbox
    reach = 3 * (y1 - y0)
    near = [n for n in notes if n is not total and n.page == total.page and n.mark.note == "grade"
            and abs(n.y - total.y) <= reach and n.mark.bbox[0] <= x1 + 4 * (x1 - x0)]
    return min(near, key=lambda n: abs(n.y - total.y)) if near else None


Region = tuple[tuple[int, float], tuple[int, float], int]  #: (page, y) start, (page, y) end, task number


def _regions(pages: list[tuple[int, PageOCR]]) -> list[Region]:
    """The parts of the answer from one task heading to the next (sub-task headings ``1A``, ``1B``
    stay in one part), in page order."""
    starts: list[tuple[int, float, int]] = []
    for number, reading in pages:
        for line in reading.lines:
            found = heading_number(line) if line.layer == "student" else None
            if found is not None:
                found = _in_sequence(found, starts[-1][2] if starts else None)
            if found is not None and (not starts or starts[-1][2] != found):
                starts.append((number, float(line.bbox[1]), found))
    end = (pages[-1][0] + 1, 0.0)
    return [((p, y), (starts[i + 1][0], starts[i + 1][1]) if i + 1 < len(starts) else end, h)
            for i, (p, y, h) in enumerate(starts)]


def _region_of(regions: list[Region], note: Note) -> int | None:
    """The task number of the part a note stands in; a note above the first heading belongs to it."""
    where = (note.page, note.mark.bbox[1])
    for start, end, heading in regions:
        if start <= where < end:
            return heading
    return regions[0][2] if where < regions[0][0] else None


def _place_deductions(pages: list[tuple[int, PageOCR]], notes: list[Note], regions: list[Region],
                      numbers: list[int], scores: list[Note], labels: list[tuple[str, float]] | None) -> None:
    readings = dict(pages)
    for n in notes:
        if n.rule != "none" or (deduction_of(n.mark) is None and n.mark.note != "word"):
            continue
        if regions:
            region = _region_of(regions, n)
            n.task = _task_index(region, numbers, labels) if region is not None else None
        else:  # scores stand beside a task's last line: a note belongs to the next score below it
            below = [s for s in scores if (s.page, s.y) >= (n.page, n.y - 1) and s.task is not None]
            n.task = below[0].task if below else None
        marked = _marked_at(readings[n.page], n)
        if marked is not None:
            n.quote, n.rule = marked.text, "underline" if n.mark.note == "deduction" else "word"
        elif n.mark.note == "deduction" and n.task is not None:
            n.rule = "task"


def _marked_at(reading: PageOCR, note: Note) -> Mark | None:
    """The underline, strike or circle at the note's height (within a line's height)."""
    height = note.mark.bbox[3] - note.mark.bbox[1]
    near = [m for m in reading.marks if m.kind != "margin" and m.text.strip()
            and abs((m.bbox[1] + m.bbox[3]) / 2 - note.y) <= 1.2 * height]
    return min(near, key=lambda m: abs((m.bbox[1] + m.bbox[3]) / 2 - note.y)) if near else None


def red_ink_draft(ink: RedInk, title: str | None = None) -> Analysis | None:
    """The analysis the red ink suggests: tasks with the points written beside them, an error per
    marked phrase with its deduction (a deduction without a phrase: an error without a quote).
    None when the red ink holds no task score."""
    if not any(points is not None for _, _, points in ink.tasks):
        return None
    tasks = []
    for t, (label, maximum, points) in enumerate(ink.tasks):
        errors = []
        for n in ink.notes:
            if n.task != t:
                continue
            lost = deduction_of(n.mark)
            if n.rule in ("underline", "task") and lost is not None and lost >= 0:
                errors.append({"quote": n.quote, "comment": "", "deduction": lost})
            elif n.rule == "word":
                errors.append({"quote": n.quote, "comment": WORD_COMMENTS.get(n.mark.text, n.mark.text), "deduction": 0})
        tasks.append({"label": label, "max": maximum, "points": points, "errors": errors})
    # lenient: what the paper says may not add up; the audit says where
    return Analysis.model_validate({"title": title, "tasks": tasks}, context={"lenient": True})


def paper_check(ink: RedInk, analysis: Analysis | None) -> list[str]:
    """Where the total or grade on the paper disagrees with the task scores read, or with the
    analysis: one German sentence each (the review page shows them beside the total)."""
    out: list[str] = []
    if ink.total is None:
        return out
    points, maximum = ink.total
    shown = f"{fmt_number(points)}/{fmt_number(maximum)}"
    read = [p for _, _, p in ink.tasks]
    if read and all(p is not None for p in read):
        summed, most = sum(read), sum(m for _, m, _ in ink.tasks)  # type: ignore[arg-type]
        if (summed, most) != (points, maximum):
            out.append(f"Auf dem Blatt steht {shown}, die roten Aufgabenpunkte ergeben "
                       f"{fmt_number(summed)}/{fmt_number(most)} — bitte prüfen")
    if analysis is not None and analysis.tasks:
        computed = (analysis.points(), analysis.max_points())
        if computed != (points, maximum):
            out.append(f"Auf dem Blatt steht {shown}, die Aufgaben ergeben "
                       f"{fmt_number(computed[0])}/{fmt_number(computed[1])} — bitte prüfen")
    return out


def red_ink(ws: Workspace, document_id: str) -> RedInk:
    """The red notes of a document's scanned pages, as the teacher corrected them, placed on its
    tasks (the exam's tasks where the exam has a sheet, else the student's headings or the order
    of the notes)."""
    doc = ws.documents.get(document_id)
    if not ws.documents.has_margin_notes(document_id):
        return RedInk(notes=[])
    pages = [(p.number, corrected(r, ws.revisions.latest_text(p.id, "teacher")))
             for p in ws.documents.pages(doc.id) if (r := ws.documents.latest_ocr(p.id)) is not None]
    sheet = ws.revisions.exam_sheet(doc.exam) if doc.exam else None
    labels = [(str(t.get("label", "")), float(t.get("max", 0))) for t in sheet.get("tasks", [])] if sheet else None
    return read_document(pages, labels or None)


def margin_notes(reading: PageOCR) -> list[Mark]:
    """A page's margin notes in reading order: the lines of its teacher text, one per note."""
    return [m for m in reading.marks if m.kind == "margin"]


def corrected(reading: PageOCR, teacher: TextRevision | None) -> PageOCR:
    """The reading with the teacher's corrections of its notes: a saved teacher text with one line
    per note (:func:`correct_note` writes it) replaces the notes' texts; a person's reading is sure."""
    notes = margin_notes(reading)
    lines = teacher.text.split("\n") if teacher is not None else []
    if teacher is None or len(lines) != len(notes):
        return reading
    fixed = dict(zip(map(id, notes), lines, strict=True))
    marks = [m.model_copy(update={"text": fixed[id(m)].strip(), "note": kind_of(fixed[id(m)].strip()), "conf": 100.0})
             if id(m) in fixed and fixed[id(m)].strip() != m.text else m for m in reading.marks]
    return reading.model_copy(update={"marks": marks})


def kind_of(text: str) -> str:
    """What a note a person typed is: ``score``, ``deduction``, ``grade`` or ``word``."""
    if _SCORE.match(text):
        return "score"
    if _DEDUCTION.match(text):
        return "deduction"
    return "grade" if _GRADE.match(text) else "word"


def note_lines(reading: PageOCR, teacher: TextRevision | None, ordinal: int, text: str) -> str:
    """The page's teacher text with note ``ordinal`` (in reading order) read as ``text``."""
    lines = [m.text for m in margin_notes(corrected(reading, teacher))]
    if not 0 <= ordinal < len(lines):
        raise IndexError(ordinal)
    lines[ordinal] = " ".join(text.split())
    return "\n".join(lines)


def on_paper(ink: RedInk) -> Stated | None:
    """The total and grade the teacher wrote in red, for the audit (None: nothing written)."""
    if ink.total is None and ink.grade is None:
        return None
    return Stated(points=ink.total[0] if ink.total else None, max=ink.total[1] if ink.total else None, grade=ink.grade)


def confirmed_notes(ink: RedInk, analysis: Analysis) -> list[Note]:
    """The notes a person's saved analysis agrees with: a task's score equal to that task's points
    and maximum, the total equal to the analysis's, a deduction equal to one of its task's."""
    out = []
    for n in ink.notes:
        score, lost = score_of(n.mark), deduction_of(n.mark)
        task = analysis.tasks[n.task] if n.task is not None and n.task < len(analysis.tasks) else None
        agrees = (n.rule == "total" and score == (analysis.points(), analysis.max_points())) or (
            task is not None and (score == (task_points(task), task.max) if n.rule in ("heading", "order")
                                  else lost is not None and lost in [e.deduction for e in task.errors]))
        if agrees:
            out.append(n)
    return out


def audit_documents(ws: Workspace, settings: Settings) -> list[AuditRecord]:
    """The audit of every saved analysis of the workspace, each against the total and grade in
    red on its scan (``red-total-mismatch``); drafts are left out, they are no analysis yet."""
    from annotate.audit import audit_text

    records = []
    for doc in ws.documents.list():
        revision = ws.revisions.latest_analysis(doc.id) if doc.kind == "student" else None
        if revision is not None:
            records.append(audit_text(revision.text, student_text=ws.revisions.document_text(doc.id),
                                      scale=settings.scale, rounding=settings.rounding,
                                      stop_marker=settings.stop_marker, source=doc.id,
                                      on_paper=on_paper(red_ink(ws, doc.id))))
    return records
