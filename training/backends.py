"""The registry of training backends: which exist, and the one way a command gets one.

``--backend NAME`` (else ``[train] backend`` in examkit.toml) picks an entry of :data:`BACKENDS`.
Each entry names the module and class of a :class:`training.backend.Backend`; the module is
imported only when chosen, so the OpenAI path never loads torch and the local one never loads
the OpenAI SDK. Adding a backend is one module plus one line here (``docs/architecture.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from examkit.errors import UserInputError
from examkit.registry import load_entry
from examkit.runs import JobRecord
from examkit.service_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from training.backend import Backend, Generator

if TYPE_CHECKING:
    from examkit.workspace import Workspace

#: Backend name -> "module:class".
BACKENDS: dict[str, str] = {
    "openai": "training.openai_backend:OpenAIBackend",
    "local": "training.local.backend:LocalBackend",
}


def backend_class(name: str) -> type[Backend]:
    """The class registered as ``name`` (:class:`UserInputError` for a name not registered)."""
    target = BACKENDS.get(name)
    if target is None:
        raise UserInputError(f"unknown backend {name!r}",
                             advice=f"Use one of: {', '.join(BACKENDS)} (--backend, or [train] backend in examkit.toml).")
    return load_entry(target)


def get_backend(ws: Workspace, name: str | None = None, *, base_url: str | None = None) -> Backend:
    """The backend ``name`` (None: the workspace's default), at ``base_url`` where it sends data."""
    return backend_class(name or ws.config.train.backend)(ws, base_url=base_url)


def backend_for_job(ws: Workspace, job_id: str | None, *, base_url: str | None = None) -> tuple[Backend, JobRecord]:
    """The backend that ran a recorded job (``None``: the newest), at the endpoint it was sent to."""
    job = ws.runs.job(job_id)
    return get_backend(ws, job.backend, base_url=base_url or job.data.get("endpoint")), job


def get_generator(ws: Workspace, model: str, name: str | None = None, *, base_url: str | None = None,
                  timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_MAX_RETRIES) -> Generator:
    """A generator for ``model``: a model name at an endpoint, or a local run id / path."""
    return get_backend(ws, name, base_url=base_url).generator(model, timeout=timeout, max_retries=max_retries)


def endpoint_of(ws: Workspace, name: str | None, base_url: str | None) -> str:
    """Where a generator's answers come from (part of the answer cache's key)."""
    backend = get_backend(ws, name, base_url=base_url)
    return backend.endpoint or backend.name


def report(ws: Workspace, *, base_url: str | None = None) -> list[dict[str, Any]]:
    """Each backend: usable here?, why (or what is missing), and what it needs in general."""
    rows = []
    for name in BACKENDS:
        needs, options = "", []
        try:
            cls = backend_class(name)
            needs, options = cls.needs, list(cls.Options.model_fields)
            usable, detail = cls(ws, base_url=base_url).usable()
        except ImportError as exc:
            usable, detail = False, f"cannot be loaded ({exc})"
        rows.append({"backend": name, "usable": usable, "detail": detail, "needs": needs, "options": options,
                     "default": name == ws.config.train.backend})
    return rows
