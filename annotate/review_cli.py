"""``examkit review ...``."""

import typer

app = typer.Typer(help="Review OCR text and write analyses in a local web page.", no_args_is_help=True)
