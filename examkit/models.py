"""Models shared by the stages: what the workspace stores and hands from one stage to the next.

OCR writes :class:`PageOCR` (words, lines, teacher marks); review reads it and writes
:class:`TextRevision` and :class:`AnalysisRevision`; export reads documents and their newest
revisions. Stage-specific models (the Fehleranalyse itself, training records) live in their stage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

#: The marker a Fehleranalyse ends with in training data, so a tuned model stops there: the default
#: of ``[analysis] stop_marker`` in examkit.toml and of every function that takes a stop marker.
STOP_MARKER = "ENDSTOP"
#: The engine name a typed document's text (``.txt``, ``.docx``) is stored under: no reader involved.
TYPED_ENGINE = "typed"

BBox = tuple[int, int, int, int]
"""``(x0, y0, x1, y1)`` in page pixels of the stored page image."""

DocumentKind = Literal["student", "task"]
Layer = Literal["student", "teacher"]
LineLayer = Literal["student", "teacher", "margin"]
"""Which ink a text line belongs to: the student's answer, the teacher's red ink, or a margin note."""
Point = tuple[int, int]
"""``(x, y)`` in page pixels of the stored page image."""
TextSource = Literal["ocr", "review", "import", "ground-truth"]
LineOrigin = Literal["detected", "drawn", "typed"]
"""Where a line came from: found by a reader, outlined by a person, or typed by a person (no outline)."""
AnalysisSource = Literal["teacher", "import", "draft", "ground-truth"]


class Word(BaseModel):
    text: str
    conf: float = Field(ge=-1, le=100, description="engine confidence 0-100; -1 when unknown")
    bbox: BBox
    flagged: bool = False


class Line(BaseModel):
    """One written line as a reader found it (PAGE XML's ``TextLine``): outline, baseline, words.

    ``polygon`` and ``baseline`` are empty where an engine gives only boxes; :meth:`outline` and
    :meth:`base` then fall back to the box, so every consumer can rely on both.
    """

    words: list[Word] = Field(default_factory=list)
    bbox: BBox
    block: int = 0
    polygon: list[Point] = Field(default_factory=list, description="outline, clockwise; [] = the bbox")
    baseline: list[Point] = Field(default_factory=list, description="left to right; [] = the bbox's bottom edge")
    layer: LineLayer = "student"
    conf: float = Field(-1, ge=-1, le=100, description="recogniser confidence for the line 0-100; -1 when unknown")
    flagged: bool = Field(False, description="review advised: nothing read, an unsure reading or a flagged word")

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def outline(self) -> list[Point]:
        """The line's polygon, or its box as a four-point polygon."""
        if self.polygon:
            return list(self.polygon)
        x0, y0, x1, y1 = self.bbox
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]

    def base(self) -> list[Point]:
        """The line's baseline, or the bottom edge of its box."""
        if self.baseline:
            return list(self.baseline)
        x0, _, x1, y1 = self.bbox
        return [(x0, y1), (x1, y1)]


class Mark(BaseModel):
    """A teacher's red mark on the page and the student words it marks."""

    kind: Literal["underline", "strike", "circle", "margin"]
    bbox: BBox
    text: str = ""
    #: for margin notes: what the note is (``score``, ``deduction``, ``grade``, ``word``, ``tick``,
    #: ``text``), as the note reader (:mod:`ocr.notes`) read it; None where it was not read
    note: str | None = None
    conf: float = Field(-1, description="the note reading's confidence, 0-100; -1 not read")


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


class PageLine(BaseModel):
    """One line of a page as the workspace keeps it: a stable id, its place, outline and text.

    The state is the line's newest revision (``revision``: what a save names as its base). Lines
    are never removed, only marked ``deleted`` by a revision, so nothing once written is lost.
    """

    id: int
    page_id: int
    revision: int
    position: float = Field(description="order on the page; lines are shown by ascending position")
    text: str = ""
    polygon: list[Point] = Field(default_factory=list, description="outline; [] = none (typed by a person)")
    baseline: list[Point] = Field(default_factory=list)
    layer: LineLayer = "student"
    origin: LineOrigin = "detected"
    words: list[Word] = Field(default_factory=list, description="the reader's words; [] once a person saved the line")
    conf: float = -1
    deleted: bool = False
    source: TextSource = "ocr"
    author: str = ""
    created_at: datetime

    @property
    def by_person(self) -> bool:
        """The newest revision was written by a person (or imported), not by a reader."""
        return self.source != "ocr"

    @property
    def bbox(self) -> BBox | None:
        """The box around the outline, or ``None`` for a line without one."""
        if not self.polygon:
            return None
        xs, ys = [p[0] for p in self.polygon], [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs), max(ys))


class ConfirmedLine(BaseModel):
    """A line whose text a person saved or confirmed, with where it stands on its page image:
    what OCR ground truth and a handwriting reader learn from."""

    document_id: str
    page_id: int
    page_number: int
    line_id: int
    revision: int
    polygon: list[Point]
    baseline: list[Point]
    layer: LineLayer
    text: str
    image: str = Field(description="the page image the outline refers to, relative to the workspace ('' = none)")


class Failure(BaseModel):
    id: int
    stage: str
    path: str
    document_id: str | None = None
    reason: str
    created_at: datetime
