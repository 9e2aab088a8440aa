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
from export.validate import Options, Report, Role, validate_file
from training.backend import Backend, PlannedFile, TrainOptions

if TYPE_CHECKING:
    from examkit.workspace import Workspace


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


def _options(ws: Workspace, model: str, *, min_examples: int, epochs: int | None, role: Role) -> Options:
    """The export validation exactly as ``export validate`` runs it in this workspace.

    The backend's minimum (OpenAI's 10 examples) binds the training file only: a validation file
    may be small (the export's grouped split often leaves a handful).
    """
    options = validation_options(ws.config, ws.root, model=model, epochs=epochs, role=role)
    options.min_examples = min_examples if role == "training" else 1
    return options


def validate(ws: Workspace, path: Path, *, model: str, min_examples: int, epochs: int | None = None,
             role: Role = "training") -> Report:
    """The validation report of a training (or validation) file; its first error stops the start."""
    report = validate_file(path, _options(ws, model, min_examples=min_examples, epochs=epochs, role=role))
    errors = report.errors()
    if errors:
        first = errors[0]
        more = f" ({len(errors)} errors in all)" if len(errors) > 1 else ""
        raise InputFileError(path, f"{first.code}: {first.message}{more}", line=first.line,
                             advice=f"Nothing was sent. See all problems with: examkit export validate {path}")
    return report


def plan(ws: Workspace, backend: Backend, options: TrainOptions) -> Plan:
    """Validate the files and describe what starting would do — no network call."""
    model = backend.model(options)
    count_model = backend.counting_model(model)
    files: list[PlannedFile] = []
    warnings: list[str] = []
    cost: dict[str, Any] = {}
    roles: tuple[tuple[Role, Path | None], ...] = (("training", options.train_file), ("validation", options.validation_file))
    for role, path in roles:
        if path is None:
            continue
        report = validate(ws, path, model=count_model, min_examples=backend.min_examples, epochs=options.epochs,
                          role=role)
        summary = report.summary()
        warnings += [f"{p.where()}: {p.code}: {p.message}" for p in report.problems if p.severity != "error"]
        sha = sha256_file(path)
        files.append(PlannedFile(role, str(path), sha, report.n_examples, summary["total_tokens"],
                                 backend.known_upload(sha)))
        if role == "training":
            cost = backend.cost(summary, report.summary_lines())
    request = backend.request(options, model=model, files=files)
    return Plan(backend.name, backend.endpoint, model, files, cost, request, warnings)


def start(ws: Workspace, backend: Backend, options: TrainOptions) -> tuple[Plan, Any]:
    """Validate, then start the job; returns the plan and the backend's job record."""
    made = plan(ws, backend, options)
    return made, backend.start(options)
