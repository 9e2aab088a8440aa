"""``examkit train merge RUN OUT``: the local backend's own command.

It lives here, beside the code it calls; :class:`training.local.backend.LocalBackend` declares it
in ``commands`` and the ``train`` group mounts what each backend declares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from examkit.cli_common import WorkspaceOpt, open_workspace
from examkit.console import out


def merge(
    run: Annotated[str, typer.Argument(help="A local run id (see `examkit train list`) or an adapter folder.")],
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="New folder for the merged model.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Merge a local run's LoRA adapter into its base model, for serving with vLLM or llama.cpp.

    Runs on the CPU (about twice the model's size in RAM); prints the folder it wrote.

    Example: examkit train merge klasse10-v1 merged/klasse10-v1
    """
    from training.local import merge as merge_run

    with open_workspace(workspace) as ws:
        out(str(merge_run(ws, run, out_dir)))
