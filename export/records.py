"""Training records from the workspace: one per student document with a teacher's analysis.

A record is what the model sees and what it must answer: the system prompt of the workspace, a
user message made from a Jinja2 template over the exam's task sheet and the student's answer (the
reviewed text where a person corrected the OCR), and the canonical Fehleranalyse with the stop
marker as the assistant's answer. Drafts written by a model never become training data, and
neither does an analysis that fails the audit: such documents are left out and listed with the
reason, so a teacher knows what to fix (``--strict`` turns that list into an error).

Training data is what a person confirmed: a document whose pages (or whose exam's task sheet)
nobody confirmed (:mod:`examkit.confirmation`) carries OCR noise and is left out, unless
``include_unreviewed`` asks for it; then the record says so (``ocr_only``). Every record keeps
the revisions it was built from (:attr:`Record.trace`), so a line of a training file can be traced
back to the texts and the analysis a person saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from pydantic import ValidationError

from annotate.audit import audit_text
from annotate.model import Analysis
from annotate.parse import AnalysisParseError, parse
from annotate.sheets import Settings, canonical_text, settings_from
from examkit.confirmation import PageConfirmation, document_confirmation
from examkit.errors import InputFileError, UserInputError
from export.formats import chat_example, prompt_completion

if TYPE_CHECKING:
    from examkit.models import AnalysisRevision, Document
    from examkit.workspace import Workspace

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_USER_TEMPLATE = TEMPLATES / "user.txt.j2"
#: Exams whose documents are whole prompts imported from teachers' sheets (see export.importer).
IMPORT_EXAM_PREFIX = "import:"
PAGE_BREAK = "\n\n"


@dataclass(frozen=True)
class Record:
    document_id: str
    exam: str
    system: str
    user: str
    assistant: str
    #: What it was built from: the analysis revision, and per page of the answer and of the task
    #: sheet the text revision or OCR reading and how it was confirmed (export manifests).
    trace: dict[str, Any] = field(default_factory=dict, compare=False)
    #: Pages nobody confirmed went in (``--include-unreviewed``).
    ocr_only: bool = False

    @property
    def student(self) -> str:
        """Who wrote it: the document's name within its exam (the same across exams)."""
        return self.document_id.rsplit("/", 1)[-1]

    def chat(self) -> dict[str, Any]:
        return chat_example(self.system, self.user, self.assistant)

    def prompt_completion(self) -> dict[str, str]:
        return prompt_completion(self.user, self.assistant)


#: Why documents are left out, the short forms counted in an export's summary.
NOT_REVIEWED = "pages not reviewed"
TASK_NOT_REVIEWED = "task sheet not reviewed"
NO_ANALYSIS = "no analysis"
ONLY_DRAFT = "only a machine draft of the analysis"
NO_TEXT = "no student text"
NOT_PARSED = "analysis not readable"
AUDIT_ERRORS = "analysis fails the audit"
INVALID = "fails validation"


@dataclass(frozen=True)
class Skipped:
    document_id: str
    reason: str
    #: the short form of ``reason`` (one of the constants above), for counting
    kind: str = ""


@dataclass
class Collection:
    records: list[Record] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def user_template(ws: Workspace) -> jinja2.Template:
    """The workspace's user template (``[export] user_template``), else the shipped one."""
    configured = ws.config.export.user_template
    path = Path(configured) if configured else DEFAULT_USER_TEMPLATE
    if configured and not path.is_absolute():
        path = ws.root / path
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputFileError(path, f"cannot read the user template ({exc.strerror})",
                             advice="Fix [export] user_template in examkit.toml.") from exc
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False)
    try:
        return env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise InputFileError(path, f"template error: {exc.message}", line=exc.lineno) from exc


def analysis_of(revision: AnalysisRevision, settings: Settings) -> Analysis:
    """The structured analysis of a revision: its stored sheet, else its text parsed."""
    if revision.sheet is not None:
        try:
            return Analysis.model_validate(revision.sheet, context={"lenient": True})
        except ValidationError:
            pass  # an older sheet layout: the text is the truth then
    return parse(revision.text, stop_marker=settings.stop_marker)


def collect_records(ws: Workspace, *, system: str | None = None, include_unreviewed: bool = False) -> Collection:
    """Every student document's record, and the documents left out with the reason.

    ``include_unreviewed``: take documents with unconfirmed pages too (their records are marked
    :attr:`Record.ocr_only`)."""
    settings = settings_from(ws.config.analysis, ws.root)
    template = user_template(ws)
    system_prompt = ws.config.export.system_prompt if system is None else system
    result = Collection()
    task_texts: dict[str, str | None] = {}
    task_pages: dict[str, list[PageConfirmation]] = {}
    for doc in ws.documents.list(kind="student"):
        if doc.exam not in task_texts:
            task_texts[doc.exam] = _task_text(ws, doc.exam)
            task = ws.documents.task_sheet(doc.exam)
            task_pages[doc.exam] = document_confirmation(ws, task.id) if task else []
            if task_texts[doc.exam] is None and doc.exam and not doc.exam.startswith(IMPORT_EXAM_PREFIX):
                result.warnings.append(f"exam {doc.exam!r} has no task sheet: its prompts hold the answers only")
        built = _record(ws, doc, settings, template, system_prompt, task_texts[doc.exam] or "",
                        task_pages[doc.exam], include_unreviewed)
        if isinstance(built, Skipped):
            result.skipped.append(built)
        else:
            result.records.append(built)
    return result


