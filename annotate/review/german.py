"""What the review page says about a Fehleranalyse, in German and in the teachers' words.

The audit (:mod:`annotate.audit`) and the strict sheet validation (:mod:`annotate.model`) speak
English for the command line, but every message they produce carries a stable key and its values.
This module holds the one German table for each: the audit's messages (same keys as
``annotate.audit.MESSAGES``), the validation reasons (by pydantic's error type), and the one rule
that turns a field path such as ``tasks[0].errors[1].deduction`` into "Aufgabe 1, Fehler 2, Abzug".
Numbers are written the German way (``16,5``) by :func:`annotate.model.fmt_number`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from annotate.audit import Problem, fill
from annotate.model import fmt_number

#: The audit's codes as headings.
AUDIT_LABELS: dict[str, str] = {
    "missing-assistant": "Keine Fehleranalyse vorhanden",
    "not-parsed": "Text nicht als Fehleranalyse lesbar",
    "heading": "Überschrift „Fehleranalyse“ fehlt",
    "total-missing": "Gesamtpunktzahl fehlt",
    "total-mismatch": "Gesamtpunkte passen nicht zu den Aufgaben",
    "task-mismatch": "Teilaufgaben ergeben nicht die Aufgabenpunkte",
    "deduction-mismatch": "Abzüge passen nicht zu den Punkten",
    "deduction-unquantified": "Abzug ohne Zahl",
    "percent-mismatch": "Prozentangabe stimmt nicht",
    "grade-mismatch": "Note passt nicht zur Prozentzahl",
    "stop-marker-missing": "Endmarke fehlt",
    "quote-not-found": "Zitat nicht im Schülertext gefunden",
    "too-long": "Zu lang für das Modell",
    "bracket-missing": "Klammer nach den Punkten nicht geschlossen",
    "tasks-unlisted": "Nicht aufgeführte Aufgaben als volle Punktzahl angenommen",
    "analysis-empty": "Fehleranalyse ist leer",
    "red-total-mismatch": "Rote Gesamtpunktzahl auf dem Blatt weicht ab",
}

#: The audit's messages, by the keys of ``annotate.audit.MESSAGES``.
AUDIT_MESSAGES: dict[str, str] = {
    "missing-assistant": "Zu dieser Arbeit gibt es keinen Text der Fehleranalyse.",
    "not-parsed": "Der Text lässt sich nicht als Fehleranalyse lesen. Öffnen Sie die Fehleranalyse und speichern "
                  "Sie sie hier neu.",
    "heading": "Der Text beginnt nicht mit „Fehleranalyse“.",
    "total-missing": "Es fehlt die Zeile „Insgesamt“ mit den Punkten (z. B. „Punkte: 20 von 24“).",
    "total-mismatch": "Angegeben sind {points} von {max} Punkten, die Aufgaben ergeben aber {computed_points} "
                      "von {computed_max}.",
    "task-mismatch/max": "{task}: Die Höchstpunkte der Teilaufgaben ergeben {sub_max}, nicht {max}.",
    "task-mismatch/points": "{task}: Die Punkte der Teilaufgaben ergeben {computed}, angegeben sind {points}.",
    "deduction-mismatch/parent": "{task}: {lost} Punkte werden bei der Aufgabe selbst abgezogen, ihre Punkte sind "
                                 "aber die Summe der Teilaufgaben. Ordnen Sie die Fehler einer Teilaufgabe zu.",
    "deduction-mismatch": "{task}: {points} von {max} Punkten heißt {lost} Punkte Abzug, die Abzüge ergeben aber "
                          "{deducted}.",
    "deduction-unquantified": "{task}: {unexplained} der {lost} abgezogenen Punkte stehen nur bei Fehlern ohne "
                              "Punktzahl.",
    "percent-mismatch": "Angegeben sind {percent} %, aber {points} von {max} Punkten sind {exact} %.",
    "grade-mismatch": "Angegeben ist die Note {grade}, aber {computed} % ergeben {expected} (Notenskala {scale}).",
    "stop-marker-missing": "Die Endmarke am Schluss fehlt.",
    "quote-not-found": "{task}: „{quote}“ steht so nicht im Text der Schülerin / des Schülers.",
    "too-long": "Mit {tokens} Token länger als die Grenze des Modells ({limit}).",
    "bracket-missing": "Zeile {line}: Die Klammer in „{fragment}“ ist nicht geschlossen; gelesen als „{read_as}“.",
    "analysis-empty": "Die Fehleranalyse hat keine Aufgabe und keine Punkte: Sie ist leer und wird nicht exportiert.",
    "red-total-mismatch": "Auf dem Blatt steht {paper}, die Aufgaben ergeben {computed} — bitte prüfen.",
    "red-total-mismatch/grade": "Auf dem Blatt steht die Note {paper}, die Fehleranalyse ergibt {computed} — bitte "
                                "prüfen.",
    "tasks-unlisted": "Aufgaben mit {points} Punkten sind nicht aufgeführt; angenommen wird die volle Punktzahl "
                      "(„Übrige Aufgaben“).",
}

#: The fields of a sheet as the editor labels them.
FIELDS: dict[str, str] = {
    "title": "Überschrift", "label": "Bezeichnung", "max": "Höchstpunkte", "points": "Punkte",
    "deduction": "Abzug", "quote": "Zitat", "comment": "Kommentar", "errors": "Fehler", "tasks": "Teilaufgaben",
    "extras": "Zusatzpunkte",
}

#: Why a field was refused, by pydantic's error type (built-in ones and those of annotate/model.py).
REASONS: dict[str, str] = {
    "float_parsing": "„{input}“ ist keine Zahl",
    "float_type": "bitte eine Zahl eintragen",
    "int_parsing": "„{input}“ ist keine ganze Zahl",
    "int_type": "bitte eine ganze Zahl eintragen",
    "finite_number": "bitte eine Zahl eintragen",
    "not_finite": "bitte eine Zahl eintragen",
    "missing": "fehlt",
    "string_type": "bitte Text eintragen",
    "extra_forbidden": "ist hier nicht vorgesehen",
    "negative": "darf nicht negativ sein",
    "half_points": "nur ganze oder halbe Punkte ({input} geht nicht)",
    "deductions_over_max": "die Abzüge ergeben {lost} Punkte, mehr als die Höchstpunkte ({max})",
    "points_over_max": "{points} Punkte sind mehr als die Höchstpunkte ({max})",
    "tasks_and_errors": "hat Teilaufgaben und eigene Fehler – ordnen Sie jeden Fehler einer Teilaufgabe zu",
    "sub_max": "die Höchstpunkte der Teilaufgaben ergeben {sub_max}, die der Aufgabe sind {max}",
    "less_than_equal": "höchstens {le}",
    "less_than": "weniger als {lt}",
    "greater_than_equal": "mindestens {ge}",
    "greater_than": "mehr als {gt}",
    "string_too_long": "zu lang (höchstens {max_length} Zeichen)",
    "too_long": "zu viele Einträge (höchstens {max_length})",
    "too_deep": "zu tief verschachtelt (Teilaufgaben höchstens {max_depth} Ebenen tief)",
}
OTHER_REASON = "ungültige Eingabe"


def number(value: Any) -> str:
    """A number the German way (``16,5``); anything else as it is (``unendlich``, ``keine Zahl``
    for what JSON's ``1e999`` and ``NaN`` become)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if math.isnan(value):
        return "keine Zahl"
    if math.isinf(value):
        return "unendlich" if value > 0 else "minus unendlich"
    return fmt_number(value)


def plural(count: int, one: str, many: str) -> str:
    """``1 gespeicherte Fassung``, ``2 gespeicherte Fassungen`` (as ``Examkit.plural`` on the page)."""
    return f"{count} {one if count == 1 else many}"


def task_name(path: Sequence[str]) -> str:
    """A task by its labels as teachers say it: ``("A", "b")`` → ``Aufgabe A › b``; a label that is
    already a name (``Aufgabe 2``, ``Paar 3``) stays as it is."""
    labels = [str(label).strip() or "(ohne Bezeichnung)" for label in path] or ["(ohne Bezeichnung)"]
    first = labels[0]
    if not any(word.isalpha() and len(word) >= 3 for word in first.split()):
        labels[0] = f"Aufgabe {first}"
    return " › ".join(labels)


def audit_message(problem: Problem) -> str:
    """The problem in German (its code's heading where the audit gave no key)."""
    template = AUDIT_MESSAGES.get(problem.key)
    if template is None:
        return AUDIT_LABELS.get(problem.code, "Hinweis der Prüfung")
    return fill(template, problem.args, task=task_name)


def audit_problems(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """The audit's findings as the page shows them: code, severity, German heading and message."""
    return [{"code": p.code, "severity": p.severity, "label": AUDIT_LABELS.get(p.code, "Hinweis"),
             "message": audit_message(p)} for p in problems]


def field_name(loc: Sequence[int | str], sheet: Any) -> str:
    """A field path as the teacher sees the field: ``("tasks", 0, "errors", 1, "deduction")`` →
    ``Aufgabe 1, Fehler 2, Abzug`` (task labels taken from ``sheet``, the data that was checked)."""
    parts: list[str] = []
    labels: list[str] = []
    node: Any = sheet
    items = list(loc)
    i = 0
    while i < len(items):
        key = items[i]
        following = items[i + 1] if i + 1 < len(items) else None
        index = following if isinstance(following, int) else None
        child = _child(_child(node, key), index) if index is not None else _child(node, key)
        if key == "tasks" and index is not None:
            label = child.get("label") if isinstance(child, dict) else None
            labels.append(str(label) if label not in (None, "") else str(index + 1))
            if len(labels) > 1:
                parts.pop()  # the parent task's name: the sub-task's name includes it
            parts.append(task_name(labels))
        elif key == "errors" and index is not None:
            parts.append(f"Fehler {index + 1}")
        elif key == "extras" and index is not None:
            label = child.get("label") if isinstance(child, dict) else None
            parts.append(f"Zusatzpunkte „{label}“" if label else f"Zusatzpunkte {index + 1}")
        elif isinstance(key, str):
            parts.append(FIELDS.get(key, "Eingabe"))
        node = child
        i += 2 if index is not None else 1
    return ", ".join(parts) or "Fehleranalyse"


def _child(node: Any, key: int | str | None) -> Any:
    if isinstance(node, dict) and isinstance(key, str):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None


def reason(problem: dict[str, Any]) -> str:
    """Why a field was refused, in German."""
    values = {k: number(v) for k, v in (problem.get("ctx") or {}).items()}
    given = problem.get("input")
    values["input"] = number(given) if not isinstance(given, dict | list) else ""
    if problem.get("type") in ("float_parsing", "int_parsing") and not str(given).strip():
        return "bitte eine Zahl eintragen"
    template = REASONS.get(str(problem.get("type")), OTHER_REASON)
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return OTHER_REASON


def sheet_problems(problems: Iterable[dict[str, Any]], sheet: Any) -> list[dict[str, Any]]:
    """Validation problems (:attr:`annotate.model.SheetError.problems`) for the page: the field path
    (to mark the input), its German name, and the whole message."""
    out = []
    for p in problems:
        loc = [part for part in p.get("loc", ()) if isinstance(part, int | str)]
        field = field_name(loc, sheet)
        out.append({"path": loc, "field": field, "message": f"{field}: {reason(p)}"})
    return out
