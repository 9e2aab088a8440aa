"""``examkit annotate ...``."""

import typer

app = typer.Typer(help="The Fehleranalyse: render, parse, check, attach, draft.", no_args_is_help=True)
