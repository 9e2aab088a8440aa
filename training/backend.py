"""The training backend interface: OpenAI jobs and local LoRA runs behind the same commands.

``examkit train start/status/watch/list/events/cancel/checkpoints``, ``train eval`` and ``annotate
draft`` talk to a :class:`Backend` chosen by ``--backend`` or ``[train] backend`` in examkit.toml,
from the registry in ``training/backends.py``. The base class names everything a backend is asked,
optional capabilities included (their defaults say clearly that this backend lacks them), so no
caller tests for a backend's name or probes it with ``hasattr``. Each backend records its jobs in
the workspace (``ws.runs.save_job``) so ``train list`` shows every kind side by side.

Adding a backend (for example another OpenAI-compatible fine-tuning service) is one module with a
subclass of :class:`Backend` (or of ``training.openai_backend.OpenAIBackend``) and one line in
``training/backends.py``; see ``docs/architecture.md``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from examkit.errors import UserInputError
from examkit.options import NoOptions, owned_options
from examkit.runs import JobRecord

if TYPE_CHECKING:
    from examkit.workspace import Workspace


class TrainOptions(BaseModel):
    """What ``train start`` passes to every backend; its own hyperparameters are ``settings``.

    ``settings`` is an instance of the backend's ``Options`` model (``-o key=value`` and the named
    flags such as ``--batch-size``, checked by :func:`backend_settings`): a backend reads only
    options it declared, and an option it lacks is refused, never silently ignored.
    """

    model_config = ConfigDict(extra="forbid")

    train_file: Path
    validation_file: Path | None = None
    model: str | None = Field(None, description="the model to fine-tune (default: the workspace's)")
    epochs: int | None = None
    seed: int | None = None
    settings: SerializeAsAny[BaseModel] = Field(default_factory=NoOptions)


class JobEvent(BaseModel):
    """One line of progress: a message, and metrics where the backend has them."""

    created_at: str = ""
    level: str = "info"
    message: str
    step: int | None = None
    train_loss: float | None = None
    valid_loss: float | None = None


@dataclass
class PlannedFile:
    """A file of a plan: what validation counted, and the id it already has at the service."""

    role: str  # "training" or "validation"
    path: str
    sha256: str
    examples: int
    tokens: int
    file_id: str | None = None  # already uploaded to this endpoint as


class Generator(Protocol):
    """Writes answers with a (tuned) model: used by ``train eval`` and ``annotate draft``."""

    def generate(self, messages: list[dict[str, str]], *, stop: str | None, max_tokens: int = 2048) -> str:
        """The assistant's answer to chat ``messages`` (temperature 0 / greedy)."""


class Backend(ABC):
    """One way to fine-tune. Subclasses are built as ``Backend(ws, base_url=...)``."""

    #: The name in ``--backend``, ``[train] backend`` and every job record.
    name: ClassVar[str]
    #: What it needs in general (``train backends`` shows it beside "usable here?").
    needs: ClassVar[str]
    #: The fewest examples a training file must have (a validation file may have fewer).
    min_examples: ClassVar[int] = 1
    #: Where training data and prompts go; None: they stay on this machine.
    endpoint: str | None = None
    #: Its own hyperparameters and settings (``-o key=value`` on ``train start``).
    Options: ClassVar[type[BaseModel]] = NoOptions
    #: Commands of its own on the ``train`` group: name -> ``"module:function"`` (imported when mounted).
    commands: ClassVar[dict[str, str]] = {}

    def __init__(self, ws: Workspace, *, base_url: str | None = None) -> None:
        self.ws = ws

    def settings(self, options: TrainOptions) -> Any:
        """``options.settings`` as this backend's ``Options`` (its defaults where none were given)."""
        given = options.settings
        return given if isinstance(given, self.Options) else self.Options.model_validate(given.model_dump())

    @abstractmethod
    def usable(self) -> tuple[bool, str]:
        """Whether this backend can run here, and a sentence saying why or what is missing."""

    # -- planning (no network, no training) ------------------------------------------------------
    @abstractmethod
    def model(self, options: TrainOptions) -> str:
        """The model that would be fine-tuned: the options' choice, else the workspace's default."""

    def counting_model(self, model: str) -> str:
        """The model whose tokenizer counts the plan's tokens (the trained model itself by default)."""
        return model

    def known_upload(self, sha256: str) -> str | None:
        """The id this content already has at the service (no network call); None: not sent yet."""
        return None

    def request(self, options: TrainOptions, *, model: str, files: list[PlannedFile]) -> dict[str, Any]:
        """What starting would send or run (shown by ``train start --dry-run``): the shared options and
        this backend's own, side by side."""
        shared = options.model_dump(mode="json", exclude_none=True, exclude={"settings"})
        return shared | self.settings(options).model_dump(mode="json", exclude_none=True)

    def cost(self, summary: dict[str, Any], lines: list[str]) -> dict[str, Any]:
        """The plan's cost from the validation summary of the training file (its figures, its lines)."""
        return {"note": f"{self.name} training: no service cost"}

    # -- jobs ------------------------------------------------------------------------------------
    @abstractmethod
    def start(self, options: TrainOptions) -> JobRecord:
        """Start a job (a service) or run training (local); record it in the workspace; return it."""

    @abstractmethod
    def status(self, job_id: str) -> JobRecord:
        """Refresh and return a job's record."""

    @abstractmethod
    def events(self, job_id: str) -> Iterator[JobEvent]:
        """The job's events, oldest first."""

    @abstractmethod
    def cancel(self, job_id: str) -> JobRecord:
        """Cancel a running job."""

    def checkpoints(self, job_id: str) -> list[dict[str, Any]]:
        """The job's checkpoints, newest first: step, usable model name, metrics (optional)."""
        raise UserInputError(f"the {self.name} backend has no checkpoints to list for job {job_id}")

    def remote_jobs(self, limit: int = 20) -> list[JobRecord]:
        """The account's newest jobs at the service, recorded in this workspace too (optional)."""
        raise UserInputError(f"the {self.name} backend has no jobs outside this workspace",
                             advice="Use --backend with a service backend.")

    # -- answers ---------------------------------------------------------------------------------
    @abstractmethod
    def generator(self, model: str, *, timeout: float, max_retries: int) -> Generator:
        """A generator for ``model`` (a tuned model's name, a local run id or path)."""


def backend_settings(cls: type[Backend], given: dict[str, Any]) -> BaseModel:
    """The backend's ``Options`` from the command's options; one line for an option it lacks."""
    return owned_options(cls.Options, f"{cls.name} backend", {}, given, file_place="examkit.toml",
                         choose="--backend NAME")
