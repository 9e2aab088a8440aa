"""An exam with twelve analysed tests and one new test, exported to chat JSONL; the fake OpenAI server.

The training file is made by ``examkit export chat`` itself, so the tests start jobs on exactly
what a teacher would upload.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from annotate.sheets import attach_sheet
from examkit.models import Document
from examkit.workspace import Workspace
from tests.fakes import openai_server  # noqa: F401  (the fixture)

EXAM = "LK-Neuzeit-2023"
TASK_TEXT = "Aufgabe A: Analysieren Sie den Brief Luthers.\nAufgabe B: Ordnen Sie ihn ein."
N_STUDENTS = 12
NEW_DOC = f"{EXAM}/neu-nina"


def answer(i: int) -> str:
    return f"Antwort {i}: Die Reformation begann 1517.\nTextart: Quasi (Statement)\nSchluss {i}."


def sheet(i: int) -> str:
    return f"""tasks:
  - label: A
    max: 8
    errors:
      - quote: "Textart: Quasi (Statement)"
        comment: ist falsch. Die Textart = Brief
        deduction: {1 + i % 3}
  - label: B
    max: 5
    errors:
      - comment: Ungenau (Fall {i})
        deduction: 1
"""


def typed(ws: Workspace, doc_id: str, text: str, kind: str = "student") -> None:
    ws.documents.upsert(Document(id=doc_id, exam=EXAM, kind=kind, source=f"exams/{doc_id}.txt", typed=True))
    page = ws.documents.set_page(doc_id, 1)
    ws.revisions.add_text(page.id, text, source="import")


@pytest.fixture
def exam_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    typed(ws, f"{EXAM}/aufgabe", TASK_TEXT, kind="task")
    for i in range(N_STUDENTS):
        doc = f"{EXAM}/schueler-{i:02d}"
        typed(ws, doc, answer(i))
        path = tmp_path / f"sheet-{i}.yaml"
        path.write_text(sheet(i), encoding="utf-8")
        attach_sheet(ws, doc, path)
    typed(ws, NEW_DOC, "Antwort neu: Luther schrieb 1517 an den Erzbischof.\nTextart: Rede")
    return ws


@pytest.fixture
def train_file(exam_ws: Workspace, ws_path: Path, tmp_path: Path, cli) -> Path:
    out = tmp_path / "train.jsonl"
    result = cli("export", "chat", out, "-w", ws_path)
    assert result.exit_code == 0, result.output
    return out
