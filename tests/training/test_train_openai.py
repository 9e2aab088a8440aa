"""``examkit train`` against the fake OpenAI server, with the real SDK pointed at it."""

from __future__ import annotations

import json

import pytest

from training.backend import TrainOptions
from training.openai_backend import OpenAIBackend


def start(cli, ws_path, train_file, *args):
    return cli("train", "start", train_file, "-w", ws_path, "--interval", "0", *args)


def test_start_wait_runs_to_succeeded(cli, ws_path, train_file, openai_server):
    result = start(cli, ws_path, train_file, "--wait", "--suffix", "lk", "--epochs", "2")
    assert result.exit_code == 0, result.output
    job_id = next(iter(openai_server.jobs))
    tuned = openai_server.jobs[job_id]["fine_tuned_model"]
    assert tuned.startswith("ft:gpt-4o-mini-2024-07-18:") and ":lk:" in tuned
    assert result.stdout.splitlines() == [job_id, tuned]
    assert "step 3  train loss 0.3333  valid loss 0.4000" in result.stderr
    assert "status: succeeded" in result.stderr
    # the request: current SDK form, only the given hyperparameters, metadata naming the export
    body = openai_server.seen("POST", r"/fine_tuning/jobs$")[0].json
    assert body["method"] == {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 2}}}
    assert body["suffix"] == "lk" and "seed" not in body and "validation_file" not in body
    assert body["metadata"]["examkit_file"] == "train.jsonl"
    assert body["metadata"]["examkit_examples"] == "12"
    assert "train.jsonl" in body["metadata"]["examkit_export"]
    upload = openai_server.uploads[0]
    assert upload.form["purpose"] == "fine-tune" and upload.files["file"][1] == train_file.read_bytes()
    # recorded in the workspace: status without JOB means the newest
    status = cli("train", "status", "-w", ws_path, "--json")
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["result_model"] == tuned


def test_second_start_of_same_file_uploads_nothing(cli, ws_path, train_file, openai_server):
    assert start(cli, ws_path, train_file).exit_code == 0
    assert start(cli, ws_path, train_file, "--seed", "7").exit_code == 0
    assert len(openai_server.uploads) == 1
    jobs = openai_server.seen("POST", r"/fine_tuning/jobs$")
    assert [j.json["training_file"] for j in jobs] == ["file-000001", "file-000001"]
    assert jobs[1].json["seed"] == 7 and jobs[1].json["method"]["supervised"]["hyperparameters"] == {}


def test_changed_file_or_other_endpoint_uploads_again(cli, ws_path, train_file, openai_server, monkeypatch):
    assert start(cli, ws_path, train_file).exit_code == 0
    train_file.write_bytes(train_file.read_bytes().replace(b"Schluss 0.", b"Schluss null."))
    assert start(cli, ws_path, train_file).exit_code == 0
    assert len(openai_server.uploads) == 2


def test_upload_forgotten_by_the_service_is_uploaded_again(cli, ws_path, train_file, openai_server):
    assert start(cli, ws_path, train_file).exit_code == 0
    openai_server.files.clear()
    assert start(cli, ws_path, train_file).exit_code == 0
    assert len(openai_server.uploads) == 2


