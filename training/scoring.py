"""How close a model's Fehleranalyse is to the teacher's: pure functions, no I/O.

The seed project judged its model by reading Playground chats ("2 of 10"). Here each answer is
parsed with the Fehleranalyse parser and compared with the record's reference analysis:

- *total points*: the stated ``Insgesamt`` points (the computed sum where none are stated);
- *percent* and *grade*: likewise stated, else computed with the grade scale; grades compare by
  their place on the scale, so ``13 NP`` equals ``1-``;
- *task points*: per top-level task of the reference, matched by label (``Aufgabe 2`` = ``2``);
  a task the answer leaves out counts as 0 points awarded;
- *quote recall*: the share of the teacher's quoted student words that the answer quotes too
  (fuzzy, tolerating OCR slips).

:func:`score` scores one answer, :func:`aggregate` the whole set: ``parsed_rate`` over all
records, every other figure over the parsed answers only (None where there is nothing to average).
"""

from __future__ import annotations

import re
from typing import Any

from annotate.audit import quote_found
from annotate.model import Analysis, Task, percent, task_points
from annotate.parse import AnalysisParseError, ParseResult, parse_text
from annotate.scales import GradeScale, normalize_grade
from examkit.models import STOP_MARKER

METRICS = ("n", "parsed_rate", "total_points_mae", "percent_mae", "grade_exact_rate", "task_points_mae", "quote_recall")
_LABEL_WORD = re.compile(r"^(?:teil)?(?:aufgabe|nr\.?|frage)\s*", re.I)


def totals(result: ParseResult, scale: GradeScale, rounding: str = "floor") -> dict[str, Any]:
    """Points, max, percent, grade: as stated where stated, else as computed."""
    stated, analysis = result.stated, result.analysis
    points = stated.points if stated.points is not None else analysis.points()
    maximum = stated.max if stated.max is not None else analysis.max_points()
    pct = stated.percent if stated.percent is not None else percent(points, maximum, rounding)  # type: ignore[arg-type]
    grade = stated.grade if stated.grade else scale.grade_for(pct)
    return {"points": points, "max": maximum, "percent": pct, "grade": grade}


def same_grade(a: str, b: str, scale: GradeScale) -> bool:
    rank_a, rank_b = scale.rank(a), scale.rank(b)
    if rank_a is not None and rank_b is not None:
        return rank_a == rank_b
    return normalize_grade(a) == normalize_grade(b)


def label_key(label: str) -> str:
    return _LABEL_WORD.sub("", label.strip()).strip(" .:)").lower()


def quotes(tasks: list[Task]) -> list[str]:
    found: list[str] = []
    for task in tasks:
        found += [e.quote for e in task.errors if e.quote]
        found += quotes(task.tasks)
    return found


def task_errors(answer: Analysis, reference: Analysis) -> list[dict[str, Any]]:
    """Per reference task: its points, the answer's points for the same label, the absolute error."""
    given = {label_key(t.label): task_points(t) for t in answer.tasks}
    rows = []
    for task in reference.tasks:
        expected = task_points(task)
        got = given.get(label_key(task.label))
        rows.append({"label": task.label, "reference": expected, "answer": got,
                     "error": abs(expected - (got if got is not None else 0.0))})
    return rows


def score(answer: str, reference: ParseResult, *, scale: GradeScale, rounding: str = "floor",
          stop_marker: str | None = STOP_MARKER) -> dict[str, Any]:
    """One answer against the parsed reference: the item of the evaluation report."""
    ref_totals = totals(reference, scale, rounding)
    ref_quotes = quotes(reference.analysis.tasks)
    item: dict[str, Any] = {"parsed": False, "parse_error": None, "reference": ref_totals, "answer": None,
                            "quotes": len(ref_quotes)}
    try:
        parsed = parse_text(answer, stop_marker=stop_marker)
    except AnalysisParseError as exc:
        item["parse_error"] = exc.message
        return item
    got = totals(parsed, scale, rounding)
    answer_quotes = quotes(parsed.analysis.tasks)
    item.update({
        "parsed": True,
        "answer": got,
        "total_points_error": abs(got["points"] - ref_totals["points"]),
        "percent_error": abs(got["percent"] - ref_totals["percent"]),
        "grade_exact": same_grade(got["grade"], ref_totals["grade"], scale),
        "tasks": task_errors(parsed.analysis, reference.analysis),
        "quotes_recalled": sum(1 for q in ref_quotes if any(quote_found(q, a) for a in answer_quotes)),
    })
    return item


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def aggregate(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The report: the metrics of ``METRICS`` and the items (as given)."""
    parsed = [i for i in items if i["parsed"]]
    n_quotes = sum(i["quotes"] for i in parsed)
    task_rows = [row["error"] for i in parsed for row in i["tasks"]]
    return {
        "n": len(items),
        "parsed_rate": round(len(parsed) / len(items), 4) if items else None,
        "total_points_mae": _mean([i["total_points_error"] for i in parsed]),
        "percent_mae": _mean([i["percent_error"] for i in parsed]),
        "grade_exact_rate": _mean([1.0 if i["grade_exact"] else 0.0 for i in parsed]),
        "task_points_mae": _mean(task_rows),
        "quote_recall": round(sum(i["quotes_recalled"] for i in parsed) / n_quotes, 4) if n_quotes else None,
        "items": items,
    }
