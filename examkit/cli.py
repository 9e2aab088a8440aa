"""The ``examkit`` command's root: the group, its shared options, and errors handled in one place.

The stages' commands are mounted on :data:`app` by the program above them (``examkit_app``), never
here: the core imports no stage.

Exit codes: 0 success, 1 a user error (one line, no traceback unless
``--verbose``), 2 bad usage (Typer's default), 3 a batch that finished with failed items.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from examkit import __version__
from examkit.cli_common import ROOT_WORKSPACE, WorkspaceOpt, open_workspace
from examkit.console import err, labelled, out
from examkit.i18n import _
from examkit.service_messages import redact

VERBOSE_FLAGS = ("--verbose", "-v")


class ExamkitGroup(TyperGroup):
    """The root group: accepts ``--verbose`` anywhere and turns errors into one line + exit code."""

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:  # noqa: D102
        argv = list(sys.argv[1:] if args is None else args)
        verbose = any(flag in argv for flag in VERBOSE_FLAGS)
        argv = [arg for arg in argv if arg not in VERBOSE_FLAGS]
        kw.setdefault("obj", {})["verbose"] = verbose
        return super().main(argv, *a, **kw)

    def invoke(self, ctx: Any) -> Any:  # noqa: D102  (typer's own click Context)
        from examkit.errors import ExamkitError

        verbose = bool((ctx.obj or {}).get("verbose"))
        try:
            return super().invoke(ctx)
        except ExamkitError as exc:
            _report(verbose)
            labelled(_("error:"), "red", exc.one_line())
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except OSError as exc:
            _report(verbose)
            where = f"{exc.filename}: " if exc.filename else ""
            labelled(_("error:"), "red", f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug: still one line, the traceback on request
            _report(verbose)
            labelled(_("internal error:"), "red",
                     f"{type(exc).__name__}: {exc} (run with --verbose for the traceback and report it)")
            raise typer.Exit(1) from None


def _report(verbose: bool) -> None:
    """The traceback on request, with the API key masked (an SDK error's text may echo it)."""
    if verbose:
        sys.stderr.write(redact(traceback.format_exc()))
        sys.stderr.flush()


app = typer.Typer(
    cls=ExamkitGroup,
    name="examkit",
    help="Scanned handwritten tests and teachers' corrections to training data for a Fehleranalyse model.\n\n"
    "Example: examkit ocr scan exams/ && examkit ocr status",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out(f"examkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    workspace: WorkspaceOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """examkit: OCR, review, Fehleranalyse, export and fine-tuning in one workspace."""
    ROOT_WORKSPACE.set(workspace)


@app.command("init")
def init(directory: Annotated[Optional[Path], typer.Argument(help="Folder for the new workspace.")] = None) -> None:
    """Create a workspace (config, database, page folder). Other commands also create it on first use.

    Example: examkit init ~/korrektur-2024
    """
    with open_workspace(directory) as ws:
        out(str(ws.root))


def run(program: typer.Typer, argv: Sequence[str] | None = None) -> int:
    """Run the assembled program (``examkit_app``); returns the exit code (also when called from Python)."""
    command = typer.main.get_command(program)
    try:
        result = command.main(args=list(argv) if argv is not None else None, prog_name="examkit", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 1
    except typer.TyperException as exc:  # usage errors: Typer's own message, exit 2
        show = getattr(exc, "show", None)
        if show:
            show()
        else:
            err.print(f"error: {exc.format_message()}")
        return exc.exit_code
    # click returns the exit code of a typer.Exit in non-standalone mode, else the command's result
    return result if isinstance(result, int) else 0

