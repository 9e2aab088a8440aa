"""The parts of the local backend that need no torch: data files, run folders, job records, imports."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from examkit.errors import InputFileError, MissingDependencyError, NotFoundError, UserInputError
from training.backend import TrainOptions
from training.local import LocalBackend, deps
from training.local.backend import LocalOptions
from training.local.data import read_records
from training.local.rundir import find_run, new_run


def test_chat_and_prompt_completion_lines_become_prompt_and_answer(tmp_path):
    path = tmp_path / "t.jsonl"
    chat = {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "U"},
                         {"role": "assistant", "content": "A ENDSTOP", "weight": 1}]}
    path.write_text("\ufeff" + json.dumps(chat) + "\n\n" + json.dumps({"prompt": "P", "completion": "C"}) + "\n")
    first, second = read_records(path)
    assert first.line == 1 and first.prompt == chat["messages"][:2]
    assert first.completion == [{"role": "assistant", "content": "A ENDSTOP"}]  # extra keys dropped
    assert second.line == 3 and second.as_row() == {
        "prompt": [{"role": "user", "content": "P"}], "completion": [{"role": "assistant", "content": "C"}]}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"messages": [{"role": "user", "content": "U"}, {"role": "user", "content": "V"}]}', "last message"),
        ('{"messages": [{"role": "robot", "content": "U"}, {"role": "assistant", "content": "A"}]}', "role"),
        ('{"prompt": "P"}', "expected"),
        ("[1, 2]", "JSON object"),
        ("{not json", "JSON"),
    ],
)
def test_a_bad_line_is_named_with_its_number(tmp_path, line, reason):
    good = json.dumps({"prompt": "P", "completion": "C"})
    path = tmp_path / "bad.jsonl"
    path.write_text(f"{good}\n{line}\n{line}\n")
    with pytest.raises(InputFileError, match=reason) as caught:
        read_records(path)
    assert caught.value.line == 2 and "1 more bad lines" in caught.value.message
    assert "export validate" in caught.value.advice


def test_empty_and_missing_files(tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(InputFileError, match="no training records"):
        read_records(tmp_path / "empty.jsonl")
    with pytest.raises(InputFileError, match="cannot read"):
        read_records(tmp_path / "missing.jsonl")


def test_run_folders_are_never_reused(ws):
    first = new_run(ws, None)
    second = new_run(ws, None)
    assert first.run_id != second.run_id and first.root.is_dir() and second.root.is_dir()
    new_run(ws, "mine")
    with pytest.raises(UserInputError, match="exists already"):
        new_run(ws, "mine")
    with pytest.raises(UserInputError, match="not a usable run name"):
        new_run(ws, "../escape")
    with pytest.raises(NotFoundError):
        find_run(ws, "mine")  # no run.json: never started


def _fake_running_job(ws, run_id: str, pid: int):
    run = new_run(ws, run_id)
    info = {"id": run_id, "base_model": "some/model", "status": "running", "pid": pid, "host": socket.gethostname()}
    run.write(info)
    ws.runs.save_job(run_id, backend="local", model="some/model", status="running", data=info)
    return run


def test_status_notices_a_run_whose_process_died(ws):
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    _fake_running_job(ws, "crashed", ended.pid)
    job = LocalBackend(ws).status("crashed")
    assert job.status == "failed" and "ended without finishing" in job.data["error"]
    assert ws.runs.job("crashed").status == "failed"


def test_cancel_leaves_a_flag_for_the_running_training(ws):
    run = _fake_running_job(ws, "busy", os.getpid())
    backend = LocalBackend(ws)
    assert backend.cancel("busy").status == "running"
    assert run.cancel_flag.is_file()
    assert list(backend.events("busy")) == []


def test_a_job_of_the_openai_backend_is_not_ours(ws):
    ws.runs.save_job("ftjob-1", backend="openai", model="gpt-4o-mini", status="running")
    with pytest.raises(UserInputError, match="openai backend"):
        LocalBackend(ws).status("ftjob-1")


def test_without_the_stack_the_backend_says_how_to_install(ws, tmp_path, monkeypatch):
    monkeypatch.setattr(deps, "missing", lambda: ["torch", "trl"])
    ok, why = LocalBackend(ws).usable()
    assert not ok and "torch, trl" in why and ".[local]" in why
    train = tmp_path / "t.jsonl"
    train.write_text(json.dumps({"prompt": "P", "completion": "C"}) + "\n")
    with pytest.raises(MissingDependencyError, match="torch, trl"):
        LocalBackend(ws).start(TrainOptions(train_file=train, settings=LocalOptions(base_model="x")))


def test_a_base_model_is_required(ws, tmp_path):
    if deps.missing():
        pytest.skip("the [local] extra is not installed: pip install -e '.[local]'")
    train = tmp_path / "t.jsonl"
    train.write_text(json.dumps({"prompt": "P", "completion": "C"}) + "\n")
    with pytest.raises(UserInputError, match="base model"):
        LocalBackend(ws).start(TrainOptions(train_file=train))


def test_importing_the_package_loads_no_torch():
    code = ("import sys, training.local as t; t.LocalBackend; t.LocalGenerator; "
            "import training.local.train, training.local.merging; "
            "assert not [m for m in ('torch', 'transformers', 'trl', 'peft') if m in sys.modules], sys.modules.keys()")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])
