"""What each view of the review page shows, as plain data (templates and the JSON API use it).

Reads only: every function takes a workspace and returns dicts of ids, texts and numbers, never
file paths. Saving lives in :mod:`annotate.review.actions`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from annotate.audit import audit_text
from annotate.model import Analysis
from annotate.parse import AnalysisParseError, parse
from annotate.redink import RULES_DE, on_paper, paper_check, red_ink, red_ink_draft
from annotate.review.german import audit_problems
from annotate.review.images import image_size, source_path
from annotate.review.suggestions import MARK_DE, page_suggestions
from annotate.sheets import Settings
from examkit.models import AnalysisRevision, Page, PageLine, TextRevision
from examkit.progress import document_progress
from examkit.workspace import Workspace


def when(stamp: datetime) -> str:
    """A timestamp as teachers read it: local time to the second (two saves a minute apart, or
    within one, must not look the same), ``14.11.2024, 10:32:07``."""
    return stamp.astimezone().strftime("%d.%m.%Y, %H:%M:%S")


def name_of(document_id: str) -> str:
    """``LK-Neuzeit-2023/mueller-anna`` → ``mueller-anna``: how a student's test is called in lists."""
    return document_id.rsplit("/", 1)[-1]


# -- overview ------------------------------------------------------------------------------------
def overview(ws: Workspace, settings: Settings) -> dict[str, Any]:
    """Exams with their documents, each with page, review and analysis state; open OCR failures."""
    failures = ws.documents.failures()
    failed_docs = {f.document_id for f in failures if f.document_id}
    exams = []
    for exam in ws.documents.exams():
        docs = [_document_state(ws, settings, d, d.id in failed_docs) for d in ws.documents.list(exam=exam)]
        students = [d for d in docs if d["kind"] == "student"]
        pages = sum(d["pages"] for d in docs)
        reviewed = sum(d["reviewed"] for d in docs)
        analysed = sum(1 for d in students if d["analysis"] in ("ok", "warnings", "errors"))
        exams.append({
            "name": exam or "Ohne Klausurordner", "exam": exam, "documents": docs,
            "pages": pages, "reviewed": reviewed, "students": len(students), "analysed": analysed,
            "has_sheet": ws.revisions.exam_sheet(exam) is not None or analysed > 0,
            "sheet_unchecked": [d["name"] for d in docs if d["kind"] == "task" and not d["typed"]
                                and d["reviewed"] < d["pages"]],
            "progress": round(100 * (reviewed + analysed) / max(1, pages + len(students))),
        })
    return {
        "exams": exams,
        "failures": [{"document_id": f.document_id, "file": f.path.rsplit("/", 1)[-1], "reason": f.reason,
                      "when": when(f.created_at)} for f in failures],
    }


def _document_state(ws: Workspace, settings: Settings, doc, failed: bool) -> dict[str, Any]:
    done = document_progress(ws, doc.id)
    state: dict[str, Any] = {"id": doc.id, "name": name_of(doc.id), "kind": doc.kind, "typed": doc.typed,
                             "pages": done.pages, "ocr": done.read, "reviewed": done.reviewed, "failed": failed,
                             "empty": done.empty, "first_page": done.first_page, "analysis": "none", "problems": [],
                             "draft": False}
    if doc.kind != "student":
        state["analysis"] = "n/a"
        return state
    newest = ws.revisions.latest_analysis(doc.id, include_drafts=True)
    teacher = ws.revisions.latest_analysis(doc.id)
    ink = red_ink(ws, doc.id)
    # a draft: stored by a model, or (nothing stored yet) the one the red ink on the scan makes
    state["draft"] = (newest is not None and newest.is_draft) or (newest is None and red_ink_draft(ink) is not None)
    if teacher is None:
        state["analysis"] = "draft" if state["draft"] else "none"
        return state
    record = audit_text(teacher.text, student_text=ws.revisions.document_text(doc.id), scale=settings.scale,
                        rounding=settings.rounding, stop_marker=settings.stop_marker, on_paper=on_paper(ink))
    state["problems"] = audit_problems(record.problems)
    if any(p.code == "analysis-empty" for p in record.problems):
        state["analysis"] = "empty"
        return state
    state["analysis"] = "errors" if record.has_errors else "warnings" if record.problems else "ok"
    if record.computed.points is not None:
        state["totals"] = {"points": record.computed.points, "max": record.computed.max,
                           "percent": record.computed.percent, "grade": record.computed.grade}
    return state


