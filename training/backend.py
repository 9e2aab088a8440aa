"""The training backend interface: OpenAI jobs and local LoRA runs behind the same commands.

``examkit train start/status/watch/list/events/cancel`` and ``train eval`` talk to a backend object
chosen by ``--backend`` or ``examkit.toml``. Each backend records its jobs in the workspace
(``ws.runs.save_job``) so ``train list`` shows both kinds side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, Field

from examkit.runs import JobRecord


class TrainOptions(BaseModel):
    """What ``train start`` passes to a backend. Backends ignore what does not apply to them."""

    train_file: Path
    validation_file: Path | None = None
    model: str | None = Field(None, description="OpenAI: base model to fine-tune")
    base_model: str | None = Field(None, description="local: Hugging Face id or path of the base model")
    epochs: int | None = None
    batch_size: int | None = None
    learning_rate_multiplier: float | None = None
    suffix: str | None = None
    seed: int | None = None
    lora_r: int | None = None
    max_length: int | None = None
    output: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


class JobEvent(BaseModel):
    """One line of progress: a message, and metrics where the backend has them."""

    created_at: str = ""
    level: str = "info"
    message: str
    step: int | None = None
    train_loss: float | None = None
    valid_loss: float | None = None


class Backend(Protocol):
    name: str

    def usable(self) -> tuple[bool, str]:
        """Whether this backend can run here, and a sentence saying why or what is missing."""

    def start(self, options: TrainOptions) -> JobRecord:
        """Start a job (OpenAI) or run training (local); record it in the workspace; return it."""

    def status(self, job_id: str) -> JobRecord:
        """Refresh and return a job's record."""

    def events(self, job_id: str) -> Iterator[JobEvent]:
        """The job's events, oldest first."""

    def cancel(self, job_id: str) -> JobRecord:
        """Cancel a running job."""


class Generator(Protocol):
    """Writes answers with a (tuned) model: used by ``train eval`` and ``annotate draft``."""

    def generate(self, messages: list[dict[str, str]], *, stop: str | None, max_tokens: int = 2048) -> str:
        """The assistant's answer to chat ``messages`` (temperature 0 / greedy)."""
