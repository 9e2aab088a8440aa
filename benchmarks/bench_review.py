"""The review server: page view and line editor of an A4 300-DPI page, saving a page text and one
line (targets: < 300 ms to open, < 50 ms to save).

A generated 2480×3508 page (grey PNG like the OCR stage's preprocessed image, and a colour JPEG
as the original) with 32 lines of 10 words each as its OCR reading, served by the real app under
uvicorn on a loopback port and fetched with httpx, as the browser would. "Page view" is the HTML
plus the downscaled image: the image once cold (decoded and shrunk, then cached on disk) and then
warm (from the cache). Run: ``.venv/bin/python benchmarks/bench_review.py``.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.review import ReviewState, create_app  # noqa: E402
from annotate.review.server import free_port  # noqa: E402
from examkit.models import Document, Line, PageOCR, Word  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402

A4_300 = (2480, 3508)


def _workspace(root: Path) -> tuple[Workspace, int]:
    ws = Workspace.open(root)
    ws.documents.upsert(Document(id="LK-Bench/student", exam="LK-Bench", source="bench"))
    grey = Image.new("L", A4_300, 250)
    draw = ImageDraw.Draw(grey)
    lines = []
    for li in range(32):
        y, words = 250 + li * 95, []
        for wi in range(10):
            x = 200 + wi * 205
            draw.rectangle((x, y, x + 170, y + 50), fill=40)  # stands in for ink
            words.append(Word(text=f"Wort{li}-{wi}", conf=30 + (li * 7 + wi * 13) % 70, bbox=(x, y, x + 170, y + 50),
                              flagged=(li + wi) % 11 == 0))
        lines.append(Line(words=words, bbox=(200, y, 2220, y + 50)))
    grey.save(ws.path("pages/bench-001.png"))
    grey.convert("RGB").save(ws.path("pages/bench-001-original.jpg"), quality=90)
    page = ws.documents.store_page_ocr("LK-Bench/student", 1, PageOCR(engine="bench", lines=lines, width=A4_300[0],
                                                                      height=A4_300[1]),
                                       image="pages/bench-001.png", original="pages/bench-001-original.jpg",
                                       width=A4_300[0], height=A4_300[1])
    return ws, page.id


def _ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        ws, page_id = _workspace(folder / "ws")
        state = ReviewState(ws.root, token="bench")
        port = free_port("127.0.0.1")
        server = uvicorn.Server(uvicorn.Config(create_app(state), host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.02)
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}{state.base_path}", headers={"X-Examkit-Token": "bench"})

        def get(url: str) -> httpx.Response:
            response = http.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        get(f"/page/{page_id}")  # warm up imports and the thread's connection
        html = _ms(lambda: get(f"/page/{page_id}"), 20)

        def cold(variant: str) -> None:
            shutil.rmtree(state.cache_dir, ignore_errors=True)
            get(f"/img/page/{page_id}.jpg?v={variant}")

        image_cold = _ms(lambda: cold("image"), 5)
        original_cold = _ms(lambda: cold("original"), 5)
        get(f"/img/page/{page_id}.jpg")
        image_warm = _ms(lambda: get(f"/img/page/{page_id}.jpg"), 20)
        served = Image.open(next(state.cache_dir.glob("*.jpg")))
        size_kb = next(state.cache_dir.glob("*.jpg")).stat().st_size / 1000
        lines_html = _ms(lambda: get(f"/lines/{page_id}"), 20)

        line = ws.lines.current(page_id)[5]
        revision = line.revision

        def save_line() -> None:
            nonlocal revision
            response = http.post(f"/api/lines/{line.id}", json={"text": f"Zeile {time.time()}", "base": revision})
            assert response.status_code == 200, response.text
            revision = response.json()["line"]["revision"]

        save_line_ms = _ms(save_line, 50)
        lines_again = _ms(lambda: get(f"/lines/{page_id}"), 20)

        base = ws.lines.page_version(page_id)  # the line saves above are the page's newest revision

        def save() -> None:
            nonlocal base
            response = http.post(f"/api/pages/{page_id}/text", json={"text": f"Text {time.time()}", "base": base})
            assert response.status_code == 200, response.text
            base = response.json()["revision"]["id"]

        save_ms = _ms(save, 50)
        server.should_exit = True
        state.close()
        ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{datetime.now():%Y-%m-%d %H:%M}, {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs")
    print()
    print(f"load average before: {os.getloadavg()[0]:.1f}; command: `.venv/bin/python benchmarks/bench_review.py`; "
          f"A4 300 DPI page {A4_300[0]}×{A4_300[1]}, 320 OCR words; served image {served.width}×{served.height} "
          f"JPEG, {size_kb:.0f} kB; medians over real HTTP on 127.0.0.1")
    print()
    print("| what | median ms | target |")
    print("|---|---|---|")
    print(f"| page view HTML (`GET /page/N`) | {html:.1f} | |")
    print(f"| page image, first view (PNG decoded, shrunk, cached) | {image_cold:.1f} | |")
    print(f"| page image, original colour JPEG, first view | {original_cold:.1f} | |")
    print(f"| page image, cached | {image_warm:.1f} | |")
    print(f"| **page view, first time** (HTML + image cold) | {html + image_cold:.1f} | < 300 |")
    print(f"| **page view, again** (HTML + cached image) | {html + image_warm:.1f} | < 300 |")
    print(f"| line editor HTML (`GET /lines/N`) | {lines_html:.1f} | |")
    print(f"| **save a revision** (`POST /api/pages/N/text`) | {save_ms:.1f} | < 50 |")
    print(f"| **save one line** (`POST /api/lines/N`, its own revision) | {save_line_ms:.1f} | < 50 |")
    print(f"| **open a 32-line page in the line editor** (HTML after 50 line saves + cached image) | "
          f"{lines_again + image_warm:.1f} | < 300 |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
