"""The ``local`` training backend: LoRA runs on this machine, recorded beside OpenAI jobs.

``start`` trains in the calling process and returns when training ends (there is no queue: the
machine is the queue). ``status`` reads the run's record and notices a run whose process died;
``cancel`` leaves a ``CANCEL`` file that the running training sees after its current step.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from examkit.clock import now
from examkit.errors import UserInputError
from examkit.runs import JobRecord
from training.backend import Backend, JobEvent, TrainOptions
from training.local import deps
from training.local.rundir import find_run, process_alive

if TYPE_CHECKING:
    from examkit.workspace import Workspace
    from training.local.generate import LocalGenerator

FINISHED = {"succeeded", "failed", "cancelled"}


class LocalOptions(BaseModel):
    """``train start --backend local`` options: the base model and the LoRA run's hyperparameters."""

    model_config = ConfigDict(extra="forbid")

    base_model: str | None = Field(None, description="Hugging Face id or path of the base model")
    lora_r: int | None = Field(None, ge=1, description="LoRA rank (default 16)")
    lora_alpha: int | None = Field(None, ge=1, description="default: twice the rank")
    lora_dropout: float = Field(0.05, ge=0, lt=1)
    max_length: int | None = Field(None, ge=16, description="tokens per example (default 4096)")
    output: str | None = Field(None, description="name of the run folder")
    batch_size: int | None = Field(None, ge=1, description="examples per optimizer step (default 4)")
    micro_batch_size: int | None = Field(None, ge=1, description="examples per forward pass")
    learning_rate: float | None = Field(None, gt=0)
    learning_rate_multiplier: float | None = Field(None, gt=0)
    target_modules: str = "all-linear"
    qlora: bool = Field(True, description="4-bit base weights on a GPU that needs them")


class LocalBackend(Backend):
    """LoRA fine-tuning of an open-weights model on this machine: nothing is sent anywhere."""

    name = "local"
    needs = 'pip install -e ".[local]" (torch, transformers, peft, trl); a GPU makes it practical'
    Options = LocalOptions
    commands = {"merge": "training.local.cli:merge"}

    def __init__(self, ws: Workspace, *, base_url: str | None = None) -> None:
        super().__init__(ws)  # base_url: nothing is sent anywhere

    def usable(self) -> tuple[bool, str]:
        return deps.usable()

    def model(self, options: TrainOptions) -> str:
        return self.settings(options).base_model or self.ws.config.train.base_model or ""

    def counting_model(self, model: str) -> str:
        """The base model's own tokenizer is not loaded for a plan: counts use the export's target model."""
        return self.ws.config.export.target_model

    def generator(self, model: str, *, timeout: float = 0, max_retries: int = 0) -> LocalGenerator:
        from training.local.generate import LocalGenerator

        return LocalGenerator(model, self.ws)

    def checkpoints(self, job_id: str) -> list[dict[str, Any]]:
        raise UserInputError(f"job {job_id} is a local run: its checkpoints are in its run folder")

    def start(self, options: TrainOptions) -> JobRecord:
        from training.local.train import train

        return train(self.ws, options, self.settings(options))

    def status(self, job_id: str) -> JobRecord:
        job = self._job(job_id)
        if job.status == "running":
            info = find_run(self.ws, job_id).read()
            if info.get("pid") and info.get("host") == socket.gethostname() and not process_alive(int(info["pid"])):
                return self._finish(job_id, "failed", "the training process ended without finishing (killed or crashed)")
        return job

    def events(self, job_id: str) -> Iterator[JobEvent]:
        self._job(job_id)
        path = find_run(self.ws, job_id).events
        if not path.is_file():
            return
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield JobEvent(**json.loads(line))

    def cancel(self, job_id: str) -> JobRecord:
        job = self.status(job_id)
        if job.status in FINISHED:
            return job
        find_run(self.ws, job_id).cancel_flag.write_text(now() + "\n", encoding="utf-8")
        return job

    def _job(self, job_id: str) -> JobRecord:
        job = self.ws.runs.job(job_id)
        if job.backend != self.name:
            raise UserInputError(f"job {job_id!r} belongs to the {job.backend} backend, not the local one")
        return job

    def _finish(self, job_id: str, status: str, error: str) -> JobRecord:
        run = find_run(self.ws, job_id)
        info = run.read() | {"status": status, "error": error, "finished_at": now()}
        run.write(info)
        return self.ws.runs.save_job(job_id, backend=self.name, model=info["base_model"], status=status, data=info)
