"""The teacher's analysis beside a test: a YAML or JSON sheet, or loose text in a messy style.

The loose texts imitate what teachers type into Word (fehleranalyse.md, "What real teacher
documents look like"): spaces instead of tabs, ``(13/14 Punkte)``, ``(-1Punkt)``, CRLF, error
lines indented like their task, the summary on one line. Their numbers still add up.
"""

from __future__ import annotations

import json

import yaml
from model import Error, Exam, Student, TaskDef, fmt, grade, percent, sheet_dict, total_points


def sheet_yaml(exam: Exam, student: Student) -> str:
    return yaml.safe_dump(sheet_dict(exam, student), allow_unicode=True, sort_keys=False, width=100)


def sheet_json(exam: Exam, student: Student) -> str:
    return json.dumps(sheet_dict(exam, student), ensure_ascii=False, indent=2) + "\n"


def _deduction(e: Error, style: str, n: int) -> str:
    d = fmt(e.deduction)
    if e.deduction == 0:
        return ["(Kein Punktabzug)", "(keine Punkte Abzug)", "(kein Punkt abgezogen)"][n % 3]
    if style == "a":
        return f"(-{d}Punkt)" if e.deduction == 1 else f"(-{d} Punkte)"
    return [f"[-{d} Punkte]", f"(- {d} Punkte)", f"({d} Punkte)"][n % 3] if e.deduction != 1 \
        else ["(-1 Punkt)", "[-1 Punkt]", "(- 1 Punkt)"][n % 3]


def _task_lines(task: TaskDef, path: tuple[str, ...], student: Student, style: str,
                depth: int, counter: list[int]) -> tuple[list[str], float]:
    ind = "    " * depth if style == "a" else "  " * depth
    if task.subtasks:
        body: list[str] = []
        pts = 0.0
        for sub in task.subtasks:
            lines, p = _task_lines(sub, path + (sub.label,), student, style, depth + 1, counter)
            body += lines
            pts += p
    else:
        errs = student.errors.get("/".join(path), [])
        pts = task.max - sum(e.deduction for e in errs)
        # style b indents error lines like their task (the parser must still attach them)
        eind = ind + ("    " if style == "a" else "")
        body = []
        for e in errs:
            counter[0] += 1
            quote = f'"{e.quote}" ' if e.quote else ""
            body.append(f"{eind}- {quote}{e.comment} {_deduction(e, style, counter[0])}")
    head = (f"{ind}{task.label} ({fmt(pts)}/{fmt(task.max)} Punkte)" if style == "a"
            else f"{ind}{task.label} ({fmt(pts)} von {fmt(task.max)} Punkten)")
    return [head + (":" if body else "")] + body, pts


def loose_text(exam: Exam, student: Student, style: str) -> str:
    """Style ``a``: spaces, ``x/y``, one-line summary. Style ``b``: CRLF, ``[-1 Punkt]``, flat lines."""
    counter = [0]
    out = ["Fehleranalyse" if style == "a" else "Fehleranalyse:", f"  {exam.title}", ""]
    for task in exam.tasks:
        lines, _ = _task_lines(task, (task.label,), student, style, 1, counter)
        out += lines
        if style == "a":
            out.append("")
    for label, mx in exam.extras:
        out.append(f"    {label}: {fmt(student.extras.get(label, mx))} von {fmt(mx)} Punkte")
    pts, mx = total_points(exam, student), exam.max_points
    pct = percent(pts, mx)
    if style == "a":
        out.append(f"Insgesamt: Punkte: {fmt(pts)} von {fmt(mx)}, was einer Leistung von {pct}% "
                   f"entspricht. Vorgeschlagene Note: {grade(pct)}")
        return "\n".join(out) + "\n"
    out += ["", "  Insgesamt:", f"    Punkte: {fmt(pts)} von {fmt(mx)}, das entspricht einer Leistung von: {pct}%",
            f"    Vorgeschlagene Note: {grade(pct)}"]
    return "\r\n".join(out) + "\r\n"