def answer_text(ws: Workspace, doc: Document) -> str | None:
    """The student's best text (reviewed where a person corrected it), pages joined; None if empty."""
    answer = ws.revisions.document_text(doc.id)
    if not answer or not answer.strip():
        return None
    return answer.replace("\f", PAGE_BREAK).strip()


def user_prompt(ws: Workspace, doc: Document, answer: str, *, template: jinja2.Template | None = None,
                task_sheet: str | None = None) -> str:
    """The user message of a document's record: the template over its task sheet and answer."""
    template = template or user_template(ws)
    if task_sheet is None:
        task_sheet = _task_text(ws, doc.exam) or ""
    return template.render(task_sheet=task_sheet, answer=answer, exam=doc.exam, document_id=doc.id,
                           verbatim=doc.exam.startswith(IMPORT_EXAM_PREFIX)).strip()


def prompt_messages(ws: Workspace, document_id: str) -> list[dict[str, str]]:
    """The system and user messages a training record of this document has (drafts and eval send
    exactly these, so a tuned model sees what it was trained on)."""
    doc = ws.documents.get(document_id)
    if doc.kind != "student":
        raise UserInputError(f"{document_id} is a {doc.kind}, not a student's test", advice="Name a student document.")
    answer = answer_text(ws, doc)
    if answer is None:
        raise UserInputError(f"{document_id} has no text yet", advice="Scan it first: examkit ocr scan")
    return chat_example(ws.config.export.system_prompt, user_prompt(ws, doc, answer), "")["messages"][:-1]


def _task_text(ws: Workspace, exam: str) -> str | None:
    task = ws.documents.task_sheet(exam)
    if task is None:
        return None
    text = ws.revisions.document_text(task.id)
    return text.replace("\f", PAGE_BREAK).strip() if text else None


def _record(
    ws: Workspace, doc: Document, settings: Settings, template: jinja2.Template, system: str, task_sheet: str,
    task_pages: list[PageConfirmation], include_unreviewed: bool,
) -> Record | Skipped:
    revision = ws.revisions.latest_analysis(doc.id)
    if revision is None:
        drafts = ws.revisions.latest_analysis(doc.id, include_drafts=True)
        if drafts:
            return Skipped(doc.id, f"{ONLY_DRAFT} (save it in the review to use it)", ONLY_DRAFT)
        return Skipped(doc.id, NO_ANALYSIS, NO_ANALYSIS)
    answer = answer_text(ws, doc)
    if answer is None:
        return Skipped(doc.id, f"{NO_TEXT} (scan it with `examkit ocr scan`)", NO_TEXT)
    pages = document_confirmation(ws, doc.id)
    unreviewed = [c.number for c in pages if not c.confirmed]
    task_unreviewed = [c.number for c in task_pages if not c.confirmed]
    if unreviewed and not include_unreviewed:
        return Skipped(doc.id, f"{NOT_REVIEWED}: {_numbers(unreviewed)} (review them, or --include-unreviewed)",
                       NOT_REVIEWED)
    if task_unreviewed and not include_unreviewed:
        return Skipped(doc.id, f"{TASK_NOT_REVIEWED}: {_numbers(task_unreviewed)} of the task sheet of {doc.exam} "
                       "(review it, or --include-unreviewed)", TASK_NOT_REVIEWED)
    try:
        analysis = analysis_of(revision, settings)
    except AnalysisParseError as exc:
        return Skipped(doc.id, f"not-parsed: {exc.message}", NOT_PARSED)
    assistant = canonical_text(analysis, settings)
    texts = [assistant] if revision.sheet is not None else [revision.text, assistant]
    for text in texts:
        audit = audit_text(text, student_text=answer, scale=settings.scale, rounding=settings.rounding,
                           stop_marker=settings.stop_marker, source=doc.id)
        errors = [p for p in audit.problems if p.severity == "error"]
        if errors:
            return Skipped(doc.id, "; ".join(f"{p.code}: {p.message}" for p in errors), AUDIT_ERRORS)
    user = user_prompt(ws, doc, answer, template=template, task_sheet=task_sheet)
    trace = {"analysis_revision": revision.id, "pages": [c.trace() for c in pages],
             "task_sheet": [c.trace() for c in task_pages]}
    return Record(doc.id, doc.exam, system, user, assistant, trace=trace,
                  ocr_only=bool(unreviewed or task_unreviewed))


def _numbers(pages: list[int]) -> str:
    return ("page " if len(pages) == 1 else "pages ") + ", ".join(map(str, pages))
