"""``examkit train ...``."""

import typer

app = typer.Typer(help="Fine-tuning with OpenAI or a local open-weights model, and evaluation.", no_args_is_help=True)
