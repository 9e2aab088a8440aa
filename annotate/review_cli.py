"""``examkit review ...``: the review web page and the editor round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from examkit.cli_common import WorkspaceOpt, open_workspace
from examkit.console import note, out, warn
from examkit.errors import BatchIncomplete

app = typer.Typer(help="Review OCR text and write analyses in a local web page.", no_args_is_help=True)


@app.command("serve")
def serve(
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default: a free one).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless you must.")] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open a browser.")] = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Open the review page: correct OCR text page by page and write each student's Fehleranalyse.

    Prints the URL (with its access token) and runs until Ctrl+C.

    Example: examkit review serve --no-browser
    """
    from annotate.reviewpage.server import is_loopback, serve as run

    if not is_loopback(host):
        warn(f"listening on {host}: others on the network can reach the page (they still need the token)")
    with open_workspace(workspace) as ws:
        def announce(url: str) -> None:
            out(url)
            note("Review page running. Stop it with Ctrl+C.")

        run(ws, host=host, port=port, open_browser=not no_browser, announce=announce)


@app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the text files into.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Write every page's text and every analysis (YAML) as files, to correct in a text editor.

    Example: examkit review export korrektur/ && examkit review import korrektur/
    """
    from annotate.reviewpage.roundtrip import export_review

    with open_workspace(workspace) as ws:
        manifest = export_review(ws, folder)
    note(f"wrote {len(manifest['files'])} files to {folder}; edit them, then run `examkit review import {folder}`")


@app.command("import")
def import_(
    folder: Annotated[Path, typer.Argument(help="A folder written by `examkit review export`.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Store the files changed since the export as new revisions; nothing is overwritten.

    A file whose page or analysis was saved elsewhere meanwhile is reported and skipped.

    Example: examkit review import korrektur/
    """
    from annotate.reviewpage.roundtrip import import_review

    with open_workspace(workspace) as ws:
        report = import_review(ws, folder)
    for rel in report.stored:
        out(f"stored {rel}")
    for rel, reason in report.failed:
        warn(f"{rel}: {reason}")
    note(f"{len(report.stored)} stored, {len(report.unchanged)} unchanged, {len(report.failed)} failed")
    if report.failed:
        raise BatchIncomplete([rel for rel, _ in report.failed], advice="Export again, redo those changes, import again.")