def test_dry_run_sends_nothing_and_prints_the_plan(cli, ws_path, train_file, openai_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY")  # a plan needs no key either
    result = start(cli, ws_path, train_file, "--dry-run", "--json", "--batch-size", "4")
    assert result.exit_code == 0, result.output
    assert openai_server.requests == []
    plan = json.loads(result.stdout)
    [file] = plan["files"]
    assert file["examples"] == 12 and file["tokens"] > 0 and len(file["sha256"]) == 64 and file["file_id"] is None
    assert plan["cost"]["billed_tokens"] > 0 and plan["cost"]["epochs"] == 8  # the default-epoch rule for 12
    assert plan["request"]["training_file"] == "<file id of train.jsonl after upload>"
    assert plan["request"]["method"]["supervised"]["hyperparameters"] == {"batch_size": 4}
    text = start(cli, ws_path, train_file, "--dry-run")
    assert "nothing was sent" in text.stdout and '"model": "gpt-4o-mini-2024-07-18"' in text.stdout
    assert openai_server.requests == []


def test_invalid_file_stops_before_anything_is_sent(cli, ws_path, train_file, openai_server):
    lines = train_file.read_text(encoding="utf-8").splitlines()
    lines[2] = '{"messages": [{"role": "user", "content": "nur eine Frage"}]}'
    train_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert f"{train_file}:3:" in result.stderr and "Nothing was sent" in result.stderr
    assert openai_server.requests == []


def test_no_key_says_how_to_set_it(cli, ws_path, train_file, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert "OPENAI_API_KEY is not set" in result.stderr and "export OPENAI_API_KEY=" in result.stderr
    assert "Traceback" not in result.output


def test_bad_key_is_one_line_and_never_shows_the_key(cli, ws_path, train_file, openai_server, monkeypatch):
    secret = "sk-proj-very-secret-0123456789abcdef"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert "API key was rejected" in result.stderr and result.stderr.strip().count("\n") == 0
    assert secret not in result.output
    stored = [p for p in ws_path.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]
    assert stored == []


def test_base_url_option_reaches_the_service(cli, ws_path, train_file, openai_server, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL")
    assert start(cli, ws_path, train_file, "--base-url", openai_server.base_url).exit_code == 0
    assert len(openai_server.uploads) == 1


def test_rate_limit_is_retried_after_retry_after(cli, ws_path, train_file, openai_server):
    openai_server.rate_limit(r"^/v1/files$", retry_after=0.05)
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 0, result.output
    assert len(openai_server.uploads) == 2  # the 429, then the retry


def test_server_error_then_success(cli, ws_path, train_file, openai_server):
    openai_server.server_error(r"/fine_tuning/jobs$")
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 0, result.output
    assert len(openai_server.seen("POST", r"/fine_tuning/jobs$")) == 2


def test_lasting_rate_limit_is_one_clear_line(cli, ws_path, train_file, openai_server):
    openai_server.rate_limit(r"^/v1/files$", retry_after=0.01, times=10)
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert "rate limit reached" in result.stderr and result.stderr.strip().count("\n") == 0


def test_file_rejected_by_the_service_names_its_line(cli, ws_path, train_file, openai_server):
    openai_server.reject_file(line=7)
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert f"{train_file}:7: rejected by the service: Invalid file format" in result.stderr


def test_organization_refusal_points_to_the_local_backend(cli, ws_path, train_file, openai_server):
    openai_server.refuse_fine_tuning()
    result = start(cli, ws_path, train_file)
    assert result.exit_code == 1
    assert "not available for this OpenAI organization" in result.stderr
    assert "--backend local" in result.stderr


def test_failed_job_exits_1_with_the_service_message(cli, ws_path, train_file, openai_server):
    openai_server.fail_job("next", "The job failed due to an invalid training file. Line 4: no assistant message")
    result = start(cli, ws_path, train_file, "--wait")
    assert result.exit_code == 1
    assert "failed: The job failed due to an invalid training file. Line 4" in result.stderr


def test_status_list_events_checkpoints_cancel(cli, ws_path, train_file, openai_server):
    assert start(cli, ws_path, train_file, "--wait").exit_code == 0
    assert start(cli, ws_path, train_file).exit_code == 0
    first, second = list(openai_server.jobs)
    listed = cli("train", "list", "-w", ws_path, "--json")
    assert [j["id"] for j in json.loads(listed.stdout)] == [second, first]
    events = cli("train", "events", first, "-w", ws_path, "--json")
    steps = [e["step"] for e in json.loads(events.stdout) if e["step"] is not None]
    assert steps == [1, 2, 3]
    points = cli("train", "checkpoints", first, "-w", ws_path, "--json")
    assert [c["step"] for c in json.loads(points.stdout)] == [3, 2, 1]
    cancelled = cli("train", "cancel", second, "-w", ws_path)
    assert cancelled.exit_code == 0 and cancelled.stdout.strip() == "cancelled"
    watched = cli("train", "watch", second, "-w", ws_path, "--interval", "0")
    assert watched.exit_code == 1 and f"job {second} was cancelled" in watched.stderr
    remote = cli("train", "list", "--remote", "-w", ws_path)
    assert remote.exit_code == 0 and first in remote.stdout


def test_status_without_jobs_is_a_clear_error(cli, ws_path):
    result = cli("train", "status", "-w", ws_path)
    assert result.exit_code == 1 and "no training job" in result.stderr


def test_timeout_is_one_clear_line(ws, train_file, openai_server):
    openai_server.fail(r"^/v1/files$", 500, delay=1.0, times=5)
    backend = OpenAIBackend(ws, timeout=0.2, max_retries=0)
    with pytest.raises(Exception) as caught:
        backend.start(TrainOptions(train_file=train_file))
    assert "did not answer in time" in caught.value.one_line()


def test_backends_report(cli, ws_path, openai_server):
    result = cli("train", "backends", "-w", ws_path, "--json")
    assert result.exit_code == 0, result.output
    rows = {r["backend"]: r for r in json.loads(result.stdout)}
    assert rows["openai"]["usable"] is True and rows["openai"]["default"] is True
    assert set(rows["local"]) >= {"usable", "detail", "needs"}


def test_local_dry_run_plans_without_a_service(cli, ws_path, train_file, openai_server):
    result = start(cli, ws_path, train_file, "--backend", "local", "--base-model", "Qwen/Qwen2.5-0.5B-Instruct",
                   "--lora-r", "8", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["backend"] == "local" and plan["model"] == "Qwen/Qwen2.5-0.5B-Instruct"
    assert plan["request"]["lora_r"] == 8 and plan["files"][0]["examples"] == 12
    assert openai_server.requests == []


def test_small_validation_file_is_accepted(cli, ws_path, train_file, openai_server, tmp_path):
    """OpenAI's minimum of 10 examples binds the training file; a grouped split's few validation
    examples must not stop the job."""
    val = tmp_path / "val.jsonl"
    val.write_text(train_file.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = start(cli, ws_path, train_file, "--validation", val, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert openai_server.seen() == []
    # while a training file below the minimum is still refused
    result = start(cli, ws_path, val, "--dry-run")
    assert result.exit_code == 1 and "too-few-examples" in result.output


def test_configured_epochs_go_into_the_job_and_the_cost(cli, ws_path, train_file, openai_server):
    config = ws_path / "examkit.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[export]\n", "[export]\nepochs = 3\n", 1),
                      encoding="utf-8")
    result = start(cli, ws_path, train_file, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["request"]["method"]["supervised"]["hyperparameters"] == {"n_epochs": 3}
    assert plan["cost"]["epochs"] == 3
    # the command line still wins
    plan = json.loads(start(cli, ws_path, train_file, "--dry-run", "--json", "--epochs", "2").stdout)
    assert plan["request"]["method"]["supervised"]["hyperparameters"] == {"n_epochs": 2}
