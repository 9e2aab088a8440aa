"""What the workspace already knows in words: the text a reader's language model is built from.

The task sheets (typed, or read and checked) and every line a person confirmed — the class's own
answers to the same questions. Nothing here is a reading nobody looked at: an unreviewed OCR line
would teach the decoder its own mistakes. Rebuilt whenever an engine is built, so a page read again
after more answers were confirmed reads with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from examkit.confirmation import confirmed_lines
from examkit.workspace import Workspace


@dataclass(frozen=True)
class ExamText:
    """The texts, and what they came from (``ocr status`` says it)."""

    texts: tuple[str, ...]
    sheets: int
    lines: int

    @property
    def words(self) -> int:
        return sum(len(t.split()) for t in self.texts)

    def describe(self) -> dict[str, int]:
        return {"task_sheets": self.sheets, "confirmed_lines": self.lines, "words": self.words}


def exam_text(ws: Workspace) -> ExamText:
    """Task sheets (typed, or their reviewed text) and the student lines people confirmed."""
    sheets = []
    for exam in ws.documents.exams():
        sheet = ws.documents.task_sheet(exam)
        if sheet is None:
            continue
        text = ws.revisions.document_text(sheet.id, source="best" if sheet.typed else "reviewed")
        if text and text.strip():
            sheets.append(text.replace("\f", "\n"))
    lines = [line.text for line in confirmed_lines(ws) if line.layer == "student"]
    return ExamText(texts=(*sheets, *lines), sheets=len(sheets), lines=len(lines))
