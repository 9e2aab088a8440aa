"""``examkit train eval`` against the fake server: requests, metrics, cache, several models."""

from __future__ import annotations

import json

from tests.training.data import CLOSE, EXPECTED, FAR, REFERENCE, UNREADABLE

ANSWERS = {"Test 1": CLOSE, "Test 2": FAR, "Test 3": UNREADABLE}


def write_data(path):
    rows = [{"messages": [{"role": "system", "content": "Du bist Lehrer."}, {"role": "user", "content": user},
                          {"role": "assistant", "content": REFERENCE}]} for user in ANSWERS]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def scripted(request):
    answer = ANSWERS[request["messages"][-1]["content"]]
    return answer if request["model"] == "ft:good" else UNREADABLE


def test_eval_reports_the_metrics_and_sends_what_it_should(cli, ws_path, tmp_path, openai_server):
    openai_server.chat = scripted
    data = write_data(tmp_path / "val.jsonl")
    result = cli("train", "eval", "--model", "ft:good", "--data", data, "--json", "-w", ws_path)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == [*EXPECTED, "items"]
    assert {k: report[k] for k in EXPECTED} == EXPECTED
    assert [i["record"] for i in report["items"]] == [1, 2, 3]
    sent = openai_server.chat_requests
    assert len(sent) == 3
    for request in sent:
        assert request["temperature"] == 0 and request["stop"] == ["ENDSTOP"] and request["model"] == "ft:good"
        assert [m["role"] for m in request["messages"]] == ["system", "user"]
    # a re-score costs nothing: the answers come from the workspace
    again = cli("train", "eval", "--model", "ft:good", "--data", data, "--json", "-w", ws_path)
    assert json.loads(again.stdout) == report and len(openai_server.chat_requests) == 3
    assert "3 of 3 answers from the cache" in again.stderr


def test_several_models_side_by_side(cli, ws_path, tmp_path, openai_server):
    openai_server.chat = scripted
    data = write_data(tmp_path / "val.jsonl")
    out = tmp_path / "report.md"
    result = cli("train", "eval", "--model", "ft:good", "--model", "base", "--data", data, "--out", out, "-w", ws_path)
    assert result.exit_code == 0, result.output
    header, records, parsed = result.stdout.splitlines()[:3]
    assert header.split() == ["metric", "ft:good", "base"]
    assert parsed.split() == ["parsed", "66.7", "%", "0.0", "%"]
    assert "| metric | ft:good | base |" in out.read_text()
    as_json = cli("train", "eval", "--model", "ft:good", "--model", "base", "--data", data, "--json", "-w", ws_path)
    both = json.loads(as_json.stdout)
    assert set(both) == {"ft:good", "base"} and both["base"]["parsed_rate"] == 0


def test_failed_requests_are_listed_and_exit_3(cli, ws_path, tmp_path, openai_server):
    openai_server.chat = scripted
    openai_server.fail(r"/chat/completions$", 400, "This model's maximum context length is 16385 tokens", times=1)
    data = write_data(tmp_path / "val.jsonl")
    result = cli("train", "eval", "--model", "ft:good", "--data", data, "--json", "--workers", "1", "-w", ws_path)
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["n"] == 2
    assert "maximum context length" in result.stderr


def test_unknown_model_stops_early_with_one_line(cli, ws_path, tmp_path, openai_server):
    openai_server.fail(r"/chat/completions$", 404, "The model `ft:nope` does not exist", times=10)
    data = write_data(tmp_path / "val.jsonl")
    result = cli("train", "eval", "--model", "ft:nope", "--data", data, "-w", ws_path)
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_eval_on_a_file_that_is_not_chat_names_the_line(cli, ws_path, tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"prompt": "x", "completion": "y"}\n', encoding="utf-8")
    result = cli("train", "eval", "--model", "m", "--data", data, "-w", ws_path)
    assert result.exit_code == 1 and f"{data}:1:" in result.stderr


def test_rate_limited_requests_wait_and_succeed(cli, ws_path, tmp_path, openai_server):
    openai_server.chat = scripted
    openai_server.rate_limit(r"/chat/completions$", retry_after=0.05, times=2)
    data = write_data(tmp_path / "val.jsonl")
    result = cli("train", "eval", "--model", "ft:good", "--data", data, "--json", "-w", ws_path)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == 3 and len(openai_server.chat_requests) == 5
