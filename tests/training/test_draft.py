"""``examkit annotate draft``: the tuned model's analysis stored as a draft revision."""

from __future__ import annotations

from export.records import collect_records, prompt_messages
from tests.training.conftest import EXAM, NEW_DOC
from tests.training.data import CLOSE, UNREADABLE


def test_draft_is_stored_as_a_machine_written_revision(cli, ws_path, exam_ws, openai_server):
    openai_server.chat = lambda request: CLOSE + " ENDSTOP"
    result = cli("annotate", "draft", NEW_DOC, "--model", "ft:tuned", "-w", ws_path)
    assert result.exit_code == 0, result.output
    [revision] = exam_ws.revisions.analyses(NEW_DOC)
    assert revision.source == "draft" and revision.model == "ft:tuned"
    assert revision.sheet["tasks"][0]["label"] == "A"
    assert revision.text.startswith("Fehleranalyse:") and "Punkte: 11 von 13" in revision.text
    assert result.stdout.strip() == revision.text.strip()
    [request] = openai_server.chat_requests
    assert request["temperature"] == 0 and request["stop"] == ["ENDSTOP"] and request["model"] == "ft:tuned"
    assert request["messages"] == prompt_messages(exam_ws, NEW_DOC)
    # a draft is not training data until a person saves the analysis
    assert NEW_DOC in {s.document_id for s in collect_records(exam_ws).skipped}


def test_prompt_is_exactly_the_exported_one(exam_ws):
    doc = f"{EXAM}/schueler-03"
    record = next(r for r in collect_records(exam_ws).records if r.document_id == doc)
    assert prompt_messages(exam_ws, doc) == record.chat()["messages"][:-1]


def test_unreadable_answer_is_stored_as_written(cli, ws_path, exam_ws, openai_server):
    openai_server.chat = lambda request: UNREADABLE
    result = cli("annotate", "draft", NEW_DOC, "--model", "ft:tuned", "-w", ws_path)
    assert result.exit_code == 0, result.output
    assert "not a readable Fehleranalyse" in result.stderr
    [revision] = exam_ws.revisions.analyses(NEW_DOC)
    assert revision.text == UNREADABLE and revision.sheet is None and revision.source == "draft"


def test_unknown_document_is_a_clear_error(cli, ws_path, exam_ws, openai_server):
    result = cli("annotate", "draft", f"{EXAM}/niemand", "--model", "ft:tuned", "-w", ws_path)
    assert result.exit_code == 1 and "niemand" in result.stderr
    assert openai_server.chat_requests == []