# -- one page ------------------------------------------------------------------------------------
#: A reader's confidence (0-100) below which a word or line is coloured as unsure, and as middling.
UNSURE_BELOW, MIDDLING_BELOW = 50, 80


def confidence(conf: float) -> str | None:
    """``low``, ``mid`` or ``high`` (the page's colour classes ``conf-…``); None without a confidence."""
    if conf < 0:
        return None
    return "low" if conf < UNSURE_BELOW else "mid" if conf < MIDDLING_BELOW else "high"


def revision_json(rev: TextRevision) -> dict[str, Any]:
    return {"id": rev.id, "author": rev.author, "when": when(rev.created_at), "source": rev.source,
            "text": rev.text}


def line_json(line: PageLine) -> dict[str, Any]:
    """One line for the editor: id and revision (the base of its next save), outline, text, and
    the reader's words with their flags (none once a person saved the line)."""
    words = [{"text": w.text, "conf": w.conf, "confidence": confidence(w.conf), "flagged": w.flagged,
              "bbox": list(w.bbox)} for w in line.words]
    confs = [w.conf for w in line.words if w.conf >= 0]
    conf = min(confs) if confs else (line.conf if not line.by_person else -1)
    return {"id": line.id, "revision": line.revision, "text": line.text, "layer": line.layer, "origin": line.origin,
            "bbox": list(line.bbox) if line.bbox else None, "polygon": [list(p) for p in line.polygon],
            "by_person": line.by_person, "author": line.author, "when": when(line.created_at),
            "source": line.source, "words": words, "flagged": sum(w.flagged for w in line.words),
            "conf": conf, "confidence": None if line.by_person else confidence(conf)}


def page_view(ws: Workspace, page: Page) -> dict[str, Any]:
    """A page: its lines, its current text and the revision it is, the reader's words and the
    teacher's marks, the history. Word positions count student lines, as the text does."""
    doc = ws.documents.get(page.document_id)
    reading = ws.documents.latest_ocr(page.id)
    latest = ws.revisions.latest_text(page.id)
    ocr_text = reading.text if reading else ""
    width, height = image_size(ws.root, page)
    if reading and not (width and height):
        width, height = reading.width, reading.height
    lines = [line_json(line) for line in ws.lines.current(page.id)]
    words = []
    for li, line in enumerate(x for x in lines if x["layer"] == "student"):
        for wi, word in enumerate(line["words"]):
            words.append({"line": li, "word": wi, **word})
    placed = {n.index: n for n in red_ink(ws, doc.id).notes if n.page == page.number}
    ordinals = {i: k for k, i in enumerate(i for i, m in enumerate(reading.marks if reading else []) if m.kind == "margin")}
    marks = [{"kind": m.kind, "label": MARK_DE.get(m.kind, m.kind), "bbox": list(m.bbox), "text": m.text,
              **(note_json(placed[i]) | {"ordinal": ordinals[i]} if i in placed else {})}
             for i, m in enumerate(reading.marks if reading else [])]
    teacher = ws.revisions.latest_text(page.id, "teacher")
    pages = ws.documents.pages(doc.id)
    index = next(i for i, p in enumerate(pages) if p.id == page.id)
    has_image = source_path(ws.root, page, "image") is not None
    return {
        "page": {"id": page.id, "number": page.number, "count": len(pages), "width": width, "height": height,
                 "has_image": has_image and bool(width and height),
                 "has_original": bool(page.original) and page.original != page.image},
        "document": {"id": doc.id, "name": name_of(doc.id), "exam": doc.exam, "kind": doc.kind, "typed": doc.typed},
        "prev_page": pages[index - 1].id if index > 0 else None,
        "next_page": pages[index + 1].id if index + 1 < len(pages) else None,
        "pages": [{"id": p.id, "number": p.number} for p in pages],
        "text": ws.revisions.page_text(page.id) or "",
        "state": "unread" if reading is None else "empty" if not lines else "read",
        "base": latest.id if latest else None,
        "ocr_text": ocr_text,
        "engine": reading.engine if reading else None,
        "reviewed": ws.revisions.is_reviewed(page.id),
        "words": words,
        "lines": lines,
        "marks": marks,
        "notes_base": teacher.id if teacher else None,
        "history": [revision_json(r) for r in reversed(ws.revisions.texts(page.id))],
    }


