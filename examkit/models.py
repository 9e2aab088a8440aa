"""Models shared by the stages: what the workspace stores and hands from one stage to the next.

OCR writes :class:`PageOCR` (words, lines, teacher marks); review reads it and writes
:class:`TextRevision` and :class:`AnalysisRevision`; export reads documents and their newest
revisions. Stage-specific models (the Fehleranalyse itself, training records) live in their stage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

BBox = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` in page pixels of the stored page image."""

DocumentKind = Literal["student", "task"]
Layer = Literal["student", "teacher"]
TextSource = Literal["ocr", "review", "import", "ground-truth"]
AnalysisSource = Literal["teacher", "import", "draft", "ground-truth"]


class Word(BaseModel):
    text: str
    conf: float = Field(ge=-1, le=100, description="engine confidence 0-100; -1 when unknown")
    bbox: BBox
    flagged: bool = False


class Line(BaseModel):
    words: list[Word] = Field(default_factory=list)
    bbox: BBox
    block: int = 0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


class Mark(BaseModel):
    """A teacher's red mark on the page and the student words it marks."""

    kind: Literal["underline", "strike", "circle", "margin"]
    bbox: BBox
    text: str = ""


class PageOCR(BaseModel):
    """One engine's reading of one page."""

    engine: str
    lines: list[Line] = Field(default_factory=list)
    marks: list[Mark] = Field(default_factory=list)
    teacher_text: str = ""
    width: int = 0
    height: int = 0
    steps: list[str] = Field(default_factory=list, description="preprocessing steps applied")
    warnings: list[str] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class Document(BaseModel):
    id: str = Field(description="exam-relative id, e.g. LK-Neuzeit-2023/mueller-anna")
    exam: str = Field(description="exam folder name; '' when the document stands alone")
    kind: DocumentKind = "student"
    source: str = Field(description="path the document was read from")
    source_hash: str = ""
    typed: bool = Field(False, description="digital text (.txt/.docx): needs no OCR")
    created_at: datetime | None = None


class Page(BaseModel):
    id: int
    document_id: str
    number: int = Field(description="1-based page number within the document")
    image: str = Field("", description="path of the preprocessed page image, relative to the workspace")
    original: str = Field("", description="path of the original page image, relative to the workspace")
    width: int = 0
    height: int = 0
    source_hash: str = ""


class TextRevision(BaseModel):
    id: int
    page_id: int
    layer: Layer
    text: str
    source: TextSource
    author: str
    parent_id: int | None = None
    created_at: datetime


class AnalysisRevision(BaseModel):
    id: int
    document_id: str
    text: str = Field(description="the analysis as text (canonical where it could be parsed)")
    sheet: dict | None = Field(None, description="the structured analysis (annotate's model as JSON)")
    source: AnalysisSource
    author: str
    model: str | None = Field(None, description="the model that wrote a draft")
    parent_id: int | None = None
    created_at: datetime

    @property
    def is_draft(self) -> bool:
        return self.source == "draft"


class Failure(BaseModel):
    id: int
    stage: str
    path: str
    document_id: str | None = None
    reason: str
    created_at: datetime
