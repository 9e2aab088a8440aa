"""``examkit annotate draft DOCUMENT-ID --model NAME``: registered on the ``annotate`` group by training.cli.register."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from examkit.cli_common import WorkspaceOpt, open_workspace
from examkit.console import note, out, warn
from training.cli import BackendOpt


def draft(
    document_id: Annotated[str, typer.Argument(metavar="DOCUMENT-ID", help="e.g. LK-Neuzeit-2023/mueller-anna")],
    model: Annotated[str, typer.Option("--model", help="Tuned model name (openai) or local run id / model folder (local).")],
    backend: BackendOpt = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="OpenAI-compatible endpoint.")] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Let the tuned model draft a document's Fehleranalyse; stored as a draft revision for the teacher to correct.

    Prints the stored text. Drafts never count as training data until a person saves the analysis.

    Example: examkit annotate draft LK-Neuzeit-2023/mueller-anna --model ft:gpt-4o-mini-2024-07-18:org::abc
    """
    from training.backends import get_generator
    from training.draft import draft as make_draft

    with open_workspace(workspace) as ws:
        result = make_draft(ws, document_id, get_generator(ws, model, backend, base_url=base_url), model=model)
    if not result.parsed:
        warn(f"the answer is not a readable Fehleranalyse ({result.problem}); stored as written")
    note(f"stored draft revision {result.revision.id} of {document_id} (review it with `examkit review serve`)")
    out(result.revision.text)
