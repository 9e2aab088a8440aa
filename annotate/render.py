"""The analysis as text, through a Jinja2 template.

The default template (``templates/fehleranalyse.txt.j2``) is the spec's canonical layout, byte for
byte; a user's template gets the same context for another layout or language. The numbers in the
text are always computed here, never taken from what someone typed, so what the model learns is
arithmetically right. Lines a teacher left without a number are given the remainder of their
task first (:func:`resolve_unquantified`): canonical output never writes an unquantified line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

from annotate.model import Analysis, ErrorLine, Rounding, Task, fmt_number, task_points
from annotate.scales import GradeScale, get_scale
from examkit.errors import InputFileError
from examkit.models import STOP_MARKER

DEFAULT_TEMPLATE = "fehleranalyse.txt.j2"


def unit(maximum: float) -> str:
    """``Punkt`` for exactly one point, else ``Punkte``."""
    return "Punkt" if maximum == 1 else "Punkte"


def deduction_text(deduction: float) -> str:
    """``(-1 Punkt)``, ``(-0,5 Punkte)``, and ``(kein Punktabzug)`` for 0."""
    if deduction == 0:
        return "(kein Punktabzug)"
    return f"(-{fmt_number(deduction)} {unit(deduction)})"


def error_text(line: ErrorLine) -> str:
    """An error line after its ``- ``: quote, comment, deduction, separated by single spaces."""
    parts = []
    if line.quote is not None:
        parts.append(f'"{line.quote}"')
    if line.comment:
        parts.append(line.comment)
    parts.append(deduction_text(line.deduction or 0))
    return " ".join(parts)


def _spread(remainder: float, count: int) -> list[float]:
    """``remainder`` over ``count`` lines in half points, larger shares first."""
    halves = max(0, int(round(remainder * 2)))
    base, extra = divmod(halves, count)
    return [(base + (1 if i < extra else 0)) / 2 for i in range(count)]


def resolve_unquantified(task: Task) -> Task:
    """Give lines without a number the part of max − points the quantified lines leave open.

    Without explicit points there is nothing to explain, and the lines count 0.
    """
    subs = [resolve_unquantified(t) for t in task.tasks]
    open_lines = [i for i, e in enumerate(task.errors) if e.deduction is None]
    if not open_lines:
        return task.model_copy(update={"tasks": subs})
    remainder = 0.0
    if task.points is not None and not task.tasks:
        remainder = task.max - task.points - sum(e.deduction or 0 for e in task.errors)
    shares = iter(_spread(remainder, len(open_lines)))
    errors = [e if e.deduction is not None else e.model_copy(update={"deduction": next(shares)}) for e in task.errors]
    return task.model_copy(update={"errors": errors, "tasks": subs})


@dataclass
class TaskView:
    """What a template sees of a task: numbers computed, indentation ready."""

    label: str
    points: float
    max: float
    depth: int
    errors: list[ErrorLine]
    tasks: list[TaskView] = field(default_factory=list)

    @property
    def indent(self) -> str:
        return "\t" * self.depth

    @property
    def has_lines(self) -> bool:
        return bool(self.errors or self.tasks)


def _view(task: Task, depth: int) -> TaskView:
    return TaskView(task.label, task_points(task), task.max, depth, task.errors, [_view(t, depth + 1) for t in task.tasks])


@lru_cache(maxsize=8)
def _environment(folder: str | None) -> jinja2.Environment:
    loader: jinja2.BaseLoader
    if folder is None:
        loader = jinja2.FunctionLoader(lambda name: resources.files("annotate.templates").joinpath(name).read_text("utf-8"))
    else:
        loader = jinja2.FileSystemLoader(folder)
    env = jinja2.Environment(
        loader=loader, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined, autoescape=False,
    )
    env.filters.update(num=fmt_number, unit=unit, deduction=deduction_text, error_text=error_text)
    return env


def _template(template: Path | None) -> jinja2.Template:
    if template is None:
        return _environment(None).get_template(DEFAULT_TEMPLATE)
    path = Path(template)
    if not path.is_file():
        raise InputFileError(path, "template not found")
    try:
        return _environment(str(path.parent.resolve())).get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise InputFileError(path, f"template error: {exc.message}", line=exc.lineno) from exc


def render(
    analysis: Analysis,
    *,
    scale: GradeScale | None = None,
    rounding: Rounding = "floor",
    stop_marker: str | None = STOP_MARKER,
    template: Path | None = None,
    final_newline: bool = True,
) -> str:
    """The analysis as text; ``final_newline=False`` for training records (they end at the marker)."""
    scale = scale or get_scale("oberstufe")
    resolved = analysis.model_copy(update={"tasks": [resolve_unquantified(t) for t in analysis.tasks]})
    context = {
        "analysis": resolved,
        "title": resolved.title,
        "tasks": [_view(t, 1) for t in resolved.tasks],
        "extras": resolved.extras,
        "totals": resolved.totals(scale, rounding),
        "scale": scale,
        "stop_marker": stop_marker or "",
    }
    try:
        text = _template(template).render(context)
    except jinja2.TemplateError as exc:
        raise InputFileError(template or DEFAULT_TEMPLATE, f"template error: {exc}") from exc
    text = text.rstrip("\n")
    return text + "\n" if final_newline else text
