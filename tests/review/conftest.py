"""Review fixtures: a small workspace built through the API, with generated PNG pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from examkit.models import Document, Line, Mark, PageOCR, Word
from examkit.workspace import Workspace

TOKEN = "test-token-123"

LINES = [
    ["Die", "Reformation", "begann", "1517."],
    ["Luther", "schrieb", "95", "Thesen."],
    ["Textart:", "Quasi", "(Statement)"],
]


def make_reading(lines: list[list[str]], *, width: int = 1000, height: int = 600) -> PageOCR:
    """An OCR reading with words laid out left to right, one line every 60 pixels."""
    out = []
    for n, words in enumerate(lines):
        y = 40 + n * 60
        x = 40
        row = []
        for i, text in enumerate(words):
            w = 30 + 18 * len(text)
            conf = 45.0 if i == 1 and n == 0 else 92.0
            row.append(Word(text=text, conf=conf, bbox=(x, y, x + w, y + 40), flagged=conf < 50))
            x += w + 20
        out.append(Line(words=row, bbox=(40, y, x, y + 40)))
    marks = [Mark(kind="underline", bbox=(40, 160, 400, 200), text="Textart: Quasi")]
    return PageOCR(engine="test", lines=out, marks=marks, width=width, height=height)


def make_png(path: Path, width: int = 1000, height: int = 600, words: list[list[str]] | None = None) -> None:
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    for n, line in enumerate(words or LINES):
        draw.text((40, 50 + n * 60), " ".join(line), fill=20)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


def add_document(ws: Workspace, doc_id: str, *, pages: int = 1, lines: list[list[str]] | None = None,
                 kind: str = "student") -> list[int]:
    exam = doc_id.rsplit("/", 1)[0] if "/" in doc_id else ""
    ws.documents.upsert(Document(id=doc_id, exam=exam, kind=kind, source=f"/scans/{doc_id}.pdf"))
    ids = []
    for number in range(1, pages + 1):
        rel = f"pages/{doc_id.replace('/', '__')}-{number}.png"
        make_png(ws.path(rel), words=lines)
        page = ws.documents.store_page_ocr(doc_id, number, make_reading(lines or LINES), image=rel,
                                           original=rel, width=1000, height=600)
        ids.append(page.id)
    return ids


@pytest.fixture
def review_ws(ws: Workspace) -> Workspace:
    add_document(ws, "LK-Neuzeit/mueller-anna", pages=2)
    add_document(ws, "LK-Neuzeit/schmidt-ben")
    return ws


@pytest.fixture
def app(review_ws: Workspace):
    from annotate.reviewpage import create_app

    return create_app(review_ws, token=TOKEN)


@pytest.fixture
def client(app) -> TestClient:
    """A client that has the cookie (it opened the printed URL)."""
    c = TestClient(app)
    r = c.get(f"/?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303
    return c


@pytest.fixture
def page_id(review_ws: Workspace) -> int:
    return review_ws.documents.pages("LK-Neuzeit/mueller-anna")[0].id
