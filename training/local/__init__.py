"""The ``local`` backend: LoRA fine-tuning of open-weights models on this machine.

Everything here imports torch and the Hugging Face stack only when called, so ``import
training.local`` works (and ``usable()`` answers) without the optional ``[local]`` extra.

Public API:
- ``LocalBackend(ws)``: the :class:`training.backend.Backend` for ``--backend local``.
- ``LocalGenerator(run_or_model_path, ws=None)``: the :class:`training.backend.Generator`.
- ``usable() -> (bool, str)``: whether torch & co. are installed, and the device found.
- ``merge(ws, run_id, out_dir) -> Path``: the adapter merged into its base model, for serving.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from examkit.workspace import Workspace
    from training.local.backend import LocalBackend
    from training.local.generate import LocalGenerator

__all__ = ["LocalBackend", "LocalGenerator", "merge", "usable"]


def usable() -> tuple[bool, str]:
    from training.local.deps import usable as check

    return check()


def merge(ws: Workspace | None, run_id: str, out_dir: str | Path) -> Path:
    from training.local.merging import merge as run_merge

    return run_merge(ws, run_id, out_dir)


def __getattr__(name: str) -> Any:
    if name == "LocalBackend":
        from training.local.backend import LocalBackend

        return LocalBackend
    if name == "LocalGenerator":
        from training.local.generate import LocalGenerator

        return LocalGenerator
    raise AttributeError(f"module 'training.local' has no attribute {name!r}")
