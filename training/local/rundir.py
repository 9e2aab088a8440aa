"""Where a local run keeps its files: ``<workspace>/runs/<run-id>/``.

``adapter/`` holds the LoRA adapter and the tokenizer (what generation and ``train merge`` load),
``run.json`` the base model, data hashes, hyperparameters and losses (also stored as the job's data
so ``train list/status`` show it), ``events.jsonl`` one line per progress report (``train events``),
and ``CANCEL`` appears when ``train cancel`` asks a running training to stop.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examkit.errors import NotFoundError, UserInputError
from examkit.files import atomic_write_text

if TYPE_CHECKING:
    from examkit.workspace import Workspace

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass(frozen=True)
class RunDir:
    run_id: str
    root: Path

    @property
    def adapter(self) -> Path:
        return self.root / "adapter"

    @property
    def run_json(self) -> Path:
        return self.root / "run.json"

    @property
    def events(self) -> Path:
        return self.root / "events.jsonl"

    @property
    def cancel_flag(self) -> Path:
        return self.root / "CANCEL"

    def read(self) -> dict[str, Any]:
        return json.loads(self.run_json.read_text(encoding="utf-8"))

    def write(self, info: dict[str, Any]) -> None:
        atomic_write_text(self.run_json, json.dumps(info, ensure_ascii=False, indent=2) + "\n")

    def append_event(self, event: dict[str, Any]) -> None:
        with self.events.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(event, ensure_ascii=False) + "\n")


def runs_root(ws: Workspace) -> Path:
    return ws.root / "runs"


def new_run(ws: Workspace, name: str | None) -> RunDir:
    """A fresh run folder: ``name`` when given (it must not exist yet), else ``local-<UTC time>``."""
    if name is not None and not NAME.match(name):
        raise UserInputError(
            f"--output {name!r} is not a usable run name",
            advice="Use letters, digits, '.', '-' and '_' (up to 100), starting with a letter or digit.",
        )
    base = name or "local-" + datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    root = runs_root(ws)
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(100):
        run_id = base if attempt == 0 else f"{base}-{attempt + 1}"
        try:
            (root / run_id).mkdir()
        except FileExistsError:
            if name is not None:
                raise UserInputError(
                    f"a run named {name!r} exists already ({root / name})",
                    advice="Choose another --output name; runs are never overwritten.",
                ) from None
            continue
        return RunDir(run_id, root / run_id)
    raise UserInputError(f"cannot find a free run name under {root}")


def find_run(ws: Workspace, run_id: str) -> RunDir:
    """An existing run of this workspace, or :class:`NotFoundError`."""
    run = RunDir(run_id, runs_root(ws) / run_id)
    if not NAME.match(run_id) or not run.run_json.is_file():
        raise NotFoundError(f"no local run {run_id!r} in {runs_root(ws)}", advice="See `examkit train list`.")
    return run


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (a crashed run leaves ``running`` behind)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
