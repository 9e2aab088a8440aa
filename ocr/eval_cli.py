"""``examkit ocr eval``: which engine reads *your* pupils' handwriting best, in figures.

The command function is mounted by ``ocr/cli.py``; the work is :func:`ocr.evaluate.run_eval`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from examkit.cli_common import JsonOpt, OptionPairs, WorkspaceOpt, open_workspace, parse_options
from examkit.console import note, out, out_json

if TYPE_CHECKING:
    from ocr.evaluate import EvalReport


def eval_command(
    folder: Annotated[Path, typer.Argument(help="Folder of images with NAME.gt.txt beside each (as export ocr-gt writes).")],
    engine: Annotated[Optional[list[str]], typer.Option("--engine", "-e", help="Engine to measure; repeat to compare (default: ocr.engine, rapidocr).")] = None,
    model: Annotated[Optional[str], typer.Option(help="Model for the vlm engine (else [ocr.vlm] model).")] = None,
    base_url: Annotated[Optional[str], typer.Option(help="OpenAI-compatible server for vlm, e.g. http://127.0.0.1:8000/v1.")] = None,
    lang: Annotated[Optional[str], typer.Option(help="Language(s), Tesseract codes (default: ocr.lang).")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Images are line crops: no page preprocessing.")] = False,
    option: OptionPairs = None,
    yes: Annotated[bool, typer.Option("--yes", help="Consent to sending the images to a cloud service.")] = False,
    json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Character and word error rates of OCR engines on pages with exact transcriptions.

    Example: examkit ocr eval my-pages/ --engine tesseract --engine vlm --model qwen2.5-vl --base-url http://127.0.0.1:8000/v1
    """
    with open_workspace(workspace) as ws:
        from ocr.evaluate import run_eval  # numpy/OpenCV load only when the command runs

        report = run_eval(folder, engine or [ws.config.ocr.engine], ws, lang=lang, raw=raw, yes=yes, inform=note,
                          **{**parse_options(option), "model": model, "base_url": base_url})
    for name, reason in report.skipped:
        note(f"skipped {name}: {reason}")
    if json:
        out_json(report.to_json())
    else:
        out(format_table(report))


def format_table(report: EvalReport) -> str:
    """Files down, engines across (CER / WER), then the pooled figures and seconds per page."""
    engines = report.engines
    by_file: dict[str, dict[str, str]] = {}
    for r in report.files:
        cell = "failed" if r.error else f"{r.cer:.3f} / {r.wer:.3f}"
        by_file.setdefault(r.file, {})[r.engine] = cell
    width = max([len("file")] + [len(f) for f in by_file] + [len("overall")])
    cols = [max(len(e), 15) for e in engines]
    rows = ["  ".join(["file".ljust(width)] + [e.ljust(c) for e, c in zip(engines, cols)]),
            "  ".join(["".ljust(width)] + ["CER / WER".ljust(c) for c in cols])]
    for name, cells in by_file.items():
        rows.append("  ".join([name.ljust(width)] + [cells.get(e, "").ljust(c) for e, c in zip(engines, cols)]))
    summary = {s.engine: s for s in report.summary}
    overall = [f"{summary[e].cer:.3f} / {summary[e].wer:.3f}" if e in summary else "-" for e in engines]
    speed = [f"{summary[e].seconds_per_page:.2f}" if e in summary else "-" for e in engines]
    rows.append("  ".join(["overall".ljust(width)] + [v.ljust(c) for v, c in zip(overall, cols)]))
    rows.append("  ".join(["s/page".ljust(width)] + [v.ljust(c) for v, c in zip(speed, cols)]))
    failed = [f"{e}: {summary[e].failed} failed" for e in engines if e in summary and summary[e].failed]
    if failed:
        rows.append("(" + "; ".join(failed) + ", counted as empty readings)")
    return "\n".join(r.rstrip() for r in rows)
