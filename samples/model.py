"""The data behind the sample set: exams, students, their answers and the teacher's grading.

One structure feeds everything the generator writes, so the handwriting, the red marks, the
sheets and the ground truth cannot disagree: a quote is the exact phrase that is underlined on
the page, a ``-1`` in the margin is the deduction in the sheet, ``14/20`` is the sheet's total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MARK_KINDS = ("underline", "strike", "circle")

# Oberstufe scale of fehleranalyse.md: (percent threshold, grade), highest first.
OBERSTUFE = [(95, "1+"), (90, "1"), (85, "1-"), (80, "2+"), (75, "2"), (70, "2-"), (65, "3+"),
             (60, "3"), (55, "3-"), (50, "4+"), (45, "4"), (40, "4-"), (33, "5+"), (27, "5"),
             (20, "5-"), (0, "6")]


@dataclass(frozen=True)
class Error:
    """One line of the analysis; ``mark`` is how the teacher marked ``quote`` on the paper."""

    comment: str
    deduction: float
    quote: str | None = None
    mark: str | None = "underline"
    margin: str | None = None  # margin text beside the mark; default "-<deduction>" when > 0

    def margin_text(self) -> str | None:
        if self.margin is not None:
            return self.margin
        if self.deduction > 0:
            return f"-{fmt(self.deduction)}"
        return None


@dataclass(frozen=True)
class TaskDef:
    """A task of the exam as the task sheet states it."""

    label: str
    max: float
    subtasks: tuple[TaskDef, ...] = ()

    def leaves(self, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], TaskDef]]:
        path = prefix + (self.label,)
        if not self.subtasks:
            return [(path, self)]
        return [leaf for sub in self.subtasks for leaf in sub.leaves(path)]


@dataclass(frozen=True)
class Section:
    """A part of a student's answer: a heading as the student wrote it and the text under it.

    ``task`` is the path of the task it answers, labels joined by ``/`` (``Aufgabe 1/A``).
    Paragraphs in ``text`` are separated by a blank line.
    """

    task: str
    heading: str
    text: str


@dataclass
class Student:
    slug: str  # file stem, e.g. "hoffmann-lina"
    name: str  # as written on the paper
    form: str  # pdf | pdf-photo | images | images-photo | png | jpg | jpg-photo | docx | txt
    sheet: str | None  # yaml | json | loose | None (no analysis beside the test)
    sections: list[Section]
    errors: dict[str, list[Error]] = field(default_factory=dict)  # task path -> errors
    extras: dict[str, float] = field(default_factory=dict)  # extra label -> points given
    font: str = "dkg"
    ink: str = "blue"
    paper: str = "lined"

    def quoted_errors(self) -> list[tuple[str, Error]]:
        return [(path, e) for path, errs in self.errors.items() for e in errs if e.quote]


@dataclass
class Exam:
    name: str
    title: str  # sheet title (upper case, like the seed)
    task_form: str  # pdf | txt | docx
    task_sheet: str  # the task sheet's text: lines, blank line between blocks
    tasks: tuple[TaskDef, ...]
    students: list[Student]
    date: str = ""
    extras: tuple[tuple[str, float], ...] = ()

    @property
    def max_points(self) -> float:
        return sum(t.max for t in self.tasks) + sum(m for _, m in self.extras)


def fmt(x: float) -> str:
    """German number: ``1``, ``1,5``."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}".replace(".", ",")


def _task_points(task: TaskDef, path: tuple[str, ...], student: Student) -> float:
    if task.subtasks:
        return sum(_task_points(sub, path + (sub.label,), student) for sub in task.subtasks)
    lost = sum(e.deduction for e in student.errors.get("/".join(path), []))
    return task.max - lost


def task_points(exam: Exam, student: Student) -> list[float]:
    return [_task_points(t, (t.label,), student) for t in exam.tasks]


def total_points(exam: Exam, student: Student) -> float:
    return sum(task_points(exam, student)) + sum(student.extras.get(lbl, m) for lbl, m in exam.extras)


def percent(points: float, maximum: float) -> int:
    return math.floor(100 * points / maximum)


def grade(pct: int) -> str:
    return next(g for threshold, g in OBERSTUFE if pct >= threshold)


def validate(exam: Exam, student: Student) -> None:
    """Raise ValueError where the grading is inconsistent: unknown tasks, points, quotes."""
    leaves = {"/".join(p): t for top in exam.tasks for p, t in top.leaves()}
    text = "\n".join(s.text for s in student.sections)
    for path, errs in student.errors.items():
        if path not in leaves:
            raise ValueError(f"{student.slug}: errors for unknown task {path!r}")
        lost = sum(e.deduction for e in errs)
        if lost > leaves[path].max:
            raise ValueError(f"{student.slug}: {path} loses {lost} of {leaves[path].max}")
        for e in errs:
            if (e.deduction * 2) % 1:
                raise ValueError(f"{student.slug}: deduction {e.deduction} not a multiple of 0.5")
            if e.quote and e.quote not in " ".join(text.split()):
                raise ValueError(f"{student.slug}: quote not in answer: {e.quote!r}")
            if e.mark and e.mark not in MARK_KINDS:
                raise ValueError(f"{student.slug}: unknown mark {e.mark!r}")
    for label, pts in student.extras.items():
        if label not in dict(exam.extras) or pts > dict(exam.extras)[label]:
            raise ValueError(f"{student.slug}: bad extra {label}={pts}")


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _sheet_task(task: TaskDef, path: tuple[str, ...], student: Student) -> dict:
    out: dict = {"label": task.label, "max": _num(task.max)}
    if task.subtasks:
        out["tasks"] = [_sheet_task(s, path + (s.label,), student) for s in task.subtasks]
        return out
    errs = student.errors.get("/".join(path), [])
    if errs:
        out["errors"] = []
        for e in errs:
            item: dict = {}
            if e.quote:
                item["quote"] = e.quote
            item["comment"] = e.comment
            item["deduction"] = _num(e.deduction)
            out["errors"].append(item)
    return out


def sheet_dict(exam: Exam, student: Student) -> dict:
    """The analysis in the sheet schema of cli.md (YAML and JSON write this)."""
    sheet: dict = {"title": exam.title,
                   "tasks": [_sheet_task(t, (t.label,), student) for t in exam.tasks]}
    if exam.extras:
        sheet["extras"] = [{"label": lbl, "points": _num(student.extras.get(lbl, m)), "max": _num(m)}
                           for lbl, m in exam.extras]
    return sheet
