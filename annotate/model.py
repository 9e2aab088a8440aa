"""The Fehleranalyse as data: tasks, error lines, extras, and the numbers computed from them.

The seed project typed the arithmetic by hand and real teacher texts show sums that do not add
up. Here the numbers are computed from the structure (README.md, "Writing
analyses"), so a rendered analysis is consistent by construction and an audit can compare what a
teacher *stated* with what the structure *implies*.

Two strictness levels: sheets a person writes are validated strictly (half points, no negative
deduction, deductions within the maximum), each problem named by its field path such as
``tasks[2].errors[0].deduction``. Texts read by the parser are validated with
``context={"lenient": True}``: they may be inconsistent, and saying how is the audit's job.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from examkit.errors import UserInputError
from examkit.validation import first_problem

if TYPE_CHECKING:
    from annotate.scales import GradeScale

Rounding = Literal["floor", "round"]

#: The bounds of a Fehleranalyse, far beyond any real exam: every number a sheet or text states is
#: at most ``MAX_POINTS`` (so sums and percentages stay exact and finite), and sub-tasks go at most
#: ``MAX_DEPTH`` levels deep (so every walk over the tasks stays shallow). The parser, the sheet
#: loader and :func:`analysis_from_data` all refuse more with these numbers.
MAX_POINTS = 10_000
MAX_DEPTH = 12
#: Containers a sheet's data may nest (analysis → tasks → task, twice per level, → errors → error),
#: checked before validation, which recurses per level.
MAX_NESTING = 2 * MAX_DEPTH + 3
_TOO_DEEP = "nested too deeply: sub-tasks go at most {max_depth} levels deep"
TOO_DEEP = _TOO_DEEP.format(max_depth=MAX_DEPTH)


def _lenient(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("lenient"))


def invalid(kind: str, template: str, **ctx: str) -> PydanticCustomError:
    """A validation error with a stable ``kind`` and its values, so that the review page can say it
    in German (``annotate/review/german.py``) while the command line keeps the English ``template``."""
    return PydanticCustomError(kind, template, ctx)


def _too_deep() -> PydanticCustomError:
    return invalid("too_deep", _TOO_DEEP, max_depth=str(MAX_DEPTH))


def _check_half(value: float | None, info: ValidationInfo, what: str) -> float | None:
    if value is None:
        return value
    if not math.isfinite(value):
        raise invalid("not_finite", "{what} must be a number (got {value})", what=what, value=str(value))
    if _lenient(info):
        return value
    if value < 0:
        raise invalid("negative", "{what} must not be negative (got {value})", what=what, value=fmt_number(value))
    if (value * 2) != int(value * 2):
        raise invalid("half_points", "{what} must be a multiple of 0.5 (got {value})", what=what, value=str(value))
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorLine(_Strict):
    """One mistake: the student's words (optional), the teacher's comment, the points it cost.

    ``deduction=None`` is an *unquantified* line (a teacher wrote no number); ``0`` is "noted,
    no points lost" and renders as ``(kein Punktabzug)``.
    """

    quote: str | None = Field(None, description="the student's words, verbatim")
    comment: str = Field("", description="explanation or question")
    deduction: float | None = Field(None, le=MAX_POINTS, description="points lost; 0 = none; null = not stated")

    @field_validator("deduction")
    @classmethod
    def _half_points(cls, value: float | None, info: ValidationInfo) -> float | None:
        return _check_half(value, info, "a deduction")


class Task(_Strict):
    """A task (``Aufgabe 2``, ``A``, ``Paar 3``): a maximum and either sub-tasks or error lines."""

    label: str
    max: float = Field(le=MAX_POINTS, description="the most points this task gives")
    points: float | None = Field(None, le=MAX_POINTS, description="explicit points; null = computed")
    errors: list[ErrorLine] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list, description="sub-tasks, any depth")

    @field_validator("label", mode="before")
    @classmethod
    def _label_text(cls, value: Any) -> Any:
        # YAML reads `label: 1` as a number; a label is always text.
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    @field_validator("max")
    @classmethod
    def _max_half(cls, value: float, info: ValidationInfo) -> float:
        return _check_half(value, info, "max")  # type: ignore[return-value]

    @field_validator("points")
    @classmethod
    def _points_half(cls, value: float | None, info: ValidationInfo) -> float | None:
        return _check_half(value, info, "points")

    @model_validator(mode="after")
    def _within_max(self, info: ValidationInfo) -> Task:
        if _lenient(info):
            return self
        lost = sum(e.deduction or 0 for e in self.errors)
        if lost > self.max:
            raise invalid("deductions_over_max", "deductions of '{label}' add up to {lost}, more than its max {max}",
                          label=self.label, lost=fmt_number(lost), max=fmt_number(self.max))
        if self.points is not None and self.points > self.max:
            raise _over_max(self.label, self.points, self.max)
        if self.tasks and self.errors:
            raise invalid("tasks_and_errors", "'{label}' has both sub-tasks and error lines: put each error line "
                          "under its sub-task", label=self.label)
        if self.tasks:
            sub_max = sum(t.max for t in self.tasks)
            if sub_max != self.max:
                raise invalid("sub_max", "the sub-tasks of '{label}' have {sub_max} points at most, but its max is {max}",
                              label=self.label, sub_max=fmt_number(sub_max), max=fmt_number(self.max))
        return self


class Extra(_Strict):
    """An item outside the tasks, e.g. ``Form: 1 von 2 Punkte``."""

    label: str
    points: float = Field(le=MAX_POINTS)
    max: float = Field(le=MAX_POINTS)

    @field_validator("points", "max")
    @classmethod
    def _half(cls, value: float, info: ValidationInfo) -> float:
        return _check_half(value, info, "points")  # type: ignore[return-value]

    @model_validator(mode="after")
    def _within_max(self, info: ValidationInfo) -> Extra:
        if not _lenient(info) and self.points > self.max:
            raise _over_max(self.label, self.points, self.max)
        return self


def _over_max(label: str, points: float, maximum: float) -> PydanticCustomError:
    return invalid("points_over_max", "points {points} of '{label}' exceed its max {max}",
                   label=label, points=fmt_number(points), max=fmt_number(maximum))


class Totals(BaseModel):
    """What the ``Insgesamt`` block says: points, maximum, percent and grade."""

    points: float
    max: float
    percent: int
    grade: str | None


class Analysis(_Strict):
    """One student's Fehleranalyse."""

    title: str | None = None
    tasks: list[Task] = Field(default_factory=list)
    extras: list[Extra] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_too_deep(self) -> Analysis:
        level, tasks = 0, self.tasks
        while tasks:
            level += 1
            if level > MAX_DEPTH:
                raise _too_deep()
            tasks = [sub for task in tasks for sub in task.tasks]
        return self

    def points(self) -> float:
        return sum(task_points(t) for t in self.tasks) + sum(e.points for e in self.extras)

    def max_points(self) -> float:
        return sum(t.max for t in self.tasks) + sum(e.max for e in self.extras)

    def totals(self, scale: GradeScale | None = None, rounding: Rounding = "floor") -> Totals:
        """Σ over top-level tasks and extras, the percent (floor by default) and the scale's grade."""
        points, maximum = self.points(), self.max_points()
        pct = percent(points, maximum, rounding)
        return Totals(points=points, max=maximum, percent=pct, grade=scale.grade_for(pct) if scale else None)

    def normalized(self) -> Analysis:
        """The same analysis without explicit points that merely repeat the computed ones."""
        return Analysis(title=self.title, tasks=[_drop_redundant(t) for t in self.tasks], extras=list(self.extras))


