"""The ``openai`` backend: fine-tuning jobs through the official SDK.

A file is uploaded once per content hash and endpoint (the workspace remembers the file id; a
remembered id the service no longer knows is uploaded again). Jobs are created in the SDK's
current form, ``method={"type": "supervised", "supervised": {"hyperparameters": {...}}}`` with
only the hyperparameters the user gave, so the service's own defaults (its epoch rule) apply to
the rest. Every job is recorded in the workspace so ``train status`` without an id means the
newest. :func:`job_request` builds the request body without touching the network, so
``train start --dry-run`` prints exactly what would be sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from examkit.errors import UserInputError
from examkit.files import sha256_file
from examkit.openai_finetuning import MIN_EXAMPLES
from examkit.runs import JobRecord
from examkit.service_client import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    KEY_ADVICE,
    api_errors,
    has_key,
    is_openai,
    make_client,
    resolve_base_url,
)
from training.backend import Backend, JobEvent, PlannedFile, TrainOptions
from training.openai_generator import OpenAIGenerator

if TYPE_CHECKING:
    import openai

    from examkit.workspace import Workspace

PURPOSE: Literal["fine-tune"] = "fine-tune"


class OpenAIOptions(BaseModel):
    """``train start`` options of OpenAI-compatible fine-tuning services (their hyperparameters)."""

    model_config = ConfigDict(extra="forbid")

    batch_size: int | None = Field(None, ge=1)
    learning_rate_multiplier: float | None = Field(None, gt=0)
    suffix: str | None = Field(None, description="part of the tuned model's name")


def hyperparameters(options: TrainOptions, settings: OpenAIOptions) -> dict[str, Any]:
    """Only the hyperparameters that were given; the service picks the others."""
    given = {"n_epochs": options.epochs, "batch_size": settings.batch_size,
             "learning_rate_multiplier": settings.learning_rate_multiplier}
    return {key: value for key, value in given.items() if value is not None}


def job_request(options: TrainOptions, settings: OpenAIOptions, *, model: str, training_file: str, validation_file: str | None,
                metadata: dict[str, str]) -> dict[str, Any]:
    """The body of ``POST /fine_tuning/jobs`` (keyword arguments of ``client.fine_tuning.jobs.create``)."""
    body: dict[str, Any] = {"model": model, "training_file": training_file}
    if validation_file:
        body["validation_file"] = validation_file
    if settings.suffix:
        body["suffix"] = settings.suffix
    if options.seed is not None:
        body["seed"] = options.seed
    body["metadata"] = metadata
    body["method"] = {"type": "supervised", "supervised": {"hyperparameters": hyperparameters(options, settings)}}
    return body


def export_metadata(ws: Workspace, path: Path, sha256: str, n_examples: int | None = None) -> dict[str, str]:
    """Metadata naming the export a training file came from (strings of at most 512 characters)."""
    meta = {"examkit_file": path.name[:512], "examkit_sha256": sha256}
    if n_examples is not None:
        meta["examkit_examples"] = str(n_examples)
    made = [e for e in ws.runs.exports() if e.get("sha256") == sha256]
    if made:
        meta["examkit_export"] = f"{made[-1]['path']} ({made[-1]['format']}, {made[-1]['created_at']})"[:512]
    return meta


def job_record(ws: Workspace, job: Any, endpoint: str, extra: dict[str, Any] | None = None, *,
               backend: str = "openai") -> JobRecord:
    """Save the SDK's ``FineTuningJob`` in the workspace (keeping what was recorded before)."""
    try:
        previous = ws.runs.job(job.id).data
    except UserInputError:
        previous = {}
    error = job.error.model_dump() if job.error is not None and job.error.message else None
    data = {**previous, **(extra or {}), "endpoint": endpoint, "training_file": job.training_file,
            "validation_file": job.validation_file, "trained_tokens": job.trained_tokens, "error": error,
            "hyperparameters": job.hyperparameters.model_dump() if job.hyperparameters else None}
    return ws.runs.save_job(job.id, backend=backend, model=job.model, status=job.status,
                            result_model=job.fine_tuned_model, data=data)


def to_event(event: Any) -> JobEvent:
    data = event.data if isinstance(event.data, dict) else {}
    step = data.get("step")
    valid = data.get("valid_loss", data.get("full_valid_loss"))
    return JobEvent(created_at=str(event.created_at), level=event.level, message=event.message,
                    step=int(step) if step is not None else None, train_loss=data.get("train_loss"),
                    valid_loss=valid)