# -- the teacher's red ink -----------------------------------------------------------------------
def note_json(note) -> dict[str, Any]:
    """One red note for the page: its reading, how sure, and which rule placed it where."""
    m = note.mark
    return {"page": note.page, "index": note.index, "text": m.text, "note": m.note, "conf": m.conf,
            "confidence": confidence(m.conf), "bbox": list(m.bbox), "task": note.task, "rule": note.rule,
            "rule_de": RULES_DE.get(note.rule, note.rule), "quote": note.quote}


def _analysis_of(revision: AnalysisRevision | None, stop_marker: str | None) -> Analysis | None:
    if revision is None:
        return None
    try:
        return Analysis.model_validate(revision.sheet, context={"lenient": True}) if revision.sheet \
            else parse(revision.text, stop_marker=stop_marker)
    except (ValueError, AnalysisParseError):
        return None


# -- the analysis of a document ------------------------------------------------------------------
def _sheet_of(revision: AnalysisRevision | None, stop_marker: str | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    if revision.sheet:
        try:
            return editor_sheet(Analysis.model_validate(revision.sheet, context={"lenient": True}))
        except ValueError:
            pass
    try:
        return editor_sheet(parse(revision.text, stop_marker=stop_marker))
    except AnalysisParseError:
        return None


def editor_sheet(analysis: Analysis) -> dict[str, Any]:
    """The analysis in the shape the editor works on (every list present, numbers as given)."""

    def task(t) -> dict[str, Any]:
        return {"label": t.label, "max": t.max, "points": t.points,
                "errors": [{"quote": e.quote, "comment": e.comment, "deduction": e.deduction} for e in t.errors],
                "tasks": [task(s) for s in t.tasks]}

    return {"title": analysis.title, "tasks": [task(t) for t in analysis.tasks],
            "extras": [{"label": e.label, "points": e.points, "max": e.max} for e in analysis.extras]}


def skeleton(sheet: dict[str, Any]) -> dict[str, Any]:
    """An exam sheet as the start of a new analysis: its tasks and maxima, no errors yet."""
    analysis = Analysis.model_validate(sheet, context={"lenient": True})
    return editor_sheet(analysis)


def analysis_view(ws: Workspace, settings: Settings, document_id: str) -> dict[str, Any]:
    """The editor's start: the newest analysis (a draft shown as such), the exam's tasks, the
    student's text and the teacher's marks from OCR as suggested errors."""
    doc = ws.documents.get(document_id)
    newest = ws.revisions.latest_analysis(doc.id, include_drafts=True)
    exam_sheet = ws.revisions.exam_sheet(doc.exam) if doc.exam else None
    sheet = _sheet_of(newest, settings.stop_marker)
    ink = red_ink(ws, doc.id)
    drafted = red_ink_draft(ink) if newest is None else None
    origin = "revision" if sheet else "redink" if drafted else "exam" if exam_sheet else "empty"
    if sheet is None:
        sheet = (editor_sheet(drafted) if drafted else skeleton(exam_sheet) if exam_sheet
                 else {"title": None, "tasks": [], "extras": []})
    saved = ws.revisions.latest_analysis(doc.id)
    pages, suggestions = [], []
    for page in ws.documents.pages(doc.id):
        text = ws.revisions.page_text(page.id) or ""
        pages.append({"id": page.id, "number": page.number, "text": text})
        suggestions += page_suggestions(ws.documents.latest_ocr(page.id), text, page.number)
    return {
        "document": {"id": doc.id, "name": name_of(doc.id), "exam": doc.exam, "kind": doc.kind},
        "first_page": pages[0]["id"] if pages else None,
        "sheet": sheet,
        "origin": origin,
        "base": newest.id if newest else None,
        "draft": ({"model": newest.model or newest.author, "when": when(newest.created_at),
                   "text": newest.text, "readable": sheet is not None and origin == "revision"}
                  if newest is not None and newest.is_draft else None),
        "red_ink": {"notes": [note_json(n) for n in ink.notes],
                    "total": list(ink.total) if ink.total else None, "grade": ink.grade,
                    "checks": paper_check(ink, _analysis_of(saved, settings.stop_marker))},
        "saved": ({"author": newest.author, "when": when(newest.created_at)}
                  if newest is not None and not newest.is_draft else None),
        "exam_sheet": exam_sheet is not None,
        "pages": pages,
        "suggestions": suggestions,
        "stop_marker": settings.stop_marker or None,
        "history": [{"id": r.id, "author": r.author, "when": when(r.created_at), "source": r.source,
                     "draft": r.is_draft, "text": r.text} for r in reversed(ws.revisions.analyses(doc.id))],
    }
