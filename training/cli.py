"""``examkit train ...``: thin commands over :mod:`training.start`, :mod:`training.watch`,
:mod:`training.evaluate` and the backends (:mod:`training.backends`).

Job ids and model names go to stdout (for scripts); progress, plans' notes and warnings to stderr.
Without a JOB argument, ``status``/``watch`` mean the newest job of the workspace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from examkit.cli_common import JsonOpt, OptionPairs, WorkspaceOpt, open_workspace, parse_options
from examkit.console import note, out, out_json, warn
from examkit.errors import BatchIncomplete
from examkit.files import atomic_write_text
from examkit.service_client import DEFAULT_TIMEOUT
from training import show
from training.backend import Backend, TrainOptions, backend_settings

app = typer.Typer(help="Fine-tuning with OpenAI or a local open-weights model, and evaluation.", no_args_is_help=True)

BackendOpt = Annotated[Optional[str], typer.Option(
    "--backend", help="openai, local or another registered backend (see train backends; default: examkit.toml).")]
BaseUrlOpt = Annotated[Optional[str], typer.Option(
    "--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL, else examkit.toml, else OpenAI).")]
JobArg = Annotated[Optional[str], typer.Argument(help="Job id (default: the newest job of this workspace).")]
RequiredJobArg = Annotated[str, typer.Argument(help="Job id (see `examkit train list`).")]
IntervalOpt = Annotated[float, typer.Option("--interval", min=0.0, help="Seconds between polls at first (backs off to 60).")]


def _follow(backend: Backend, job_id: str, interval: float) -> None:
    from training.watch import Backoff, outcome, watch

    job = watch(backend, job_id, report=note, backoff=Backoff(interval=interval, max_interval=max(interval, 60.0)))
    out(outcome(job))


@app.command("start")
def start(
    train_file: Annotated[Path, typer.Argument(metavar="TRAIN.jsonl", help="Chat JSONL from `examkit export chat`.")],
    validation: Annotated[Optional[Path], typer.Option("--validation", help="Validation JSONL (e.g. OUT.val.jsonl).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="Model to fine-tune (default: examkit.toml).")] = None,
    epochs: Annotated[Optional[int], typer.Option("--epochs", min=1, help="Epochs (default: [export] epochs in examkit.toml, else the service's rule).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed")] = None,
    backend: BackendOpt = None,
    option: OptionPairs = None,
    batch_size: Annotated[Optional[int], typer.Option("--batch-size", help="Same as -o batch_size=N.")] = None,
    learning_rate_multiplier: Annotated[Optional[float], typer.Option("--learning-rate-multiplier", help="Same as -o learning_rate_multiplier=X.")] = None,
    suffix: Annotated[Optional[str], typer.Option("--suffix", help="Same as -o suffix=TEXT (part of the tuned model's name).")] = None,
    base_model: Annotated[Optional[str], typer.Option("--base-model", help="Same as -o base_model=ID (local: Hugging Face id or path).")] = None,
    lora_r: Annotated[Optional[int], typer.Option("--lora-r", help="Same as -o lora_r=N (local: LoRA rank).")] = None,
    max_length: Annotated[Optional[int], typer.Option("--max-length", help="Same as -o max_length=N (local: tokens per example).")] = None,
    output: Annotated[Optional[str], typer.Option("--output", help="Same as -o output=NAME (local: name of the run folder).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and print the plan; send nothing.")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="Keep watching until the job ends (like `train watch`).")] = False,
    base_url: BaseUrlOpt = None,
    interval: IntervalOpt = 10.0,
    json_: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Validate a training file, upload it (once per content) and start a fine-tuning job; prints the job id.

    Each backend has options of its own (`-o key=value`, see `examkit train backends`); one it lacks is refused.

    Example: examkit train start train.jsonl --validation train.val.jsonl --suffix lk-neuzeit --wait
    """
    from training.backends import get_backend
    from training.start import plan
    from training.start import start as start_job

    named = {"batch_size": batch_size, "learning_rate_multiplier": learning_rate_multiplier, "suffix": suffix,
             "base_model": base_model, "lora_r": lora_r, "max_length": max_length, "output": output}
    with open_workspace(workspace) as ws:
        chosen = get_backend(ws, backend, base_url=base_url)
        settings = backend_settings(type(chosen), {**parse_options(option), **named})
        options = TrainOptions(train_file=train_file, validation_file=validation, model=model, seed=seed,
                               epochs=epochs if epochs is not None else ws.config.export.epochs, settings=settings)
        if dry_run:
            made = plan(ws, chosen, options)
            for line in made.warnings:
                warn(line)
            out_json(made.to_json()) if json_ else out("\n".join(show.plan_lines(made)))
            return
        made, job = start_job(ws, chosen, options)
        for line in made.warnings:
            warn(line)
        note(f"started {job.backend} job {job.id} ({job.status})")
        out(job.id)
        if wait:
            _follow(chosen, job.id, interval)


