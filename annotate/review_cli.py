"""``examkit review ...``: the review web page, and the round trip through a text editor."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from examkit.cli_common import WorkspaceOpt, open_workspace, workspace_path
from examkit.console import note, out, warn
from examkit.errors import BatchIncomplete

if TYPE_CHECKING:
    from annotate.review.state import LineReader


def review_app(line_reader: LineReader | None = None) -> typer.Typer:
    """The ``review`` group; ``line_reader`` is what the page's "Neu lesen" reads a line with."""
    app = typer.Typer(help="Review OCR text and write analyses in a local web page.", no_args_is_help=True)

    @app.command("serve")
    def serve(
        port: Annotated[Optional[int], typer.Option("--port", help="Port to listen on (default: a free one).")] = None,
        host: Annotated[str, typer.Option("--host", help="Address to listen on; keep the loopback default.")] = "127.0.0.1",
        no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser tab.")] = False,
        workspace: WorkspaceOpt = None,
    ) -> None:
        """Serve the review page for this workspace and print its address (with the access token).

        Example: examkit review serve --no-browser
        """
        from annotate.review.server import run

        run(workspace_path(workspace), host=host, port=port, open_browser=not no_browser, line_reader=line_reader)

    app.command("export")(export)
    app.command("import")(import_)
    return app


def export(
    folder: Annotated[Path, typer.Argument(help="New or empty folder for the files.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Write page texts (<doc-id>/page-NNN.txt) and analyses (<doc-id>/analysis.yaml) to edit in any editor.

    Example: examkit review export korrektur/ && examkit review import korrektur/
    """
    from annotate.review.roundtrip import export_folder

    with open_workspace(workspace) as ws:
        result = export_folder(ws, folder)
    note(f"wrote {len(result.files)} files to {folder}; edit them, then run: examkit review import {folder}")
    out(str(folder))


def import_(
    folder: Annotated[Path, typer.Argument(help="A folder written by `examkit review export`.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Store the edited files of an export as new revisions (conflicts are reported per file, exit 3).

    Example: examkit review import korrektur/
    """
    from annotate.review.roundtrip import import_folder

    with open_workspace(workspace) as ws:
        result = import_folder(ws, folder)
    for name, revision in result.stored:
        out(f"{name}\trevision {revision}")
    for name, reason in result.failed:
        warn(f"{name}: {reason}")
    note(f"{len(result.stored)} stored, {result.unchanged} unchanged, {len(result.failed)} not stored")
    if result.failed:
        raise BatchIncomplete([name for name, _ in result.failed],
                              advice="Export again to a new folder, carry your changes over, and import that.")
