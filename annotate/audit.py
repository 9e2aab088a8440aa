"""The audit: which Fehleranalyse texts are fit to train on, and what is wrong with the others.

Teachers do the arithmetic by hand, so real data holds sums that do not add up, percents that do
not match the points and grades that contradict the scale. A model trained on them learns the
contradictions. Each record gets its problems, each with a stable
code; ``error`` problems make it unfit for training. Two warnings say where the parser read more
than was written: ``bracket-missing`` (a task heading's bracket never closed) and
``tasks-unlisted`` (tasks assumed left out for full marks, added as ``Übrige Aufgaben``). The JSON
form (:meth:`AuditRecord.to_json`) is the ``annotate check --json`` contract (docs/cli-reference.md). Reading files lives in
:mod:`annotate.sources`, the grade-threshold fit in :mod:`annotate.infer`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from annotate.model import Analysis, Rounding, Task, computed_points, fmt_number, percent, task_points
from annotate.parse import AnalysisParseError, ParseResult, Stated, parse_text
from annotate.scales import GradeScale, get_scale
from examkit.models import STOP_MARKER

Severity = Literal["error", "warning"]

SEVERITY: dict[str, Severity] = {
    "missing-assistant": "error", "not-parsed": "error", "heading": "warning", "total-missing": "error",
    "total-mismatch": "error", "task-mismatch": "error", "deduction-mismatch": "error",
    "deduction-unquantified": "warning", "percent-mismatch": "error", "grade-mismatch": "warning",
    "stop-marker-missing": "warning", "quote-not-found": "warning", "too-long": "error",
    "bracket-missing": "warning", "tasks-unlisted": "warning", "analysis-empty": "error",
    "red-total-mismatch": "warning",
}


#: Every audit message in English (the command line), by key: the code, or ``code/variant`` where a
#: code has several. ``annotate/review/german.py`` says the same keys in German for the review page.
#: ``{task}`` is a task path (labels joined by ``›``); numbers are written the German way (``1,5``).
MESSAGES: dict[str, str] = {
    "missing-assistant": "the record has no assistant answer (or an empty completion)",
    "not-parsed": "{reason}",
    "heading": "the text does not start with `Fehleranalyse`",
    "total-missing": "no `Insgesamt` summary with points (`Punkte: 20 von 24`)",
    "total-mismatch": "stated {points} von {max}, but the tasks add up to {computed_points} von {computed_max}",
    "task-mismatch/max": "{task}: sub-task maxima add up to {sub_max}, not {max}",
    "task-mismatch/points": "{task}: sub-task points add up to {computed}, not the stated {points}",
    "deduction-mismatch/parent": "{task}: {lost} points are deducted on the task itself, but its points are the "
                                 "sum of its sub-tasks; put the lines under a sub-task",
    "deduction-mismatch": "{task}: {points} von {max} means {lost} lost, but the deductions add up to {deducted}",
    "deduction-unquantified": "{task}: {unexplained} of the {lost} points lost are only explained by lines "
                              "without a number",
    "percent-mismatch": "stated {percent}%, but {points}/{max} is {exact}%",
    "grade-mismatch": "stated grade {grade}, but {computed}% is {expected} on the {scale} scale",
    "stop-marker-missing": "the stop marker '{marker}' is missing",
    "quote-not-found": "{task}: \"{quote}\" is not in the student's answer",
    "too-long": "{tokens} tokens, more than the limit of {limit}",
    "bracket-missing": "line {line}: the bracket in '{fragment}' is not closed; read as `{read_as}`",
    "tasks-unlisted": "tasks worth {points} points are not listed; assumed full marks (added as `Übrige Aufgaben`)",
    "analysis-empty": "the analysis has no task and no points: it is empty, not an analysis",
    "red-total-mismatch": "the teacher's red ink on the scan says {paper}, the analysis adds up to {computed}",
    "red-total-mismatch/grade": "the teacher's red ink on the scan gives the grade {paper}, the analysis {computed}",
}

Arg = str | int | float | tuple[str, ...]


def fill(template: str, args: dict[str, Arg], *, task: Callable[[tuple[str, ...]], str]) -> str:
    """``template`` with its values: numbers the German way, task paths through ``task``."""
    shown = {k: task(v) if isinstance(v, tuple) else fmt_number(v) if isinstance(v, int | float) else v
             for k, v in args.items()}
    return template.format(**shown)


class Problem(BaseModel):
    """One finding: ``code`` and ``severity`` are the contract (docs/cli-reference.md), ``message`` is English;
    ``key`` and ``args`` let other front ends say it in their words (not part of the JSON)."""

    code: str
    severity: Severity
    message: str
    key: str = Field("", exclude=True)
    args: dict[str, Arg] = Field(default_factory=dict, exclude=True)


def problem(key: str, **args: Arg) -> Problem:
    """The problem ``key`` (a code, or ``code/variant``) with its values filled into the message."""
    code = key.split("/")[0]
    message = fill(MESSAGES[key], args, task=" › ".join)
    return Problem(code=code, severity=SEVERITY[code], message=message, key=key, args=args)


def _json_number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else value


class AuditRecord(BaseModel):
    """One audited record: where it came from, what it states, what its structure implies."""

    source: str
    record: int
    parsed: bool
    stated: Stated = Stated()
    computed: Stated = Stated()
    tasks: list[dict[str, Any]] = []
    problems: list[Problem] = []
    analysis: Analysis | None = None

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        """The object ``annotate check --json`` prints for this record (docs/cli-reference.md)."""

        def numbers(s: Stated) -> dict[str, Any]:
            return {"points": _json_number(s.points), "max": _json_number(s.max),
                    "percent": _json_number(s.percent), "grade": s.grade}

        return {
            "source": self.source,
            "record": self.record,
            "parsed": self.parsed,
            "stated": numbers(self.stated),
            "computed": numbers(self.computed),
            "tasks": self.tasks,
            "problems": [p.model_dump() for p in self.problems],
        }


def _task_json(task: Task) -> dict[str, Any]:
    return {
        "label": task.label,
        "points": _json_number(task_points(task)),
        "max": _json_number(task.max),
        "stated_points": _json_number(task.points),
        "deductions": _json_number(sum(e.deduction or 0 for e in task.errors)),
        "errors": len(task.errors),
        "tasks": [_task_json(t) for t in task.tasks],
    }


# -- the checks ---------------------------------------------------------------------------------------
def _check_task(task: Task, parents: tuple[str, ...], out: list[Problem]) -> None:
    where = (*parents, task.label)
    if task.tasks:
        sub_max = sum(t.max for t in task.tasks)
        if sub_max != task.max:
            out.append(problem("task-mismatch/max", task=where, sub_max=sub_max, max=task.max))
        if task.points is not None and task.points != computed_points(task):
            out.append(problem("task-mismatch/points", task=where, computed=computed_points(task), points=task.points))
        lost_here = sum(e.deduction or 0 for e in task.errors)
        if lost_here:
            out.append(problem("deduction-mismatch/parent", task=where, lost=lost_here))
        for sub in task.tasks:
            _check_task(sub, where, out)
        return
    if task.points is None:
        return
    lost = task.max - task.points
    quantified = sum(e.deduction or 0 for e in task.errors)
    unquantified = sum(1 for e in task.errors if e.deduction is None)
    if quantified == lost:
        return
    if unquantified and quantified < lost:
        out.append(problem("deduction-unquantified", task=where, unexplained=lost - quantified, lost=lost))
    else:
        out.append(problem("deduction-mismatch", task=where, points=task.points, max=task.max, lost=lost,
                           deducted=quantified))


def _normalize_quote(text: str) -> str:
    """Lower case, single spaces, no quote marks, no hyphenation at line ends: how OCR text differs."""
    text = text.replace("-\n", "")
    for mark in "„“”«»\"'":
        if mark in text:
            text = text.replace(mark, "")
    return " ".join(text.lower().split())


class QuoteIndex:
    """The student's text prepared once, so that each of a record's quotes is a cheap look-up."""

    def __init__(self, student_text: str) -> None:
        self.haystack = _normalize_quote(student_text)

    def __contains__(self, quote: str) -> bool:
        needle = _normalize_quote(quote)
        if not needle or needle in self.haystack:
            return True
        cutoff = 85 if len(needle) >= 12 else 92
        return fuzz.partial_ratio(needle, self.haystack, score_cutoff=cutoff) > 0


def quote_found(quote: str, student_text: str) -> bool:
    """Whether the student wrote ``quote``, tolerating OCR slips (fuzzy partial match)."""
    return quote in QuoteIndex(student_text)


def _quotes(tasks: list[Task], parents: tuple[str, ...] = ()):
    for task in tasks:
        where = (*parents, task.label)
        for e in task.errors:
            if e.quote:
                yield where, e.quote
        yield from _quotes(task.tasks, where)


def _check_summary(result: ParseResult, computed: Stated, scale: GradeScale, rounding: Rounding, out: list[Problem]) -> None:
    stated = result.stated
    if not result.has_summary:
        out.append(problem("total-missing"))
        return
    if stated.points != computed.points or stated.max != computed.max:
        out.append(problem("total-mismatch", points=stated.points, max=stated.max,  # type: ignore[arg-type]
                           computed_points=computed.points, computed_max=computed.max))  # type: ignore[arg-type]
    points, maximum = stated.points, stated.max
    if stated.percent is not None and maximum:
        exact = Fraction(100) * Fraction(points) / Fraction(maximum)  # type: ignore[arg-type]
        allowed = {math.floor(exact), math.floor(exact + Fraction(1, 2))}
        if stated.percent not in allowed:
            out.append(problem("percent-mismatch", percent=stated.percent, points=points, max=maximum,  # type: ignore[arg-type]
                               exact=round(float(exact), 1)))
    if stated.grade is not None and maximum:
        pct = percent(points, maximum, rounding)  # type: ignore[arg-type]
        if not scale.matches(stated.grade, pct):
            out.append(problem("grade-mismatch", grade=stated.grade, computed=pct, expected=str(scale.grade_for(pct)),
                               scale=scale.name))


def _check_paper(paper: Stated, stated: Stated, computed: Stated) -> list[Problem]:
    """The red total and grade on the scan against the analysis (its stated numbers where it
    states them, else what its tasks add up to)."""
    out = []
    points = stated.points if stated.points is not None else computed.points
    maximum = stated.max if stated.max is not None else computed.max
    if paper.points is not None and (paper.points, paper.max) != (points, maximum):
        out.append(problem("red-total-mismatch", paper=f"{fmt_number(paper.points)}/{fmt_number(paper.max or 0)}",
                           computed=f"{fmt_number(points or 0)}/{fmt_number(maximum or 0)}"))
    grade = stated.grade or computed.grade
    if paper.grade is not None and grade is not None and paper.grade.replace(" ", "") != grade.replace(" ", ""):
        out.append(problem("red-total-mismatch/grade", paper=paper.grade, computed=grade))
    return out


def audit_text(
    text: str | None,
    *,
    student_text: str | None = None,
    scale: GradeScale | None = None,
    rounding: Rounding = "floor",
    stop_marker: str | None = STOP_MARKER,
    source: str = "-",
    record: int = 1,
    max_tokens: int | None = None,
    count_tokens: Callable[[str], int] | None = None,
    record_text: str | None = None,
    on_paper: Stated | None = None,
) -> AuditRecord:
    """Audit one Fehleranalyse; ``text=None`` is a training record without an assistant answer.

    ``student_text`` enables ``quote-not-found``; ``max_tokens`` with ``count_tokens`` enables
    ``too-long`` (counted over ``record_text``, the whole training record, else ``text``);
    ``on_paper`` (the total and grade the teacher wrote in red on the scan) ``red-total-mismatch``.
    """
    scale = scale or get_scale("oberstufe")
    problems: list[Problem] = []
    if max_tokens is not None and count_tokens is not None:
        tokens = count_tokens(record_text if record_text is not None else (text or ""))
        if tokens > max_tokens:
            problems.append(problem("too-long", tokens=tokens, limit=max_tokens))
    if text is None or not text.strip():
        problems.insert(0, problem("missing-assistant"))
        return AuditRecord(source=source, record=record, parsed=False, problems=problems)
    try:
        result = parse_text(text, stop_marker=stop_marker)
    except AnalysisParseError as exc:
        problems.insert(0, problem("not-parsed", reason=exc.message))
        return AuditRecord(source=source, record=record, parsed=False, problems=problems)
    analysis = result.analysis
    totals = analysis.totals(scale, rounding)
    computed = Stated(points=totals.points, max=totals.max, percent=totals.percent, grade=totals.grade)
    checks: list[Problem] = []
    if not analysis.tasks and not analysis.extras:
        checks.append(problem("analysis-empty"))
    elif on_paper is not None:
        checks += _check_paper(on_paper, result.stated, computed)
    if not result.heading_ok:
        checks.append(problem("heading"))
    checks += [problem("bracket-missing", line=r.line, fragment=r.fragment, read_as=r.read_as) for r in result.repairs]
    if result.unlisted is not None:
        checks.append(problem("tasks-unlisted", points=result.unlisted))
    _check_summary(result, computed, scale, rounding, checks)
    for task in analysis.tasks:
        _check_task(task, (), checks)
    if stop_marker and not result.stop_marker_found:
        checks.append(problem("stop-marker-missing", marker=stop_marker))
    if student_text is not None:
        index = QuoteIndex(student_text)
        for where, quote in _quotes(analysis.tasks):
            if quote not in index:
                checks.append(problem("quote-not-found", task=where, quote=quote))
    return AuditRecord(source=source, record=record, parsed=True, stated=result.stated, computed=computed,
                       tasks=[_task_json(t) for t in analysis.tasks], problems=checks + problems, analysis=analysis)