def task_points(task: Task) -> float:
    """Explicit points if given, else the points the structure implies (:func:`computed_points`)."""
    return task.points if task.points is not None else computed_points(task)


def computed_points(task: Task) -> float:
    """The points the structure implies, ignoring an explicit value on this task: Σ sub-task
    points; else max − Σ quantified deductions. The one statement of the rule in Python."""
    if task.tasks:
        return sum(task_points(t) for t in task.tasks)
    return task.max - sum(e.deduction or 0 for e in task.errors)


def _drop_redundant(task: Task) -> Task:
    subs = [_drop_redundant(t) for t in task.tasks]
    copy = task.model_copy(update={"tasks": subs})
    if copy.points is not None and copy.points == computed_points(copy):
        copy = copy.model_copy(update={"points": None})
    return copy


def percent(points: float, maximum: float, rounding: Rounding = "floor") -> int:
    """100·points/max, truncated (the seed: 18/21 → 85) or rounded half up; exact, no float noise."""
    if maximum <= 0:
        return 0
    value = Fraction(100) * Fraction(points) / Fraction(maximum)
    return math.floor(value) if rounding == "floor" else math.floor(value + Fraction(1, 2))


def fmt_number(value: float) -> str:
    """German number: ``5``, ``1,5``, ``0,25`` (whole numbers without decimals)."""
    if value == int(value):
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('tasks', 2, 'errors', 0, 'deduction')`` → ``tasks[2].errors[0].deduction``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def validation_message(exc: ValidationError) -> str:
    """The first problem of a validation error as ``path: reason`` (plus how many more)."""
    problem = first_problem(exc, unknown="unknown key (allowed: see `examkit annotate schema`)")
    text = f"{field_path(problem.loc)}: {problem.reason}" if problem.loc else problem.reason
    return text + problem.suffix()


class SheetError(UserInputError):
    """A sheet that failed strict validation. The message names the first field path (English, for
    the command line); ``problems`` are all of them as pydantic reports them (``loc``, ``type``,
    ``ctx``, ``input``), for callers that name fields their own way."""

    def __init__(self, exc: ValidationError) -> None:
        super().__init__(validation_message(exc))
        self.problems: list[dict[str, Any]] = [dict(p) for p in exc.errors()]


def nested_deeper(data: Any, limit: int = MAX_NESTING) -> bool:
    """Whether lists and mappings nest more than ``limit`` deep in ``data`` (checked without recursion)."""
    todo = [(data, 1)]
    while todo:
        value, depth = todo.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        todo.extend((child, depth + 1) for child in children)
    return False


def analysis_from_data(data: Any) -> Analysis:
    """Validate a sheet strictly; raises :class:`SheetError` naming the field path."""
    if not isinstance(data, dict):
        raise UserInputError("a sheet must be a mapping with `tasks` (see `examkit annotate schema`)")
    try:
        if nested_deeper(data):  # before validation, which recurses per level
            raise ValidationError.from_exception_data("Analysis", [{"type": _too_deep(), "loc": (), "input": None}])
        return Analysis.model_validate(data)
    except ValidationError as exc:
        raise SheetError(exc) from exc


def sheet_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as a compact sheet (defaults left out, whole numbers as ints) for YAML/JSON."""

    def tidy(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: tidy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [tidy(v) for v in value]
        return int(value) if isinstance(value, float) and value == int(value) else value

    return tidy(analysis.model_dump(exclude_defaults=True))


def sheet_schema() -> dict[str, Any]:
    """The JSON schema of a sheet (what ``examkit annotate schema`` prints)."""
    schema = Analysis.model_json_schema()
    schema["title"] = "Fehleranalyse sheet"
    return schema