@app.command("status")
def status(job: JobArg = None, base_url: BaseUrlOpt = None, json_: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """A job's current state (asks the service and records the answer).

    Example: examkit train status ftjob-abc123
    """
    from training.backends import backend_for_job

    with open_workspace(workspace) as ws:
        backend, record = backend_for_job(ws, job, base_url=base_url)
        record = backend.status(record.id)
        out_json(record.model_dump()) if json_ else out("\n".join(show.job_lines(record)))


@app.command("watch")
def watch(job: JobArg = None, base_url: BaseUrlOpt = None, interval: IntervalOpt = 10.0,
          workspace: WorkspaceOpt = None) -> None:
    """Follow a job to its end with progress (step, losses); prints the tuned model's name.

    Exit 0 when it succeeded, 1 when it failed or was cancelled (with the service's reason).

    Example: examkit train watch
    """
    from training.backends import backend_for_job

    with open_workspace(workspace) as ws:
        backend, record = backend_for_job(ws, job, base_url=base_url)
        _follow(backend, record.id, interval)


@app.command("list")
def list_jobs(
    remote: Annotated[bool, typer.Option("--remote", help="Also ask the service for the account's jobs (OpenAI).")] = False,
    backend: BackendOpt = None,
    base_url: BaseUrlOpt = None,
    json_: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """The training jobs of this workspace, newest first (every backend).

    Example: examkit train list --json
    """
    from training.backends import get_backend

    with open_workspace(workspace) as ws:
        if remote:
            get_backend(ws, backend, base_url=base_url).remote_jobs()
        jobs = ws.runs.jobs()
        out_json([j.model_dump() for j in jobs]) if json_ else out("\n".join(show.jobs_table(jobs)))


@app.command("events")
def events(job: RequiredJobArg, base_url: BaseUrlOpt = None, json_: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """A job's events, oldest first, with the metrics where there are some.

    Example: examkit train events ftjob-abc123
    """
    from training.backends import backend_for_job
    from training.watch import event_line

    with open_workspace(workspace) as ws:
        backend, record = backend_for_job(ws, job, base_url=base_url)
        found = list(backend.events(record.id))
        out_json([e.model_dump() for e in found]) if json_ else out("\n".join(f"{e.created_at}  {event_line(e)}" for e in found))


@app.command("cancel")
def cancel(job: RequiredJobArg, base_url: BaseUrlOpt = None, workspace: WorkspaceOpt = None) -> None:
    """Cancel a running job; prints its state afterwards.

    Example: examkit train cancel ftjob-abc123
    """
    from training.backends import backend_for_job

    with open_workspace(workspace) as ws:
        backend, record = backend_for_job(ws, job, base_url=base_url)
        out(backend.cancel(record.id).status)


@app.command("checkpoints")
def checkpoints(job: RequiredJobArg, base_url: BaseUrlOpt = None, json_: JsonOpt = False,
                workspace: WorkspaceOpt = None) -> None:
    """An OpenAI job's checkpoints: step, the checkpoint model's name (usable in `train eval`), metrics.

    Example: examkit train checkpoints ftjob-abc123
    """
    from training.backends import backend_for_job

    with open_workspace(workspace) as ws:
        backend, record = backend_for_job(ws, job, base_url=base_url)
        found = backend.checkpoints(record.id)
        out_json(found) if json_ else out("\n".join(f"step {c['step']}  {c['model']}  {c['metrics']}" for c in found))


@app.command("backends")
def backends(base_url: BaseUrlOpt = None, json_: JsonOpt = False, workspace: WorkspaceOpt = None) -> None:
    """What each backend needs and whether it is usable here (API key; torch and a GPU).

    Example: examkit train backends
    """
    from training.backends import report

    with open_workspace(workspace) as ws:
        rows = report(ws, base_url=base_url)
        if json_:
            out_json(rows)
            return
        for row in rows:
            mark = "usable" if row["usable"] else "not usable"
            out(f"{row['backend']}{' (default)' if row['default'] else ''}: {mark}: {row['detail']}\n  needs: {row['needs']}"
                f"\n  options (-o key=value): {', '.join(row['options']) or 'none'}")


@app.command("eval")
def evaluate(
    model: Annotated[list[str], typer.Option("--model", help="Model to score; repeat to compare models side by side.")],
    data: Annotated[Path, typer.Option("--data", help="Chat JSONL with reference analyses (e.g. OUT.val.jsonl).")],
    backend: BackendOpt = None,
    base_url: BaseUrlOpt = None,
    out_file: Annotated[Optional[Path], typer.Option("--out", help="Also write the report (.json, or .md for a table).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=32, help="Requests at a time.")] = 4,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask the model again instead of using cached answers.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, help="Seconds per request.")] = DEFAULT_TIMEOUT,
    json_: JsonOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Score models against the teacher: parsed rate, points/percent MAE, grade accuracy, task MAE, quote recall.

    --json prints {"n", "parsed_rate", "total_points_mae", "percent_mae", "grade_exact_rate", "task_points_mae",
    "quote_recall", "items"}; with several --model options, an object with one such report per model name.
    Answers are cached in the workspace: scoring again costs nothing (--refresh asks again).

    Example: examkit train eval --model ft:gpt-4o-mini-2024-07-18:org::abc --data train.val.jsonl
    """
    from training.evaluate import evaluate_models

    with open_workspace(workspace) as ws:
        reports = evaluate_models(ws, model, data, backend=backend, base_url=base_url, workers=workers,
                                  refresh=refresh, timeout=timeout)
    data_out = show.metrics_only(reports[0]) if len(reports) == 1 else {r["model"]: show.metrics_only(r) for r in reports}
    if out_file is not None:
        text = show.eval_markdown(reports) if out_file.suffix == ".md" else _json_text(data_out)
        atomic_write_text(out_file, text)
    out_json(data_out) if json_ else out("\n".join(show.eval_table(reports)))
    for r in reports:
        note(f"{r['model']}: {r['cached']} of {r['n'] + len(r['failed'])} answers from the cache")
        for f in r["failed"]:
            warn(f"{r['model']}: {data}:{f['record']}: {f['error']}")
    failed = [f"{r['model']} record {f['record']}" for r in reports for f in r["failed"]]
    if failed:
        raise BatchIncomplete(failed, advice="Run the command again: answers already received are cached.")


def _json_text(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"




def register(root: typer.Typer, *, annotate: typer.Typer) -> None:
    """Mount ``examkit train ...`` with each backend's own commands (``train merge`` is the local
    backend's), and ``annotate draft`` on the annotate group: a training command shown where
    teachers look for it."""
    from examkit.registry import load_entry
    from training.backends import BACKENDS, backend_class
    from training.draft_cli import draft

    for name in BACKENDS:
        for command, target in backend_class(name).commands.items():
            app.command(command)(load_entry(target))
    annotate.command("draft")(draft)
    root.add_typer(app, name="train")
