"""``examkit ocr ...`` and ``examkit doctor``."""

import typer

app = typer.Typer(help="Scan exam folders: preprocessing, red-ink separation, Tesseract.", no_args_is_help=True)


def doctor() -> None:
    """Which external programs and language data are installed, and how to install what is missing.

    Example: examkit doctor
    """
