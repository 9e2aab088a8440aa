"""What a careless or broken service says never leaks the key and never crashes a command.

Through the CLI against the fake server: a service that quotes the whole API key when it refuses
it (``--verbose`` shows the traceback, without the key), job errors, events and model names that
contain the key (stored and printed masked), and a service that answers something that is not
JSON (one line naming the host and what came back).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.conftest import NEW_DOC

SECRET = "sk-test-SECRET123"


def commands(train_file: Path) -> dict[str, list]:
    return {
        "train start": ["train", "start", train_file],
        "train eval": ["train", "eval", "--model", "ft:tuned", "--data", train_file, "--workers", "1"],
        "annotate draft": ["annotate", "draft", NEW_DOC, "--model", "ft:tuned"],
    }


def stored_with(ws_path: Path, secret: str) -> list[Path]:
    return [p for p in ws_path.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


@pytest.mark.parametrize("command", ["train start", "train eval", "annotate draft"])
def test_verbose_traceback_never_shows_an_echoed_key(cli, ws_path, train_file, openai_server, monkeypatch, command):
    openai_server.echo_key = True
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    result = cli("--verbose", *commands(train_file)[command], "-w", ws_path)
    assert result.exit_code == 1, result.output
    assert "Traceback" in result.stderr and "AuthenticationError" in result.stderr  # the SDK's error, quoted
    assert "Incorrect API key provided: ***" in result.stderr
    assert SECRET not in result.output
    assert stored_with(ws_path, SECRET) == []


def test_train_status_verbose_never_shows_an_echoed_key(cli, ws_path, train_file, openai_server, monkeypatch):
    assert cli("train", "start", train_file, "-w", ws_path).exit_code == 0
    openai_server.echo_key = True
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    result = cli("train", "status", "--verbose", "-w", ws_path)
    assert result.exit_code == 1 and "the API key was rejected" in result.stderr
    assert "Traceback" in result.stderr and SECRET not in result.output


def test_job_texts_with_the_key_are_stored_and_shown_masked(cli, ws_path, train_file, openai_server):
    key = openai_server.api_key
    openai_server.fail_job("next", f"Training file rejected (request signed with {key})")
    started = cli("train", "start", train_file, "-w", ws_path, "--suffix", "x", "--wait", "--interval", "0")
    assert started.exit_code == 1, started.output
    job_id = next(iter(openai_server.jobs))
    openai_server.jobs[job_id]["model"] = f"gpt-4o-mini:{key}"  # a model name quoting the key
    status = cli("train", "status", "-w", ws_path)
    events = cli("train", "events", job_id, "-w", ws_path, "--json")
    listed = cli("train", "list", "-w", ws_path, "--json")
    for result in (started, status, events, listed):
        assert key not in result.output
    assert "Training file rejected (request signed with ***)" in status.stdout
    assert "request signed with ***" in events.stdout
    assert stored_with(ws_path, key) == []


@pytest.mark.parametrize("body, content_type", [
    (b"\xff\xfe\x00\x89PNG\r\n garbage", "application/json"),
    (b"<html><body>502 Bad Gateway</body></html>", "text/html"),
])
@pytest.mark.parametrize("command", ["train start", "train eval", "annotate draft"])
def test_a_reply_that_is_not_json_is_one_clear_line(cli, ws_path, train_file, openai_server, command, body,
                                                    content_type):
    openai_server.garbage(r"^/v1/", body, content_type=content_type)
    result = cli(*commands(train_file)[command], "-w", ws_path)
    assert result.exit_code == 1, result.output
    line = result.stderr.strip()
    assert "\n" not in line and "internal error" not in line
    assert f"127.0.0.1 answered HTTP 200 with {content_type}, not JSON" in line
    assert repr(body[:20].decode("utf-8", "replace"))[1:-1] in line  # what came back, shown
    assert "--base-url" in line
