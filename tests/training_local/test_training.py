"""End to end on CPU with a tiny random model: train, record, reload, generate, merge."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from examkit.errors import UserInputError
from examkit.workspace import Workspace
from training.backend import TrainOptions

STACK = ("torch", "transformers", "peft", "trl", "datasets", "accelerate")
pytestmark = [
    pytest.mark.skipif(not all(importlib.util.find_spec(n) for n in STACK),
                       reason="the [local] extra is not installed: pip install -e '.[local]'"),
    pytest.mark.slow,
]


def options(base: Path, train: Path, val: Path | None, **more) -> TrainOptions:
    from training.local.backend import LocalOptions

    settings = LocalOptions(base_model=str(base), batch_size=4, max_length=256, learning_rate=5e-3, **more)
    return TrainOptions(train_file=train, validation_file=val, epochs=4, seed=0, settings=settings)


@pytest.fixture(scope="module")
def trained(tiny_base, data_files, tmp_path_factory):
    from training.local import LocalBackend

    with Workspace.open(tmp_path_factory.mktemp("ws-local")) as ws:
        job = LocalBackend(ws).start(options(tiny_base, *data_files, output="tiny-run"))
        yield ws, job


def test_prompt_tokens_are_masked_and_the_answer_is_learned(tiny_base, data_files, system_prompt, tmp_path):
    from training.local import deps
    from training.local.data import read_records
    from training.local.rundir import RunDir
    from training.local.train import Hyper, _config, _trainer

    records = read_records(data_files[0])
    made = options(tiny_base, *data_files)
    hyper = Hyper.from_options(made, made.settings)
    config = _config(hyper, deps.detect_device(), 2, False)
    trainer, _ = _trainer(str(tiny_base), config, hyper, records[:2], [], RunDir("t", tmp_path), {"quantization": None}, True)
    row = trainer.train_dataset[0]
    tokenizer = trainer.processing_class
    learned = [t for t, label in zip(row["input_ids"], row["labels"], strict=True) if label != -100]
    masked = [t for t, label in zip(row["input_ids"], row["labels"], strict=True) if label == -100]
    answer = records[0].completion[0]["content"]
    assert tokenizer.decode(learned).startswith(answer)
    assert tokenizer.decode(learned).rstrip().endswith("<|im_end|>")  # the model learns to stop
    prompt_text = tokenizer.decode(masked)
    assert system_prompt in prompt_text and "Luther schrieb 1517" in prompt_text and "Fehleranalyse:" not in prompt_text
    first = next(i for i, label in enumerate(row["labels"]) if label != -100)
    assert all(label == -100 for label in row["labels"][:first]) and first == len(masked)


def test_loss_goes_down_and_the_run_is_recorded(trained, data_files):
    ws, job = trained
    assert job.status == "succeeded" and job.backend == "local"
    info = job.data
    train_losses = [e["train_loss"] for e in info["losses"] if "train_loss" in e]
    eval_losses = [e["valid_loss"] for e in info["losses"] if "valid_loss" in e]
    assert len(train_losses) >= 4 and len(eval_losses) == 4
    assert train_losses[-1] < train_losses[0] - 0.3
    assert eval_losses[-1] < eval_losses[0]
    assert info["data"]["train"]["records"] == 20 and len(info["data"]["train"]["sha256"]) == 64
    assert info["data"]["validation"]["records"] == 4
    assert info["hyperparameters"]["lora_r"] == 16 and info["hyperparameters"]["epochs"] == 4
    assert info["final"]["tokens"] > 0 and info["tokens_per_second"] > 0
    run_dir = ws.root / "runs" / "tiny-run"
    assert (run_dir / "adapter" / "adapter_config.json").is_file()
    assert (run_dir / "adapter" / "tokenizer_config.json").is_file()
    assert not (run_dir / "trainer").exists()
    assert job.result_model == str(run_dir / "adapter")
    assert ws.runs.job(None).id == "tiny-run"  # `train status` without an id finds it


def test_events_and_status(trained):
    from training.local import LocalBackend

    ws, job = trained
    backend = LocalBackend(ws)
    events = list(backend.events(job.id))
    assert events and events[0].step >= 1 and events[0].train_loss is not None
    assert any(e.valid_loss is not None for e in events)
    assert "tokens/s" in events[0].message
    assert backend.status(job.id).status == "succeeded"
    assert backend.cancel(job.id).status == "succeeded"  # nothing to cancel


def test_a_second_run_with_the_same_name_is_refused(trained, tiny_base, data_files):
    from training.local import LocalBackend

    ws, _ = trained
    with pytest.raises(UserInputError, match="exists already"):
        LocalBackend(ws).start(options(tiny_base, *data_files, output="tiny-run"))


def test_generator_loads_the_adapter_and_stops_at_the_marker(trained, system_prompt):
    from training.local import LocalGenerator

    ws, job = trained
    messages = [{"role": "system", "content": system_prompt}, {"role": "user", "content": "Schüler 99: Luther schrieb."}]
    by_id = LocalGenerator("tiny-run", ws)
    free = by_id.generate(messages, stop=None, max_tokens=24)
    assert isinstance(free, str) and free
    assert LocalGenerator(job.result_model).generate(messages, stop=None, max_tokens=24) == free  # by path, same
    marker = free.strip()[3:7]  # whatever the model writes: the answer must end before it
    stopped = by_id.generate(messages, stop=marker, max_tokens=24)
    assert marker not in stopped and free.startswith(stopped)


def test_merge_writes_a_model_that_answers_like_base_plus_adapter(trained, tiny_base, tmp_path):
    import torch
    from transformers import AutoModelForCausalLM

    from training.local import LocalGenerator, merge

    ws, _ = trained
    out = merge(ws, "tiny-run", tmp_path / "merged")
    assert (out / "config.json").is_file() and (out / "examkit-merge.json").is_file()
    merged = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32)
    base = AutoModelForCausalLM.from_pretrained(tiny_base, dtype=torch.float32)
    with_adapter = LocalGenerator("tiny-run", ws).model
    ids = torch.tensor([[1, 5, 9, 20, 33]])
    with torch.no_grad():
        assert torch.allclose(merged(ids).logits, with_adapter(ids).logits, atol=1e-4)
        assert not torch.allclose(merged(ids).logits, base(ids).logits, atol=1e-3)  # training changed something
    with pytest.raises(UserInputError, match="not empty"):
        merge(ws, "tiny-run", out)
    assert LocalGenerator(out).generate([{"role": "user", "content": "Hallo"}], stop=None, max_tokens=8) is not None


def test_cancel_stops_training_after_the_current_step(tiny_base, data_files, tmp_path, monkeypatch):
    from training.local import LocalBackend
    from training.local.rundir import RunDir

    flag = tmp_path / "CANCEL"
    flag.write_text("now\n")
    monkeypatch.setattr(RunDir, "cancel_flag", property(lambda self: flag))
    with Workspace.open(tmp_path / "ws") as ws:
        job = LocalBackend(ws).start(options(tiny_base, data_files[0], None, output="stopped"))
        assert job.status == "cancelled"
        assert job.data["final"]["steps"] == 1
        assert (ws.root / "runs" / "stopped" / "adapter" / "adapter_config.json").is_file()


def test_records_that_max_length_cuts_are_reported(tiny_base, data_files):
    from transformers import AutoTokenizer

    from training.local.data import read_records
    from training.local.train import _warn_too_long

    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    records = read_records(data_files[0])
    with pytest.raises(UserInputError, match="every record's prompt is longer"):
        _warn_too_long(tokenizer, records, 10)
    _warn_too_long(tokenizer, records, 100_000)  # nothing cut: silent


SCRIPT = """
import sys
from pathlib import Path
from examkit.workspace import Workspace
from training.backend import TrainOptions
from training.local.backend import LocalOptions
from training.local.train import train
base, data, where = sys.argv[1:4]
with Workspace.open(where) as ws:
    settings = LocalOptions(base_model=base, batch_size=2, max_length=256)
    job = train(ws, TrainOptions(train_file=Path(data), epochs=1, settings=settings), settings)
    print("JOB", job.id, job.status, job.data["processes"])
