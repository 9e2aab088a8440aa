"""Progress of a local training on stderr, in events.jsonl, and the way ``train cancel`` reaches it.

The Trainer's own printing goes to stdout (which is for data in examkit) and its bars to tqdm; this
callback replaces both: a bar with step, loss, eval loss and tokens/s on a terminal, a plain line
per report elsewhere, and each report appended as a :class:`JobEvent` for ``train events``.
Between steps it looks for the run's ``CANCEL`` file and stops the training cleanly when found.
"""

from __future__ import annotations

import time
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from transformers import TrainerCallback

from examkit.clock import now
from examkit.console import err, note
from training.backend import JobEvent
from training.local.rundir import RunDir


class ProgressReporter(TrainerCallback):
    def __init__(self, run: RunDir, *, main_process: bool = True) -> None:
        self.run = run
        self.main = main_process
        self.losses: list[dict[str, Any]] = []
        self.tokens_per_second: float | None = None
        self.cancelled = False
        self._bar: Progress | None = None
        self._task = None
        self._started = 0.0
        self._info = ["", ""]  # the latest training and evaluation figures, shown beside the bar

    # -- lifecycle --------------------------------------------------------------------------
    def on_train_begin(self, args, state, control, **kwargs):
        self._started = time.perf_counter()
        if self.main and err.is_terminal:
            columns = (TextColumn("train"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
                       TimeElapsedColumn(), TimeRemainingColumn())
            self._bar = Progress(*columns, console=err, transient=False)
            self._bar.start()
            self._task = self._bar.add_task("train", total=state.max_steps, info="")

    def on_step_end(self, args, state, control, **kwargs):
        if self._bar is not None:
            self._bar.update(self._task, completed=state.global_step)
        if self.run.cancel_flag.exists():
            self.cancelled = True
            control.should_training_stop = True
        return control

    def on_train_end(self, args, state, control, **kwargs):
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    # -- reports ----------------------------------------------------------------------------
    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        step = state.global_step
        event: dict[str, Any] = {"step": step, "epoch": round(state.epoch or 0.0, 3)}
        parts = []
        if "loss" in logs:
            event["train_loss"] = float(logs["loss"])
            parts.append(f"loss {event['train_loss']:.4f}")
            elapsed = time.perf_counter() - self._started
            seen = int(state.num_input_tokens_seen or 0)
            if seen and elapsed > 0:
                self.tokens_per_second = seen / elapsed  # since the start: steadier than per interval
                event["tokens_per_second"] = round(self.tokens_per_second, 1)
                parts.append(f"{self.tokens_per_second:,.0f} tokens/s")
        if "eval_loss" in logs:
            event["valid_loss"] = float(logs["eval_loss"])
            parts.append(f"eval loss {event['valid_loss']:.4f}")
        if not parts:
            return  # the final summary; run.json keeps it
        self.losses.append(event)
        if not self.main:
            return
        message = f"step {step}/{state.max_steps}: " + ", ".join(parts)
        self.run.append_event(
            JobEvent(created_at=now(), message=message, step=step, train_loss=event.get("train_loss"),
                     valid_loss=event.get("valid_loss")).model_dump()
        )
        if self._bar is not None:
            self._info[0 if "train_loss" in event else 1] = ", ".join(parts)
            self._bar.update(self._task, completed=step, info=" | ".join(i for i in self._info if i))
        else:
            note(message)
