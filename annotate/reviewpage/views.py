"""What each view shows, as plain dicts: the overview, a page, a document's analysis.

Routes turn these into HTML (Jinja2, autoescaped) or JSON; keeping them apart from the web layer
lets the tests and the benchmark call them directly.
"""

from __future__ import annotations

from typing import Any

from annotate.audit import audit_text
from annotate.reviewpage.analysis import GERMAN_CODES, analysis_settings, start_sheet
from examkit.models import Page
from examkit.workspace import Workspace

FLAG_CONF = 60.0  # below this a word is tinted as doubtful even when OCR did not flag it


def _stamp(value) -> str:
    return value.strftime("%d.%m.%Y %H:%M") if value else ""


def overview(ws: Workspace) -> dict[str, Any]:
    """Exams → documents with their state, progress per exam, open OCR failures."""
    settings = analysis_settings(ws)
    exams = []
    for exam in ws.documents.exams():
        docs, pages_total, pages_reviewed, analysed, students = [], 0, 0, 0, 0
        for doc in ws.documents.list(exam=exam):
            pages = ws.documents.pages(doc.id)
            ocrd = sum(1 for p in pages if ws.documents.latest_ocr(p.id) is not None)
            reviewed = sum(1 for p in pages if ws.revisions.is_reviewed(p.id))
            latest = ws.revisions.latest_analysis(doc.id, include_drafts=True)
            person = ws.revisions.latest_analysis(doc.id)
            audit = None
            if person is not None:
                record = audit_text(person.text, student_text=ws.revisions.document_text(doc.id),
                                    scale=settings.scale, rounding=settings.rounding, stop_marker=settings.stop_marker)
                errors = sum(1 for p in record.problems if p.severity == "error")
                warnings = len(record.problems) - errors
                audit = {"errors": errors, "warnings": warnings,
                         "state": "error" if errors else "warning" if warnings else "ok",
                         "messages": [GERMAN_CODES.get(p.code, p.code) for p in record.problems]}
            if doc.kind == "student":
                students += 1
                pages_total += len(pages)
                pages_reviewed += reviewed
                analysed += person is not None
            docs.append({
                "id": doc.id, "name": doc.id.rsplit("/", 1)[-1], "kind": doc.kind, "typed": doc.typed,
                "pages": [{"id": p.id, "number": p.number, "reviewed": ws.revisions.is_reviewed(p.id)} for p in pages],
                "page_count": len(pages), "ocrd": ocrd, "reviewed": reviewed,
                "analysis": person is not None, "audit": audit,
                "draft": latest is not None and latest.is_draft,
            })
        exams.append({
            "name": exam or "(ohne Klausur)", "exam": exam, "documents": docs, "students": students,
            "analysed": analysed, "pages_total": pages_total, "pages_reviewed": pages_reviewed,
            "percent": round(100 * (pages_reviewed + analysed) / (pages_total + students)) if pages_total + students else 0,
        })
    failures = [{"stage": f.stage, "path": f.path, "reason": f.reason, "when": _stamp(f.created_at)}
                for f in ws.documents.failures()]
    return {"exams": exams, "failures": failures}


def page_view(ws: Workspace, page_id: int) -> dict[str, Any]:
    """A page: its words (boxes in percent of the page), lines, marks, text, base revision, history."""
    page = ws.documents.page(page_id)
    doc = ws.documents.get(page.document_id)
    reading = ws.documents.latest_ocr(page_id)
    width = (reading.width if reading and reading.width else page.width) or 1
    height = (reading.height if reading and reading.height else page.height) or 1

    def box(b) -> list[float]:
        return [round(100 * b[0] / width, 3), round(100 * b[1] / height, 3),
                round(100 * (b[2] - b[0]) / width, 3), round(100 * (b[3] - b[1]) / height, 3)]

    words, lines, offset = [], [], 0
    ocr_text = reading.text if reading else ""
    for n, line in enumerate(reading.lines if reading else []):
        for word in line.words:
            words.append({"text": word.text, "conf": word.conf, "box": box(word.bbox), "line": n,
                          "flagged": word.flagged or (0 <= word.conf < FLAG_CONF), "offset": offset})
            offset += len(word.text) + 1  # words joined by a space, lines by a newline
        if not line.words:
            offset += 1
        confs = [w.conf for w in line.words if w.conf >= 0]
        lines.append({"index": n, "text": line.text, "conf": min(confs) if confs else -1,
                      "flagged": any(w.flagged for w in line.words)})
    marks = [{"kind": m.kind, "text": m.text, "box": box(m.bbox)} for m in (reading.marks if reading else [])]
    latest = ws.revisions.latest_text(page_id)
    pages = ws.documents.pages(doc.id)
    return {
        "page": {"id": page.id, "number": page.number, "count": len(pages), "has_image": bool(page.image or page.original)},
        "document": {"id": doc.id, "exam": doc.exam, "name": doc.id.rsplit("/", 1)[-1]},
        "neighbours": _neighbours(pages, page),
        "text": latest.text if latest else ocr_text, "base": latest.id if latest else None, "ocr_text": ocr_text,
        "words": words, "lines": lines, "marks": marks, "reviewed": ws.revisions.is_reviewed(page_id),
        "history": history(ws, page_id),
    }


def history(ws: Workspace, page_id: int) -> list[dict[str, Any]]:
    """A page's text revisions, newest first, with who and when."""
    return [{"id": r.id, "author": r.author, "when": _stamp(r.created_at), "source": r.source, "text": r.text}
            for r in reversed(ws.revisions.texts(page_id))]


def _neighbours(pages: list[Page], page: Page) -> dict[str, int | None]:
    ids = [p.id for p in pages]
    i = ids.index(page.id)
    return {"previous": ids[i - 1] if i > 0 else None, "next": ids[i + 1] if i + 1 < len(ids) else None}


def analysis_view(ws: Workspace, document_id: str) -> dict[str, Any]:
    """A document's analysis editor: the sheet to start from, the student's text, suggested errors."""
    doc = ws.documents.get(document_id)
    rows = ws.revisions.analyses(document_id)
    latest = rows[-1] if rows else None
    sheet, origin = start_sheet(ws, doc.exam, latest)
    suggestions = []
    for page in ws.documents.pages(document_id):
        reading = ws.documents.latest_ocr(page.id)
        for mark in reading.marks if reading else []:
            if mark.kind in ("underline", "strike", "circle") and mark.text.strip():
                suggestions.append({"kind": mark.kind, "text": mark.text, "page": page.number})
    return {
        "document": {"id": doc.id, "exam": doc.exam, "name": doc.id.rsplit("/", 1)[-1],
                     "first_page": (ws.documents.pages(document_id) or [None])[0] and ws.documents.pages(document_id)[0].id},
        "sheet": sheet, "origin": origin, "base": latest.id if latest else None,
        "draft": {"model": latest.model or latest.author, "when": _stamp(latest.created_at)} if latest and latest.is_draft else None,
        "exam_sheet": ws.revisions.exam_sheet(doc.exam) is not None,
        "student_text": (ws.revisions.document_text(document_id) or "").replace("\f", "\n\n"),
        "suggestions": suggestions,
        "history": [{"id": r.id, "author": r.author, "when": _stamp(r.created_at), "source": r.source}
                    for r in reversed(rows)],
    }
