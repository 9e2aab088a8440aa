"""The analysis editor's logic: the sheet to start from, the live preview, saving a revision.

The exam's tasks and maxima are entered once per exam (``exam_sheet``) and prefill every student's
analysis; the preview renders the canonical text with the Fehleranalyse renderer and audits it
against the student's text, so the teacher sees totals, grade and problems while typing.
"""

from __future__ import annotations

from typing import Any

from annotate.audit import audit_text
from annotate.model import analysis_from_data
from annotate.parse import AnalysisParseError, parse
from annotate.sheets import Settings, canonical_text, settings_from
from examkit.errors import NotFoundError, UserInputError
from examkit.models import AnalysisRevision
from examkit.workspace import Workspace

GERMAN_CODES = {
    "missing-assistant": "Keine Fehleranalyse vorhanden",
    "not-parsed": "Text nicht lesbar",
    "heading": "Überschrift „Fehleranalyse“ fehlt",
    "total-missing": "Gesamtpunktzahl fehlt",
    "total-mismatch": "Gesamtpunktzahl stimmt nicht",
    "task-mismatch": "Punkte einer Aufgabe stimmen nicht",
    "deduction-mismatch": "Abzüge passen nicht zu den Punkten",
    "deduction-unquantified": "Fehler ohne Punktabzug-Angabe",
    "percent-mismatch": "Prozentangabe stimmt nicht",
    "grade-mismatch": "Note passt nicht zur Prozentzahl",
    "stop-marker-missing": "Endmarke fehlt",
    "quote-not-found": "Zitat steht nicht im Schülertext",
    "too-long": "Zu lang",
}


def analysis_settings(ws: Workspace) -> Settings:
    return settings_from(ws.config.analysis, ws.root)


def template_of(sheet: dict[str, Any]) -> dict[str, Any]:
    """The exam's part of a sheet: title, task labels, maxima and sub-tasks (no errors, no points)."""

    def task(t: dict[str, Any]) -> dict[str, Any]:
        return {"label": t["label"], "max": t["max"], "errors": [], "tasks": [task(s) for s in t.get("tasks") or []]}

    return {"title": sheet.get("title"), "tasks": [task(t) for t in sheet.get("tasks") or []], "extras": []}


def start_sheet(ws: Workspace, exam: str, latest: AnalysisRevision | None) -> tuple[dict[str, Any], str]:
    """The sheet the editor opens with and where it came from: saved, draft, exam or empty."""
    origin = "draft" if latest is not None and latest.is_draft else "saved"
    if latest is not None and latest.sheet:
        return latest.sheet, origin
    if latest is not None and latest.text.strip():
        try:
            return parse(latest.text, stop_marker=analysis_settings(ws).stop_marker).model_dump(), origin
        except AnalysisParseError:
            pass  # an unreadable draft: start from the exam's tasks instead
    exam_sheet = ws.revisions.exam_sheet(exam)
    if exam_sheet is not None:
        return template_of(exam_sheet), "exam"
    return {"title": None, "tasks": [], "extras": []}, "empty"


def clean(sheet: Any) -> dict[str, Any]:
    """Form values to a sheet: empty quotes and deductions become null, numbers from text."""
    if not isinstance(sheet, dict):
        raise UserInputError("Das Bewertungsblatt fehlt.")

    def number(value: Any, *, optional: bool) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            if not value:
                return None if optional else 0
            try:
                return float(value)
            except ValueError:
                raise UserInputError(f"„{value}“ ist keine Zahl.") from None
        return value

    def task(t: dict[str, Any]) -> dict[str, Any]:
        out = {"label": str(t.get("label") or "").strip() or "?", "max": number(t.get("max"), optional=False),
               "errors": [], "tasks": [task(s) for s in t.get("tasks") or []]}
        if t.get("points") not in (None, ""):
            out["points"] = number(t["points"], optional=True)
        for e in t.get("errors") or []:
            quote = (e.get("quote") or "").strip() or None
            out["errors"].append({"quote": quote, "comment": (e.get("comment") or "").strip(),
                                  "deduction": number(e.get("deduction"), optional=True)})
        return out

    extras = [{"label": x.get("label") or "?", "points": number(x.get("points"), optional=False),
               "max": number(x.get("max"), optional=False)} for x in sheet.get("extras") or []]
    return {"title": (sheet.get("title") or "").strip() or None, "tasks": [task(t) for t in sheet.get("tasks") or []],
            "extras": extras}


def preview(ws: Workspace, document_id: str, sheet: Any) -> dict[str, Any]:
    """The canonical text, totals and audit problems of a sheet as the editor holds it."""
    ws.documents.get(document_id)
    settings = analysis_settings(ws)
    try:
        analysis = analysis_from_data(clean(sheet))
    except UserInputError as exc:
        return {"ok": False, "error": exc.message, "text": "", "totals": None, "problems": []}
    text = canonical_text(analysis, settings)
    totals = analysis.totals(settings.scale, settings.rounding)
    record = audit_text(text, student_text=ws.revisions.document_text(document_id) or "", scale=settings.scale,
                        rounding=settings.rounding, stop_marker=settings.stop_marker)
    problems = [{"code": p.code, "severity": p.severity, "title": GERMAN_CODES.get(p.code, p.code), "message": p.message}
                for p in record.problems]
    return {"ok": True, "error": None, "text": text, "problems": problems,
            "totals": {"points": totals.points, "max": totals.max, "percent": totals.percent, "grade": totals.grade}}


def save(ws: Workspace, document_id: str, sheet: Any, base: int | None) -> AnalysisRevision:
    """Store the sheet as the teacher's analysis revision; the first one also sets the exam's tasks."""
    doc = ws.documents.get(document_id)
    analysis = analysis_from_data(clean(sheet))
    text = canonical_text(analysis, analysis_settings(ws))
    revision = ws.revisions.add_analysis(document_id, text, sheet=analysis.model_dump(), source="teacher", base=base)
    if ws.revisions.exam_sheet(doc.exam) is None and analysis.tasks:
        ws.revisions.set_exam_sheet(doc.exam, template_of(analysis.model_dump()))
    return revision


def set_exam_tasks(ws: Workspace, exam: str, sheet: Any) -> dict[str, Any]:
    """Store the exam's tasks and maxima (reused for every student of the exam)."""
    if exam not in ws.documents.exams():
        raise NotFoundError(f"no exam {exam!r} in this workspace")
    template = template_of(analysis_from_data(clean(sheet)).model_dump())
    ws.revisions.set_exam_sheet(exam, template)
    return template
