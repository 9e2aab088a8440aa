"""Training records from the workspace: one per student document with a teacher's analysis.

A record is what the model sees and what it must answer: the system prompt of the workspace, a
user message made from a Jinja2 template over the exam's task sheet and the student's answer (the
reviewed text where a person corrected the OCR), and the canonical Fehleranalyse with the stop
marker as the assistant's answer. Drafts written by a model never become training data, and
neither does an analysis that fails the audit: such documents are left out and listed with the
reason, so a teacher knows what to fix (``--strict`` turns that list into an error).
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

    @property
    def student(self) -> str:
        """Who wrote it: the document's name within its exam (the same across exams)."""
        return self.document_id.rsplit("/", 1)[-1]

    def chat(self) -> dict[str, Any]:
        return chat_example(self.system, self.user, self.assistant)

    def prompt_completion(self) -> dict[str, str]:
        return prompt_completion(self.user, self.assistant)


@dataclass(frozen=True)
class Skipped:
    document_id: str
    reason: str


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


def collect_records(ws: Workspace, *, system: str | None = None) -> Collection:
    """Every student document's record, and the documents left out with the reason."""
    settings = settings_from(ws.config.analysis, ws.root)
    template = user_template(ws)
    system_prompt = ws.config.export.system_prompt if system is None else system
    result = Collection()
    task_texts: dict[str, str | None] = {}
    for doc in ws.documents.list(kind="student"):
        if doc.exam not in task_texts:
            task_texts[doc.exam] = _task_text(ws, doc.exam)
            if task_texts[doc.exam] is None and doc.exam and not doc.exam.startswith(IMPORT_EXAM_PREFIX):
                result.warnings.append(f"exam {doc.exam!r} has no task sheet: its prompts hold the answers only")
        built = _record(ws, doc, settings, template, system_prompt, task_texts[doc.exam] or "")
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
    ws: Workspace, doc: Document, settings: Settings, template: jinja2.Template, system: str, task_sheet: str
) -> Record | Skipped:
    revision = ws.revisions.latest_analysis(doc.id)
    if revision is None:
        drafts = ws.revisions.latest_analysis(doc.id, include_drafts=True)
        why = "only a machine draft of the analysis (save it in the review to use it)" if drafts else "no analysis"
        return Skipped(doc.id, why)
    answer = answer_text(ws, doc)
    if answer is None:
        return Skipped(doc.id, "no student text (scan it with `examkit ocr scan`)")
    try:
        analysis = analysis_of(revision, settings)
    except AnalysisParseError as exc:
        return Skipped(doc.id, f"not-parsed: {exc.message}")
    assistant = canonical_text(analysis, settings)
    texts = [assistant] if revision.sheet is not None else [revision.text, assistant]
    for text in texts:
        audit = audit_text(text, student_text=answer, scale=settings.scale, rounding=settings.rounding,
                           stop_marker=settings.stop_marker, source=doc.id)
        errors = [p for p in audit.problems if p.severity == "error"]
        if errors:
            return Skipped(doc.id, "; ".join(f"{p.code}: {p.message}" for p in errors))
    user = user_prompt(ws, doc, answer, template=template, task_sheet=task_sheet)
    return Record(doc.id, doc.exam, system, user, assistant)
