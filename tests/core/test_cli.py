from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from examkit_app import app


def _commands(group, prefix=()):
    """Every (path, command) pair of the CLI tree."""
    import typer.main

    command = typer.main.get_command(group)
    stack = [(prefix, command)]
    while stack:
        path, cmd = stack.pop()
        sub = getattr(cmd, "commands", None)
        if sub is not None:
            stack.extend((path + (name,), c) for name, c in sub.items())
        else:
            yield path, cmd


def test_help_lists_groups(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for group in ("ocr", "annotate", "review", "export", "train", "init", "doctor"):
        assert group in result.output


@pytest.mark.parametrize("path", [p for p, _ in _commands(app)], ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output and "examkit " in result.output, f"{' '.join(path)} --help has no example"


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.startswith("examkit ")


def test_unknown_command_is_usage_error(cli):
    assert cli("no-such-command").exit_code == 2


def test_workspace_that_is_a_file_is_one_line_exit_1(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "examkit_app", "init", str(target)], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert str(target) in proc.stderr and "Traceback" not in proc.stderr


def test_verbose_anywhere_shows_traceback(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "examkit_app", "init", str(target), "--verbose"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr


def test_workspace_before_group_is_used(cli, tmp_path):
    result = cli("--workspace", str(tmp_path / "root-ws"), "init")
    assert result.exit_code == 0
    assert (tmp_path / "root-ws" / "examkit.toml").exists()


def test_brackets_in_a_file_name_are_shown_not_read_as_markup(cli, tmp_path):
    missing = tmp_path / "x[/y]Klasse[bold]10.txt"
    result = cli("annotate", "check", missing)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "x[/y]Klasse[bold]10.txt" in result.output


def test_a_users_export_py_and_training_py_beside_them_do_not_shadow_the_command(tmp_path):
    # the stages install as top-level packages (ocr, annotate, export, training); the console script
    # puts its own folder first on sys.path, so a teacher's notebook folder cannot shadow them
    import shutil

    for name in ("export", "training", "ocr", "annotate"):
        (tmp_path / f"{name}.py").write_text("raise SystemExit('the user file was imported')\n", encoding="utf-8")
    command = shutil.which("examkit", path=str(Path(sys.executable).parent))
    assert command is not None
    for args in (["--version"], ["export", "--help"], ["train", "backends", "--json", "-w", str(tmp_path / "ws")]):
        done = subprocess.run([command, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "user file" not in done.stderr, (args, done.stderr)
