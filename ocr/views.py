"""What the OCR stage shows and hands out: status, one document's reading, page texts as files.

The read side of :mod:`ocr.batch`. Each function returns plain data (or writes files) for a thin
command to print; the JSON shapes are the contract (docs/cli-reference.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from examkit.files import FileNames, atomic_write_text
from examkit.progress import document_progress
from examkit.workspace import Workspace
from ocr import sheets
from ocr.batch import STAGE


def status(ws: Workspace) -> dict:
    """Documents with page counts and states, open failures, skipped files, found sheets.

    A page the reader found no line on is "nothing read" (``empty``), never done: someone has to
    type it or draw its lines (:meth:`examkit.lines.Lines.nothing_read`)."""
    documents = []
    for doc in ws.documents.list():
        done = document_progress(ws, doc.id)
        state = ("reviewed" if done.pages and done.reviewed == done.pages else "nothing read" if done.empty else
                 "ocr'd" if done.pages and done.read == done.pages else "partly ocr'd" if done.read else "not read")
        documents.append({"id": doc.id, "exam": doc.exam, "kind": doc.kind, "typed": doc.typed, "pages": done.pages,
                          "ocr": done.read, "empty": done.empty, "reviewed": done.reviewed, "state": state,
                          "source": doc.source})
    failures = [{"path": f.path, "document_id": f.document_id, "reason": f.reason, "when": f.created_at.isoformat()}
                for f in ws.documents.failures(STAGE)]
    found = sheets.found(ws)
    return {
        "documents": documents,
        "totals": {"documents": len(documents), "pages": sum(d["pages"] for d in documents),
                   "ocr": sum(d["ocr"] for d in documents), "empty": sum(d["empty"] for d in documents), "reviewed": sum(d["reviewed"] for d in documents),
                   "failures": len(failures)},
        "failures": failures,
        "skipped": [{"path": p, "reason": r} for p, r in sorted(found["skipped"].items())],
        "sheets": [{"path": p, **v} for p, v in sorted(found["sheets"].items())],
    }


def show(ws: Workspace, document_id: str) -> dict:
    """One document: pages -> lines -> words (text, conf, bbox, flagged) and the teacher's marks."""
    doc = ws.documents.get(document_id)
    pages = []
    for page in ws.documents.pages(doc.id):
        reading = ws.documents.latest_ocr(page.id)
        entry = {"number": page.number, "image": page.image, "original": page.original, "width": page.width,
                 "height": page.height, "reviewed": ws.revisions.is_reviewed(page.id)}
        if reading is None:
            entry.update(engine=None, steps=[], lines=[], marks=[], teacher_text="")
        else:
            entry.update(
                engine=reading.engine,
                steps=reading.steps,
                lines=[{"bbox": list(line.bbox), "block": line.block,
                        "words": [{"text": w.text, "conf": w.conf, "bbox": list(w.bbox), "flagged": w.flagged}
                                  for w in line.words]} for line in reading.lines],
                marks=[{"kind": m.kind, "bbox": list(m.bbox), "text": m.text} for m in reading.marks],
                teacher_text=reading.teacher_text,
            )
        pages.append(entry)
    return {"id": doc.id, "exam": doc.exam, "kind": doc.kind, "typed": doc.typed, "source": doc.source, "pages": pages}


def export_text(
    ws: Workspace,
    outdir: Path,
    *,
    source: Literal["best", "ocr", "reviewed"] = "best",
    layer: Literal["student", "teacher"] = "student",
) -> tuple[list[Path], list[str], list[Path]]:
    """Write ``OUTDIR/<document-id>.txt`` (pages joined by form feeds) for every document with
    text of the asked-for kind. Returns the files written, the ids that had none, and the files of
    an earlier run this one replaced.

    Ids become names by :class:`examkit.files.FileNames` (``müller-anna`` → ``mueller-anna.txt``,
    unique within the run), so no document's file replaces another's."""
    written, without = [], []
    names = FileNames(sep="/")
    for doc in ws.documents.list():
        text = ws.revisions.document_text(doc.id, source=source, layer=layer)
        if text is None:
            without.append(doc.id)
            continue
        target = names.claim(outdir / f"{names.name(doc.id)}.txt")
        atomic_write_text(target, text)
        written.append(target)
    return written, without, names.replaced
