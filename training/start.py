"""``train start``: validate, plan, then hand the job to a backend.

Nothing is sent before the files pass the export validation (a broken file must not cost money or
a queue slot). The plan — files, hashes, examples, tokens, estimated cost and the exact request —
is built without any network call, so ``--dry-run`` shows it and stops there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examkit.errors import InputFileError
from examkit.files import sha256_file
from export.pipeline import validation_options
from export.validate import Options, Report, validate_file
from training.backend import Backend, TrainOptions
from training.openai_backend import OpenAIBackend, export_metadata, job_request

if TYPE_CHECKING:
    from examkit.workspace import Workspace


@dataclass
class PlannedFile:
    role: str
    path: str
    sha256: str
    examples: int
    tokens: int
    file_id: str | None = None  # already uploaded to this endpoint as


@dataclass
class Plan:
    backend: str
    endpoint: str | None
    model: str
    files: list[PlannedFile]
    cost: dict[str, Any]
    request: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _options(ws: Workspace, model: str, *, backend: str, epochs: int | None, role: str) -> Options:
    """The export validation exactly as ``export validate`` runs it in this workspace.

    OpenAI's minimum of 10 examples binds the training file of an OpenAI job only: a validation
    file may be small (the export's grouped split often leaves a handful), and a local run has no
    such rule.
    """
    options = validation_options(ws.config, ws.root, model=model, epochs=epochs)
    if backend != "openai" or role != "training":
        options.min_examples = 1
    return options


def validate(ws: Workspace, path: Path, *, model: str, backend: str, epochs: int | None = None,
             role: str = "training") -> Report:
    """The validation report of a training (or validation) file; its first error stops the start."""
    report = validate_file(path, _options(ws, model, backend=backend, epochs=epochs, role=role))
    errors = report.errors()
    if errors:
        first = errors[0]
        more = f" ({len(errors)} errors in all)" if len(errors) > 1 else ""
        raise InputFileError(path, f"{first.code}: {first.message}{more}", line=first.line,
                             advice=f"Nothing was sent. See all problems with: examkit export validate {path}")
    return report


def plan(ws: Workspace, backend: Backend, options: TrainOptions) -> Plan:
    """Validate the files and describe what starting would do — no network call."""
    openai = isinstance(backend, OpenAIBackend)
    model = (options.model or ws.config.train.model) if openai else (options.base_model or ws.config.train.base_model or "")
    count_model = model if openai else ws.config.export.target_model
    files: list[PlannedFile] = []
    warnings: list[str] = []
    cost: dict[str, Any] = {}
    for role, path in (("training", options.train_file), ("validation", options.validation_file)):
        if path is None:
            continue
        report = validate(ws, path, model=count_model, backend=backend.name, epochs=options.epochs, role=role)
        summary = report.summary()
        warnings += [f"{p.where()}: {p.code}: {p.message}" for p in report.problems if p.severity != "error"]
        sha = sha256_file(path)
        known = backend.known_upload(sha) if openai else None
        files.append(PlannedFile(role, str(path), sha, report.n_examples, summary["total_tokens"], known))
        if role == "training":
            cost = {key: summary[key] for key in ("encoding", "exact_tokens", "billed_tokens_per_epoch", "epochs",
                                                  "billed_tokens", "price_per_million_usd", "prices_date", "cost_usd")}
            cost["lines"] = report.summary_lines()[:3]
    if openai:
        ids = {f.role: f.file_id or f"<file id of {Path(f.path).name} after upload>" for f in files}
        meta = export_metadata(ws, options.train_file, files[0].sha256, files[0].examples)
        request = job_request(options, model=model, training_file=ids["training"],
                              validation_file=ids.get("validation"), metadata=meta)
        endpoint: str | None = backend.endpoint
    else:
        request = options.model_dump(mode="json", exclude_none=True)
        endpoint = None
        cost = {"note": "local training: no service cost"}
    return Plan(backend.name, endpoint, model, files, cost, request, warnings)


def start(ws: Workspace, backend: Backend, options: TrainOptions) -> tuple[Plan, Any]:
    """Validate, then start the job; returns the plan and the backend's job record."""
    made = plan(ws, backend, options)
    return made, backend.start(options)
