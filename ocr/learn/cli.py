"""``examkit ocr learn``: fine-tune the reader on the lines people confirmed (mounted by ocr/cli.py).

Thin: the lines come from :func:`ocr.learn.confirmed.confirmed_samples`, the work is
:func:`ocr.learn.session.learn`. Needs the ``[local]`` extra (torch, onnx); reading does not.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Annotated, Literal

import typer

from examkit.cli_common import JsonOpt, WorkspaceOpt, open_workspace
from examkit.console import note, out, out_json, warn
from examkit.errors import MissingDependencyError, UserInputError

INSTALL = 'pip install -e ".[local]" (torch, onnx)'
#: Fewest confirmed lines worth learning from: fewer cannot beat the bundled reader measurably.
MIN_LINES = 20
Part = Literal["last-stage", "neck", "full"]
CheckChoice = Literal["folds", "holdout"]


def _progress_printer():
    from ocr.learn.train import Progress

    last = [0.0]

    def show(p: Progress) -> None:
        now = time.monotonic()
        if now - last[0] < 10 and p.lines_done != p.lines_total:
            return
        last[0] = now
        if p.epoch == 0:
            note(f"preparing: {p.lines_done}/{p.lines_total} lines, {p.lines_per_s:.1f} lines/s")
        else:
            note(f"epoch {p.epoch}/{p.epochs}: {p.lines_done}/{p.lines_total} lines, "
                 f"{p.lines_per_s:.1f} lines/s, {p.seconds_left / 60:.1f} min left (loss {p.loss:.2f})")
    return show


def _check_adopted(root: Path) -> None:
    """The learned reader in use must load before learning measures against it (one line naming
    the file, as a scan says it, instead of onnxruntime's error half-way through)."""
    from ocr.learn import store
    from ocr.rapidocr import check_rec_model

    current = store.adopted(root)
    if current is None:
        return
    try:
        check_rec_model(current.model)
    except UserInputError as exc:
        raise UserInputError(exc.message, advice=f"Delete {store.models_dir(root) / store.ADOPTED} to go back to "
                                                 "the bundled reader, then run `examkit ocr learn` again.") from exc


def learn_command(
    epochs: Annotated[int, typer.Option(min=1, max=100, help="Passes over the confirmed lines.")] = 5,
    check: Annotated[CheckChoice, typer.Option(help="How the new reader is judged: folds (default: each half of the pages is read by a reader learned from the other half; the reader kept learns from all pages; about twice the time) or holdout (a share of the pages held out once; faster).")] = "folds",
    holdout: Annotated[float, typer.Option(min=0.01, max=0.5, help="With --check holdout: share of pages held out to measure on.")] = 0.1,
    part: Annotated[Part, typer.Option(help="What is trained: last-stage (default: the backbone's last stage, neck and output layer), neck (neck and output layer only, faster) or full (slowest).")] = "last-stage",
    json: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Learn the class's handwriting: fine-tune the bundled reader on lines a person confirmed.

    Checks the recipe first: each half of the pages is read by a copy of the bundled recogniser
    trained on the other half, so every confirmed line is read by a reader that never saw it;
    then the reader that is kept learns from all pages. It reports the CER of those readings
    before and after. The learned model is kept in the workspace (models/) and reads later scans
    only if it read the lines better; Ctrl-C leaves the reader as it was.

    Example: examkit ocr learn --epochs 5
    """
    for module in ("torch", "onnx"):
        if importlib.util.find_spec(module) is None:
            raise MissingDependencyError(f"the {module} Python package (needed to learn, not to read)",
                                         install=INSTALL)
    from ocr.learn.confirmed import confirmed_samples
    from ocr.learn.session import LearnOptions, learn
    from ocr.learn.train import TrainOptions

    with open_workspace(workspace) as ws:
        samples, warnings = confirmed_samples(ws)
        for message in warnings:
            warn(message)
        pages = len({s.page for s in samples})
        if len(samples) < MIN_LINES or pages < 2:
            raise UserInputError(f"{len(samples)} confirmed lines on {pages} pages: too few to learn from",
                                 advice=f"Confirm at least {MIN_LINES} lines on two or more pages in the review.")
        options = LearnOptions(check=check, holdout=holdout, train=TrainOptions(epochs=epochs, part=part))
        _check_adopted(ws.root)
        try:
            report = learn(ws.root, samples, options, _progress_printer(), note)
        except KeyboardInterrupt:
            warn("stopped: nothing was changed, the reader in use stays")
            raise typer.Exit(130) from None
    if json:
        out_json({"model": report.model_id, "adopted": report.adopted, "reason": report.reason,
                  "lines_train": report.lines_train, "lines_held_out": report.lines_held_out,
                  "before": report.before.to_json(), "after": report.after.to_json(),
                  "bundled": report.bundled.to_json(), "learned_from": report.selection.to_json(),
                  "seconds": round(report.seconds, 1)})
        return
    for kind, cer in report.after.by_kind.items():
        note(f"  {kind}: {report.before.by_kind.get(kind, float('nan')):.3f} -> {cer:.3f}")
    out(report.reason)