"""


def test_two_processes_under_torchrun_make_one_run(tiny_base, data_files, tmp_path):
    """What `accelerate launch --multi_gpu` does on a GPU machine, with gloo on the CPU here."""
    import os
    import subprocess
    import sys

    script = tmp_path / "job.py"
    script.write_text(SCRIPT)
    where = tmp_path / "ws"
    env = os.environ | {"PYTHONPATH": str(Path(__file__).parents[2]), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         str(script), str(tiny_base), str(data_files[0]), str(where)],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    jobs = [line.split() for line in proc.stdout.splitlines() if line.startswith("JOB")]
    assert len(jobs) == 2 and jobs[0][1] == jobs[1][1]  # both processes trained the same run
    assert all(job[2:] == ["succeeded", "2"] for job in jobs)
    assert [p.name for p in (where / "runs").iterdir()] == [jobs[0][1]]
    with Workspace.open(where) as ws:
        assert [j.id for j in ws.runs.jobs()] == [jobs[0][1]]
        assert (ws.root / "runs" / jobs[0][1] / "adapter" / "adapter_config.json").is_file()


def test_merge_command_prints_the_folder(trained, tmp_path):
    import typer
    from typer.testing import CliRunner

    from training.local.cli import merge

    ws, _ = trained
    app = typer.Typer()
    app.command("merge")(merge)
    app.command("other")(lambda: None)  # a group, as under `examkit train`
    result = CliRunner().invoke(app, ["merge", "tiny-run", str(tmp_path / "m"), "--workspace", str(ws.root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str((tmp_path / "m").resolve())
    assert (tmp_path / "m" / "config.json").is_file()
    assert "Example: examkit train merge" in CliRunner().invoke(app, ["merge", "--help"]).stdout
