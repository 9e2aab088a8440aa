"""``examkit export ...``."""

import typer

app = typer.Typer(help="Training files: chat JSONL, CSV, validation, tokens, cost.", no_args_is_help=True)
