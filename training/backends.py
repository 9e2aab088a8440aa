"""Which backend or generator a command uses, and what each needs to be usable here.

``--backend openai|local`` (else ``[train] backend`` in examkit.toml) picks the implementation.
The local one lives in :mod:`training.local` and is imported only when chosen, so the OpenAI path
never loads torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from examkit.errors import UserInputError
from examkit.runs import JobRecord
from training.backend import Backend, Generator
from examkit.service_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, resolve_base_url

if TYPE_CHECKING:
    from examkit.workspace import Workspace

NAMES = ("openai", "local")
NEEDS = {
    "openai": "OPENAI_API_KEY (and OPENAI_BASE_URL or --base-url for a compatible service)",
    "local": 'pip install -e ".[local]" (torch, transformers, peft, trl); a GPU makes it practical',
}


def _name(ws: Workspace, name: str | None) -> str:
    chosen = name or ws.config.train.backend
    if chosen not in NAMES:
        raise UserInputError(f"unknown backend {chosen!r}", advice=f"Use one of: {', '.join(NAMES)}.")
    return chosen


def get_backend(ws: Workspace, name: str | None = None, *, base_url: str | None = None) -> Backend:
    if _name(ws, name) == "local":
        from training.local import LocalBackend

        return LocalBackend(ws)
    from training.openai_backend import OpenAIBackend

    return OpenAIBackend(ws, base_url=base_url)


def backend_for_job(ws: Workspace, job_id: str | None, *, base_url: str | None = None) -> tuple[Backend, JobRecord]:
    """The backend that ran a recorded job (``None``: the newest), at the endpoint it was sent to."""
    job = ws.runs.job(job_id)
    return get_backend(ws, job.backend, base_url=base_url or job.data.get("endpoint")), job


def get_generator(ws: Workspace, model: str, name: str | None = None, *, base_url: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_MAX_RETRIES) -> Generator:
    """A generator for ``model``: a model name at an endpoint (openai), or a local run id / path (local)."""
    if _name(ws, name) == "local":
        from training.local import LocalGenerator

        return LocalGenerator(model, ws)
    from training.openai_generator import OpenAIGenerator

    return OpenAIGenerator(model, base_url=resolve_base_url(base_url, ws.config.train.base_url),
                           timeout=timeout, max_retries=max_retries)


def endpoint_of(ws: Workspace, name: str | None, base_url: str | None) -> str:
    """Where a generator's answers come from (part of the answer cache's key)."""
    if _name(ws, name) == "local":
        return "local"
    return resolve_base_url(base_url, ws.config.train.base_url)


def report(ws: Workspace, *, base_url: str | None = None) -> list[dict[str, Any]]:
    """Each backend: usable here?, why (or what is missing), and what it needs in general."""
    rows = []
    for name in NAMES:
        try:
            if name == "local":
                import training.local

                usable, detail = training.local.usable()
            else:
                usable, detail = get_backend(ws, name, base_url=base_url).usable()
        except ImportError as exc:
            usable, detail = False, f"cannot be loaded ({exc})"
        rows.append({"backend": name, "usable": usable, "detail": detail, "needs": NEEDS[name],
                     "default": name == ws.config.train.backend})
    return rows
