"""A third training backend is one module plus one registry line: every command works with it.

The stand-ins live in ``tests/training/standin_backends.py``; the registry line is added here
with ``monkeypatch.setitem(BACKENDS, ...)``, exactly the line a real backend adds to
``training/backends.py``. Nothing else in examkit names a backend.
"""

from __future__ import annotations

import json

import pytest

from tests.training.conftest import NEW_DOC
from tests.training.standin_backends import NOTEBOOK_ANSWER
from training.backends import BACKENDS


@pytest.fixture
def compat(monkeypatch):
    monkeypatch.setitem(BACKENDS, "compat", "tests.training.standin_backends:CompatBackend")


@pytest.fixture
def notebook(monkeypatch):
    monkeypatch.setitem(BACKENDS, "notebook", "tests.training.standin_backends:NotebookBackend")


def test_a_compatible_service_backend_runs_every_command(cli, ws_path, train_file, openai_server, compat):
    listed = json.loads(cli("train", "backends", "--json", "-w", ws_path).stdout)
    assert {"backend": "compat", "usable": True, "needs": "OPENAI_API_KEY for the compat service"}.items() <= \
        next(row for row in listed if row["backend"] == "compat").items()
    dry = cli("train", "start", train_file, "--backend", "compat", "--dry-run", "--json", "-w", ws_path)
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["backend"] == "compat" and openai_server.requests == []
    started = cli("train", "start", train_file, "--backend", "compat", "--wait", "--interval", "0", "-w", ws_path)
    assert started.exit_code == 0, started.output
    job_id, tuned = started.stdout.split()
    status = json.loads(cli("train", "status", "--json", "-w", ws_path).stdout)  # the job knows its backend
    assert status["backend"] == "compat" and status["result_model"] == tuned
    assert cli("train", "checkpoints", job_id, "-w", ws_path).exit_code == 0
    evaluated = cli("train", "eval", "--backend", "compat", "--model", tuned, "--data", train_file, "-w", ws_path)
    assert evaluated.exit_code == 0, evaluated.output
    drafted = cli("annotate", "draft", NEW_DOC, "--backend", "compat", "--model", tuned, "-w", ws_path)
    assert drafted.exit_code == 0, drafted.output


def test_its_own_minimum_of_examples_binds_the_training_file(cli, ws_path, train_file, openai_server, compat):
    lines = train_file.read_text(encoding="utf-8").splitlines()
    train_file.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    refused = cli("train", "start", train_file, "--backend", "compat", "--dry-run", "-w", ws_path)
    assert refused.exit_code == 1 and "4 examples; fine-tuning needs at least 5" in refused.stderr
    train_file.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")
    assert cli("train", "start", train_file, "--backend", "compat", "--dry-run", "-w", ws_path).exit_code == 0


def test_a_backend_written_from_the_base_class_alone(cli, ws_path, exam_ws, train_file, notebook):
    (ws_path / "examkit.toml").write_text('[train]\nbackend = "notebook"\n', encoding="utf-8")
    dry = cli("train", "start", train_file, "--dry-run", "-w", ws_path)
    assert dry.exit_code == 0, dry.output
    assert "backend    notebook\n" in dry.stdout and "read locally" in dry.stdout and "notebook training" in dry.stdout
    started = cli("train", "start", train_file, "-w", ws_path)
    assert started.exit_code == 0 and started.stdout.strip() == "nb-1"
    assert "trained in a notebook" in cli("train", "events", "nb-1", "-w", ws_path).stdout
    refused = cli("train", "checkpoints", "nb-1", "-w", ws_path)
    assert refused.exit_code == 1 and "notebook backend has no checkpoints" in refused.stderr
    remote = cli("train", "list", "--remote", "-w", ws_path)
    assert remote.exit_code == 1 and "no jobs outside this workspace" in remote.stderr
    drafted = cli("annotate", "draft", NEW_DOC, "--model", "notebook-tuned", "-w", ws_path)
    assert drafted.exit_code == 0 and drafted.stdout.startswith("Fehleranalyse:")
    assert exam_ws.revisions.analyses(NEW_DOC)[-1].model == "notebook-tuned"
    assert NOTEBOOK_ANSWER.split("\n")[0] in drafted.stdout


def test_an_unregistered_backend_names_the_registered_ones(cli, ws_path, train_file):
    result = cli("train", "start", train_file, "--backend", "nope", "--dry-run", "-w", ws_path)
    assert result.exit_code == 1 and "unknown backend 'nope'" in result.stderr
    assert "openai, local" in result.stderr


def test_its_own_hyperparameters_come_through_dash_o_and_bad_ones_are_one_line(cli, ws_path, exam_ws, train_file,
                                                                                notebook):
    started = cli("train", "start", train_file, "--backend", "notebook", "-o", "pages=3", "-o", "ink=red",
                  "-w", ws_path)
    assert started.exit_code == 0, started.output
    assert {"pages": 3, "ink": "red"}.items() <= exam_ws.runs.job("nb-1").data.items()
    dry = cli("train", "start", train_file, "--backend", "notebook", "-o", "pages=3", "--dry-run", "--json",
              "-w", ws_path)
    assert {"pages": 3, "ink": "blue"}.items() <= json.loads(dry.stdout)["request"].items()
    refused = cli("train", "start", train_file, "--backend", "notebook", "-o", "pages=none", "-w", ws_path)
    assert refused.exit_code == 1 and "notebook backend option 'pages' from the command line" in refused.stderr
    lacking = cli("train", "start", train_file, "--backend", "notebook", "--suffix", "x", "-w", ws_path)
    assert lacking.exit_code == 1 and "option 'suffix' from the command line: no such option" in lacking.stderr
    assert "Options of the notebook backend: pages, ink" in lacking.stderr
    listed = json.loads(cli("train", "backends", "--json", "-w", ws_path).stdout)
    assert next(r for r in listed if r["backend"] == "notebook")["options"] == ["pages", "ink"]


def test_its_own_command_is_on_the_train_group(notebook):
    from typer.testing import CliRunner

    from examkit import cli as root
    from examkit_app import assemble

    result = CliRunner().invoke(assemble(), ["train", "notebook-info"])
    assert result.exit_code == 0 and "a notebook and a pen" in result.stdout
    assert root.app is not None
