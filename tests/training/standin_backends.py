"""Two stand-in training backends, each the whole of what a new backend needs: this module and one
line in ``training/backends.py`` (the tests add the line with ``monkeypatch.setitem``).

- ``CompatBackend``: another OpenAI-compatible fine-tuning service under its own name;
- ``NotebookBackend``: a backend written from :class:`training.backend.Backend` alone, whose
  "training" and answers happen in this process, with hyperparameters of its own (``-o``) and a
  command of its own (``train notebook-info``).
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from examkit.console import out
from examkit.runs import JobRecord
from training.backend import Backend, JobEvent, TrainOptions
from training.openai_backend import OpenAIBackend

NOTEBOOK_ANSWER = "Fehleranalyse:\n\tA (8 von 8 Punkte)"


class CompatBackend(OpenAIBackend):
    name = "compat"
    needs = "OPENAI_API_KEY for the compat service"
    default_base_url = "https://fine-tune.example.invalid/v1"
    min_examples = 5


class NotebookGenerator:
    def generate(self, messages: list[dict[str, str]], *, stop: str | None, max_tokens: int = 2048) -> str:
        return NOTEBOOK_ANSWER


class NotebookOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pages: int = Field(1, ge=1, description="notebook pages to fill")
    ink: str = "blue"


def notebook_info() -> None:
    """What the notebook backend writes with."""
    out("a notebook and a pen")


class NotebookBackend(Backend):
    name = "notebook"
    needs = "nothing"
    Options = NotebookOptions
    commands = {"notebook-info": "tests.training.standin_backends:notebook_info"}

    def usable(self) -> tuple[bool, str]:
        return True, "always"

    def model(self, options: TrainOptions) -> str:
        return options.model or "notebook-base"

    def start(self, options: TrainOptions) -> JobRecord:
        settings = self.settings(options)
        return self.ws.runs.save_job("nb-1", backend=self.name, model=self.model(options), status="succeeded",
                                     result_model="notebook-tuned", data={"train_path": str(options.train_file),
                                                                          "pages": settings.pages, "ink": settings.ink})

    def status(self, job_id: str) -> JobRecord:
        return self.ws.runs.job(job_id)

    def events(self, job_id: str) -> Iterator[JobEvent]:
        return iter([JobEvent(message="trained in a notebook")])

    def cancel(self, job_id: str) -> JobRecord:
        return self.status(job_id)

    def generator(self, model: str, *, timeout: float, max_retries: int) -> NotebookGenerator:
        return NotebookGenerator()
