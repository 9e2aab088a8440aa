"""The Notenliste: one row per student with each task's points, the total, percent and grade.

The training sheet (``export xlsx``) is for the model; this is for the teacher: German headers,
numbers as numbers (sums and charts work in Excel or LibreOffice), and the state of each analysis,
so a missing or contradictory one is seen before the marks go anywhere. Points are the analysis's
own arithmetic (:func:`annotate.audit.audit_text`), never a number typed twice. Text cells are
written as text: a name beginning with ``=`` never becomes a formula.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotate.audit import audit_text
from annotate.sheets import Settings, settings_from
from examkit.files import atomic_write_bytes
from examkit.workspace import Workspace

#: An analysis's state in the teacher's words.
STATES = {"ok": "stimmig", "warnings": "mit Hinweisen", "errors": "Rechenfehler", "empty": "leer",
          "draft": "nur Entwurf", "none": "keine Analyse"}
SHEET = "Notenliste"


@dataclass
class GradeRow:
    """One student's marks as the confirmed analysis states them."""

    exam: str
    student: str
    state: str
    tasks: dict[str, float | None] = field(default_factory=dict)
    points: float | None = None
    max: float | None = None
    percent: float | None = None
    grade: str | None = None


def grade_rows(ws: Workspace, settings: Settings | None = None) -> list[GradeRow]:
    """Every student document, in exam order, with its newest teacher-confirmed analysis's figures."""
    settings = settings or settings_from(ws.config.analysis, ws.root)
    rows = []
    for doc in ws.documents.list(kind="student"):
        student = doc.id.rsplit("/", 1)[-1]
        teacher = ws.revisions.latest_analysis(doc.id)
        if teacher is None:
            draft = ws.revisions.latest_analysis(doc.id, include_drafts=True)
            rows.append(GradeRow(doc.exam, student, STATES["draft" if draft else "none"]))
            continue
        record = audit_text(teacher.text, scale=settings.scale, rounding=settings.rounding,
                            stop_marker=settings.stop_marker)
        tasks = {t["label"]: t["points"] for t in record.tasks}
        computed = record.computed
        empty = not tasks and computed.points is None
        state = "empty" if empty else "errors" if record.has_errors else "warnings" if record.problems else "ok"
        rows.append(GradeRow(doc.exam, student, STATES[state], tasks, _number(computed.points), _number(computed.max),
                             _number(computed.percent), computed.grade))
    return rows


def notenliste_bytes(rows: list[GradeRow]) -> bytes:
    """The rows as a workbook with one sheet, ``Notenliste``: header frozen, task columns in order."""
    from openpyxl import Workbook

    labels = list(dict.fromkeys(label for row in rows for label in row.tasks))
    headers = ["Klausur", "Schülerin / Schüler", *[f"Aufgabe {label}" for label in labels], "Punkte", "von",
               "Prozent", "Note", "Stand der Analyse"]
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    table: list[list[Any]] = [headers, *([row.exam, row.student, *[row.tasks.get(label) for label in labels],
                                          row.points, row.max, row.percent, row.grade, row.state] for row in rows)]
    for number, values in enumerate(table, start=1):
        for column, value in enumerate(values, start=1):
            _cell(sheet, number, column, value)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 28
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_notenliste(ws: Workspace, path: Path) -> tuple[Path, list[GradeRow]]:
    rows = grade_rows(ws)
    return atomic_write_bytes(path, notenliste_bytes(rows)), rows


def _cell(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, whatever it begins with


def _number(value: Any) -> float | None:
    """Fractions and decimals from the audit as plain numbers (whole numbers as int)."""
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number
