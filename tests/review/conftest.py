"""A small workspace with one exam: a student's two pages (generated images, OCR words and a
teacher's underline), a task sheet, and the exam's tasks; plus a TestClient with the token,
based at the app's random path (``client.get("/")`` asks for ``/s/<random>/``)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from annotate.review import ReviewState, create_app
from annotate.review.server import free_port
from examkit.models import Document, Line, Mark, PageOCR, Word
from examkit.workspace import Workspace

EXAM = "LK-Test-2024"
STUDENT = f"{EXAM}/mueller-anna"
PAGE_LINES = [
    ["Die", "Reformation", "begann", "1517", "in", "Wittenberg."],
    ["Luther", "schrieb", "95", "Thesen", "gegen", "den", "Ablass."],
    ["Textart:", "Quasi", "(Statement)"],
]
SHEET = {"title": "DIE REFORMATION", "tasks": [{"label": "A", "max": 8}, {"label": "B", "max": 5}]}


def make_page(ws: Workspace, doc_id: str, number: int, lines: list[list[str]], *, size=(1240, 1754),
              flagged: set[str] = frozenset(), marks: list[Mark] = ()) -> int:
    """A page image with the words drawn where their boxes say, and its OCR reading."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    ocr_lines = []
    for li, words in enumerate(lines):
        y, x, boxes = 150 + li * 90, 120, []
        for text in words:
            width = 18 * len(text)
            draw.text((x, y), text, fill=0)
            boxes.append(Word(text=text, conf=40 if text in flagged else 92, bbox=(x, y, x + width, y + 40),
                              flagged=text in flagged))
            x += width + 20
        ocr_lines.append(Line(words=boxes, bbox=(120, y, x, y + 40)))
    rel = f"pages/{doc_id.replace('/', '_')}-{number}.png"
    img.save(ws.path(rel))
    page = ws.documents.set_page(doc_id, number, image=rel, original=rel, width=size[0], height=size[1])
    ws.documents.add_ocr(page.id, PageOCR(engine="test", lines=ocr_lines, marks=list(marks),
                                          width=size[0], height=size[1]))
    return page.id


@pytest.fixture
def review_ws(ws: Workspace) -> Workspace:
    ws.documents.upsert(Document(id=STUDENT, exam=EXAM, kind="student", source="/scans/mueller-anna.pdf"))
    ws.documents.upsert(Document(id=f"{EXAM}/aufgabe", exam=EXAM, kind="task", source="/scans/aufgabe.pdf"))
    underline = Mark(kind="underline", bbox=(120, 330, 400, 370), text="Textart: Quasi")
    make_page(ws, STUDENT, 1, PAGE_LINES, flagged={"Quasi", "1517"}, marks=[underline])
    make_page(ws, STUDENT, 2, [["Zweite", "Seite", "<script>alert(1)</script>"]])
    make_page(ws, f"{EXAM}/aufgabe", 1, [["Aufgabe", "A:", "Analysieren", "Sie", "die", "Quelle."]])
    ws.revisions.set_exam_sheet(EXAM, SHEET)
    return ws


@pytest.fixture
def state(review_ws: Workspace) -> Iterator[ReviewState]:
    st = ReviewState(review_ws.root, token="test-token")
    yield st
    st.close()


@pytest.fixture
def client(state: ReviewState) -> Iterator[TestClient]:
    with TestClient(create_app(state), base_url=f"http://127.0.0.1{state.base_path}") as c:
        c.headers["X-Examkit-Token"] = state.token
        yield c


@pytest.fixture
def anon(state: ReviewState) -> Iterator[TestClient]:
    with TestClient(create_app(state), base_url=f"http://127.0.0.1{state.base_path}") as c:
        yield c


def page_ids(ws: Workspace, doc_id: str = STUDENT) -> list[int]:
    return [p.id for p in ws.documents.pages(doc_id)]


def root_of(ws: Workspace) -> Path:
    return ws.root


@contextmanager
def serving(state: ReviewState) -> Iterator[str]:
    """The real app with uvicorn in a thread on a free loopback port; yields its base URL (random path included)."""
    port = free_port("127.0.0.1")
    srv = uvicorn.Server(uvicorn.Config(create_app(state), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}{state.base_path}"
    finally:
        srv.should_exit = True
        thread.join(5)


@contextmanager
def other_listener(html: str = "<!doctype html><p>anderer Dienst</p>") -> Iterator[tuple[str, list[dict[str, str]]]]:
    """Another local web server (as any program on the machine could run): yields its URL and the
    headers of every request it got, and answers each with ``html``."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            seen.append({"path": self.path, **{k.lower(): v for k, v in self.headers.items()}})
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
