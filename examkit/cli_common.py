"""What every command shares: the workspace option, ``--json``, opening the workspace.

Commands stay thin: parse options, open the workspace with :func:`open_workspace`, call one
library function, print. Library functions raise :class:`examkit.errors.ExamkitError`; the root
group (:mod:`examkit.cli`) turns those into one line and an exit code.
"""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Optional

import typer

from examkit.config import CONFIG_NAME, Config, load_config
from examkit.errors import UserInputError
from examkit.workspace import Workspace, resolve_path

WorkspaceOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $EXAMKIT_WORKSPACE, else ./examkit-workspace).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON to stdout instead of a table.")]
#: ``-o key=value``, repeatable: options of the chosen engine or backend, which owns and checks them.
OptionPairs = Annotated[Optional[list[str]], typer.Option(
    "-o", "--option", metavar="KEY=VALUE", help="An option of the chosen engine or backend (repeatable), e.g. -o box_thresh=0.4.")]


def parse_options(pairs: list[str] | None) -> dict[str, str]:
    """``-o key=value`` options as a dict; the engine's or backend's Options model converts and checks the values."""
    found: dict[str, str] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise UserInputError(f"-o {pair!r}: not KEY=VALUE", advice="Write it as -o key=value, e.g. -o box_thresh=0.4.")
        if key in found:
            raise UserInputError(f"-o {key} given twice", advice="Give each option once.")
        found[key] = value
    return found


#: ``examkit --workspace DIR <group> <command>``: set by the root callback for this invocation.
ROOT_WORKSPACE: ContextVar[Path | None] = ContextVar("ROOT_WORKSPACE", default=None)


def workspace_path(workspace: Path | None) -> Path | None:
    """The ``--workspace`` given to this command, else the one given before the group name."""
    return workspace if workspace is not None else ROOT_WORKSPACE.get()


def read_workspace_config(workspace: Path | None) -> tuple[Config, Path | None]:
    """The config of the workspace a command was pointed at and its folder, if one exists there;
    else the defaults and None. Nothing is created: for commands that work without a workspace."""
    root = resolve_path(workspace_path(workspace))
    if (root / CONFIG_NAME).is_file():
        return load_config(root / CONFIG_NAME), root
    return Config(), None


def open_workspace(workspace: Path | None) -> Workspace:
    """Open the workspace a command was pointed at (use as a context manager)."""
    return Workspace.open(workspace_path(workspace))
