"""The examkit program, assembled above the stages: each stage registers its commands on the core's
root group, and the program hands each stage what it needs from another (the review page's "Neu
lesen" gets the OCR stage's line reader). The only package that imports every stage; nothing
imports it. ``examkit`` (the console script) and ``python -m examkit_app`` run :func:`main`.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from examkit import cli as root


def assemble() -> typer.Typer:
    """The root group with every stage's commands on it."""
    from annotate import cli as annotate_cli
    from annotate.review_cli import review_app
    from export import cli as export_cli
    from ocr import cli as ocr_cli
    from ocr.reread import read_again
    from training import cli as training_cli

    app = root.app
    ocr_cli.register(app)
    annotate_cli.register(app)
    app.add_typer(review_app(line_reader=read_again), name="review")
    export_cli.register(app)
    training_cli.register(app, annotate=annotate_cli.app)
    return app


app = assemble()


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point; returns the exit code."""
    return root.run(app, argv)
