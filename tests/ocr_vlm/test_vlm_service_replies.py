"""``ocr scan --engine vlm`` against a careless or broken service: each page's failure is one
clear line, stored and printed without the API key."""

from __future__ import annotations

from examkit.workspace import Workspace
from tests.ocr_vlm.test_vlm_scan_cli import _exam

SECRET = "sk-test-SECRET123"


def scan(cli, tmp_path, openai_server, *extra):
    return cli("--verbose", "ocr", "scan", _exam(tmp_path), "--engine", "vlm", "--model", "qwen-vl", "--base-url",
               openai_server.base_url, "--workers", "1", "-w", tmp_path / "ws", *extra)


def failures(tmp_path):
    with Workspace.open(tmp_path / "ws") as ws:
        return [f.reason for f in ws.documents.failures()]


def test_a_page_answered_with_garbage_fails_with_one_line(cli, tmp_path, openai_server):
    openai_server.garbage(r"/chat/completions$", b"\x00\x01\xfe not json")
    result = scan(cli, tmp_path, openai_server)
    assert result.exit_code == 3, result.output
    [reason] = failures(tmp_path)
    assert "127.0.0.1 answered HTTP 200 with application/json, not JSON" in reason and "\n" not in reason
    assert "UnicodeDecodeError" not in result.output and "internal error" not in result.output


def test_an_echoed_key_is_neither_stored_nor_printed(cli, tmp_path, openai_server, monkeypatch):
    openai_server.echo_key = True
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    result = scan(cli, tmp_path, openai_server)
    assert result.exit_code == 3, result.output
    [reason] = failures(tmp_path)
    assert "the API key was rejected" in reason and "Incorrect API key provided: ***" in reason
    assert SECRET not in result.output
    assert [p for p in (tmp_path / "ws").rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()] == []


def test_a_garbage_reply_echoing_the_key_shows_no_part_of_it(cli, tmp_path, openai_server, monkeypatch):
    key = "sk-proj-SECRETabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    openai_server.api_key = key
    openai_server.garbage(r"/chat/completions$", f"<html>key {key} and more</html>".encode())
    result = scan(cli, tmp_path, openai_server)
    assert result.exit_code == 3, result.output
    [reason] = failures(tmp_path)
    assert "not JSON" in reason and "SECRETabc" not in reason and "sk-proj" not in reason
    assert "SECRETabc" not in result.output
    status = cli("ocr", "status", "-w", tmp_path / "ws")
    assert "SECRETabc" not in status.output


def test_redact_masks_key_shaped_text_and_cut_prefixes_of_the_key(monkeypatch):
    from examkit.service_messages import redact

    monkeypatch.setenv("OPENAI_API_KEY", "local-key-0123456789abcdef")
    assert redact("a sk-other-ABCDEFGH123 b") == "a *** b"
    assert redact("cut: local-key-01234") == "cut: ***"
    assert redact("a local-model") == "a local-model"
    assert redact("ask-me and skate stay") == "ask-me and skate stay"