class OpenAIBackend(Backend):
    """Fine-tuning on OpenAI or a compatible service (``base_url``).

    A compatible service with its own name is a subclass that sets ``name``, ``needs`` and, where
    they differ, ``default_base_url`` and ``min_examples``.
    """

    name = "openai"
    needs = "OPENAI_API_KEY (and OPENAI_BASE_URL or --base-url for a compatible service)"
    Options = OpenAIOptions
    min_examples = MIN_EXAMPLES
    #: The endpoint when neither --base-url, $OPENAI_BASE_URL nor [train] base_url names one.
    default_base_url: str | None = None

    def __init__(self, ws: Workspace, *, base_url: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        super().__init__(ws)
        self.endpoint: str = resolve_base_url(base_url, ws.config.train.base_url or self.default_base_url)
        self.timeout = timeout
        self.max_retries = max_retries

    @cached_property
    def client(self) -> openai.OpenAI:
        return make_client(self.endpoint, timeout=self.timeout, max_retries=self.max_retries)

    def usable(self) -> tuple[bool, str]:
        if has_key():
            return True, f"OPENAI_API_KEY is set; endpoint {self.endpoint}"
        if not is_openai(self.endpoint):
            return True, f"endpoint {self.endpoint} (no OPENAI_API_KEY set; fine for servers that need none)"
        return False, f"OPENAI_API_KEY is not set. {KEY_ADVICE}"

    # -- planning ----------------------------------------------------------------------------------
    def model(self, options: TrainOptions) -> str:
        return options.model or self.ws.config.train.model

    def request(self, options: TrainOptions, *, model: str, files: list[PlannedFile]) -> dict[str, Any]:
        """The job request as it would be sent, with placeholders for files not uploaded yet."""
        ids = {f.role: f.file_id or f"<file id of {Path(f.path).name} after upload>" for f in files}
        meta = export_metadata(self.ws, options.train_file, files[0].sha256, files[0].examples)
        return job_request(options, self.settings(options), model=model, training_file=ids["training"], validation_file=ids.get("validation"),
                           metadata=meta)

    def cost(self, summary: dict[str, Any], lines: list[str]) -> dict[str, Any]:
        keys = ("encoding", "exact_tokens", "billed_tokens_per_epoch", "epochs", "billed_tokens",
                "price_per_million_usd", "prices_date", "cost_usd")
        return {**{key: summary[key] for key in keys}, "lines": lines[:3]}

    def generator(self, model: str, *, timeout: float = DEFAULT_TIMEOUT,
                  max_retries: int = DEFAULT_MAX_RETRIES) -> OpenAIGenerator:
        return OpenAIGenerator(model, base_url=self.endpoint, timeout=timeout, max_retries=max_retries)

    # -- files -------------------------------------------------------------------------------------
    def known_upload(self, sha256: str) -> str | None:
        """The file id this content was uploaded as to this endpoint (no network call)."""
        return self.ws.runs.find_upload(sha256, self.endpoint)

    def upload(self, path: Path, sha256: str | None = None) -> tuple[str, bool]:
        """The file id of ``path`` on the service, uploading it only if needed; True if it was uploaded now."""
        import openai

        sha256 = sha256 or sha256_file(path)
        known = self.known_upload(sha256)
        if known:
            with api_errors(f"checking the upload of {path.name}", base_url=self.endpoint):
                try:
                    found = self.client.files.retrieve(known)
                except openai.NotFoundError:  # deleted, or another account: upload again
                    found = None
            if found is not None and found.status != "error":
                return known, False
        with api_errors(f"uploading {path}", base_url=self.endpoint, file=path):
            created = self.client.files.create(file=(path.name, path.read_bytes()), purpose=PURPOSE)
        self.ws.runs.record_upload(sha256, self.endpoint, created.id, path.name)
        return created.id, True

    # -- jobs --------------------------------------------------------------------------------------
    def start(self, options: TrainOptions) -> JobRecord:
        """Upload what is not there yet, create the job, record it."""
        model = options.model or self.ws.config.train.model
        train_sha = sha256_file(options.train_file)
        train_id, _ = self.upload(options.train_file, train_sha)
        valid_id = self.upload(options.validation_file)[0] if options.validation_file else None
        examples = sum(1 for line in options.train_file.read_bytes().splitlines() if line.strip())
        metadata = export_metadata(self.ws, options.train_file, train_sha, examples)
        body = job_request(options, self.settings(options), model=model, training_file=train_id, validation_file=valid_id, metadata=metadata)
        with api_errors(f"creating the fine-tuning job for {options.train_file}", base_url=self.endpoint,
                        file=options.train_file):
            job = self.client.fine_tuning.jobs.create(**body)
        return job_record(self.ws, job, self.endpoint, {"train_path": str(options.train_file), "train_sha256": train_sha},
                          backend=self.name)

    def status(self, job_id: str) -> JobRecord:
        with api_errors(f"reading job {job_id}", base_url=self.endpoint):
            job = self.client.fine_tuning.jobs.retrieve(job_id)
        return job_record(self.ws, job, self.endpoint, backend=self.name)

    def events(self, job_id: str) -> Iterator[JobEvent]:
        """All events, oldest first (the API lists newest first)."""
        with api_errors(f"reading the events of job {job_id}", base_url=self.endpoint):
            events = list(self.client.fine_tuning.jobs.list_events(job_id, limit=100))
        return iter([to_event(e) for e in reversed(events)])

    def cancel(self, job_id: str) -> JobRecord:
        with api_errors(f"cancelling job {job_id}", base_url=self.endpoint):
            job = self.client.fine_tuning.jobs.cancel(job_id)
        return job_record(self.ws, job, self.endpoint, backend=self.name)

    def checkpoints(self, job_id: str) -> list[dict[str, Any]]:
        """The job's checkpoints, newest first: step, usable model name, metrics."""
        with api_errors(f"reading the checkpoints of job {job_id}", base_url=self.endpoint):
            found = list(self.client.fine_tuning.jobs.checkpoints.list(job_id, limit=100))
        return [{"step": c.step_number, "model": c.fine_tuned_model_checkpoint,
                 "metrics": c.metrics.model_dump(exclude_none=True), "created_at": c.created_at} for c in found]

    def remote_jobs(self, limit: int = 20) -> list[JobRecord]:
        """The organization's newest jobs on the service, recorded in this workspace too."""
        with api_errors("listing fine-tuning jobs", base_url=self.endpoint):
            found = list(self.client.fine_tuning.jobs.list(limit=limit))[:limit]
        return [job_record(self.ws, job, self.endpoint, backend=self.name) for job in found]
