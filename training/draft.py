"""``annotate draft``: the tuned model writes a Fehleranalyse for a new test, for the teacher to correct.

The model gets exactly the prompt a training record of this document would have (system prompt
and the user template over the task sheet and the student's text, as :mod:`export.records` builds
them), so it sees what it was trained on. Its answer is parsed; a readable answer is stored in the
canonical form with its structured sheet, an unreadable one as written (the teacher still sees
it). Either way it is a ``draft`` revision marked with the model's name: drafts never become
training data until a person saves a revision of their own.

Drafting lives in the training stage because it needs both the export stage's prompts and a
training backend's generator; the Fehleranalyse domain (``annotate/``) stays free of either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.parse import AnalysisParseError, parse_text
from annotate.sheets import canonical_text, settings_from
from examkit.errors import UserInputError
from export.records import prompt_messages

if TYPE_CHECKING:
    from examkit.models import AnalysisRevision
    from examkit.workspace import Workspace
    from training.backend import Generator


@dataclass(frozen=True)
class Draft:
    revision: AnalysisRevision
    parsed: bool
    problem: str | None  # why the answer could not be parsed


def draft(ws: Workspace, document_id: str, generator: Generator, *, model: str) -> Draft:
    """Ask the model for the document's analysis and store it as a draft revision."""
    settings = settings_from(ws.config.analysis, ws.root)
    answer = generator.generate(prompt_messages(ws, document_id), stop=settings.stop_marker)
    if not answer.strip():
        raise UserInputError(f"{model} returned an empty answer for {document_id}; nothing was stored")
    try:
        analysis = parse_text(answer, stop_marker=settings.stop_marker).analysis
    except AnalysisParseError as exc:
        revision = ws.revisions.add_analysis(document_id, answer, source="draft", model=model)
        return Draft(revision, False, exc.message)
    revision = ws.revisions.add_analysis(document_id, canonical_text(analysis, settings),
                                         sheet=analysis.model_dump(), source="draft", model=model)
    return Draft(revision, True, None)
