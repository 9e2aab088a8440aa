"""Screenshots of the review page for the README: overview, page, line editor, analysis.

Builds a demo workspace from samples/ (LK-Neuzeit-2023: the PDF pages rendered at the samples'
200 DPI, the ground-truth word boxes as a stand-in OCR reading with a few words deliberately
misread and flagged, the teacher's red marks), starts the real server on a free loopback port
under its random base path and shoots each view with Debian's chromium through Playwright into
docs/screenshots/*.png. The page view and the line editor show a page nobody has saved yet: once
a person saves a line its reader's flags are gone (annotate/review/views.py), so a saved page
would show no unsure words. The page's Content-Security-Policy forbids eval, so wait_for_function
always gets a function expression (``"() => ..."``), never a bare expression.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
import yaml
from pdf2image import convert_from_path
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotate.model import analysis_from_data  # noqa: E402
from annotate.review import ReviewState, create_app  # noqa: E402
from annotate.review.server import free_port  # noqa: E402
from annotate.sheets import attach_sheet, canonical_text, settings_from  # noqa: E402
from examkit.models import Document, Line, Mark, PageOCR, Word  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402

EXAM = "LK-Neuzeit-2023"
SAMPLES = ROOT / "samples" / "exams" / EXAM
TRUTH = ROOT / "samples" / "ground-truth" / EXAM
OUT = ROOT / "docs" / "screenshots"
#: The page image has arrived and its word boxes are drawn, some of them flagged.
LOADED = ("() => { const img = document.getElementById('page-img');"
          " return img !== null && img.complete && img.naturalWidth > 0"
          " && document.querySelectorAll('#boxes .w.flagged').length > 1; }")
MISREAD = {"e": "c", "n": "u", "i": "l", "a": "o"}


def _stable(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def _reading(layout_page: dict, marks: list[dict]) -> PageOCR:
    """The exact transcription as an OCR reading, with every ninth word misread and flagged."""
    lines = []
    for li, line in enumerate(layout_page["lines"]):
        words = []
        for wi, word in enumerate(line["words"]):
            text, seed = word["text"], _stable(f"{li}:{wi}:{word['text']}")
            conf = 78 + seed % 20
            if seed % 9 == 0 and len(text) > 3:
                text = "".join(MISREAD.get(c, c) for c in text[:3]) + text[3:]
                conf = 30 + seed % 25
            words.append(Word(text=text, conf=conf, bbox=tuple(word["bbox"]), flagged=conf < 70))
        lines.append(Line(words=words, bbox=tuple(line["bbox"])))
    kept = [Mark(kind=m["kind"], bbox=tuple(m["bbox"]), text=m.get("text", "") if m["kind"] != "margin" else "")
            for m in marks]
    return PageOCR(engine="demo", lines=lines, marks=kept, width=layout_page["size"][0], height=layout_page["size"][1])


def _pages_of(ws: Workspace, doc_id: str, stem: str) -> list[int]:
    layout = json.loads((TRUTH / stem / "layout.json").read_text("utf-8"))
    source = SAMPLES / layout["pages"][0]["source"].split("#")[0]
    if source.suffix == ".pdf":
        images = convert_from_path(source, dpi=layout["pages"][0]["dpi"])
    else:
        images = [Image.open(source)]
    ids = []
    for number, (page, img) in enumerate(zip(layout["pages"], images), start=1):
        rel = f"pages/{stem}-{number:03d}.png"
        img.convert("L").resize(tuple(page["size"])).save(ws.path(rel))
        marks_file = TRUTH / stem / f"page-{number:03d}.marks.json"
        marks = json.loads(marks_file.read_text("utf-8"))["marks"] if marks_file.exists() else []
        stored = ws.documents.store_page_ocr(doc_id, number, _reading(page, marks), image=rel, original=rel,
                                             width=page["size"][0], height=page["size"][1])
        ids.append(stored.id)
    return ids


def build(root: Path) -> tuple[Workspace, dict]:
    ws = Workspace.open(root)
    ids: dict[str, list[int]] = {}
    for stem in ("hoffmann-lina", "yilmaz-elif"):
        doc_id = f"{EXAM}/{stem}"
        ws.documents.upsert(Document(id=doc_id, exam=EXAM, source=str(SAMPLES / stem)))
        ids[stem] = _pages_of(ws, doc_id, stem)
    ws.documents.upsert(Document(id=f"{EXAM}/aufgabe", exam=EXAM, kind="task", source=str(SAMPLES / "aufgabe.pdf")))
    truth = yaml.safe_load((TRUTH / "hoffmann-lina" / "analysis.yaml").read_text("utf-8"))
    ws.revisions.set_exam_sheet(EXAM, {"title": truth.get("title"), "tasks": [
        {"label": t["label"], "max": t["max"], **({"tasks": [{"label": s["label"], "max": s["max"]} for s in t["tasks"]]}
                                                  if t.get("tasks") else {})} for t in truth["tasks"]]})
    # yilmaz-elif: reviewed and analysed (from the samples' sheet beside the scan)
    for page_id in ids["yilmaz-elif"]:
        ws.revisions.add_text(page_id, (TRUTH / "yilmaz-elif" / "page-001.gt.txt").read_text("utf-8").rstrip("\n"))
        ws.revisions.mark_reviewed(page_id)
    attach_sheet(ws, f"{EXAM}/yilmaz-elif", SAMPLES / "yilmaz-elif.json", source="teacher")
    # hoffmann-lina: page 1 corrected once, a line corrected since; the analysis half written
    first = ids["hoffmann-lina"][0]
    ws.revisions.add_text(first, ws.revisions.page_text(first, source="ocr"), author="Frau Keller")
    ws.revisions.mark_reviewed(first)
    started = json.loads(json.dumps(truth))
    started["tasks"] = started["tasks"][:2]
    analysis = analysis_from_data(started)
    text = canonical_text(analysis, settings_from(ws.config.analysis, ws.root))
    ws.revisions.add_analysis(f"{EXAM}/hoffmann-lina", text, sheet=analysis.model_dump(), source="teacher",
                              author="Frau Keller")
    return ws, {"unread": ids["hoffmann-lina"][1], "doc": f"{EXAM}/hoffmann-lina"}


def main() -> None:
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="examkit-shots-"))
    try:
        ws, where = build(tmp / "ws")
        state = ReviewState(ws.root)
        port = free_port("127.0.0.1")
        server = uvicorn.Server(uvicorn.Config(create_app(state), host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}{state.base_path}"
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="de-DE")
            page.goto(f"{base}/?token={state.token}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=OUT / "overview.png")
            page.goto(f"{base}/page/{where['unread']}")
            page.wait_for_function(LOADED)
            page.locator("#boxes .w.flagged").nth(1).click()
            page.screenshot(path=OUT / "page.png")
            page.goto(f"{base}/lines/{where['unread']}")
            page.wait_for_function("() => document.querySelectorAll('.line-row .crop').length > 4")
            page.wait_for_load_state("networkidle")
            page.locator(".line-input").first.focus()
            page.keyboard.press("F8")
            page.wait_for_timeout(400)
            page.evaluate("() => window.scrollTo(0, 0)")  # F8 scrolled the word's line into view
            page.screenshot(path=OUT / "lines.png")
            page.goto(f"{base}/analysis/{where['doc']}")
            page.wait_for_function("() => document.querySelector('#totals .big') !== null")
            page.screenshot(path=OUT / "analysis.png")
            browser.close()
        server.should_exit = True
        state.close()
        ws.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for shot in sorted(OUT.glob("*.png")):
        _shrink(shot)
        print(f"{shot.relative_to(ROOT)}  {shot.stat().st_size // 1024} KB")


def _shrink(path: Path) -> None:
    """A 256-colour palette keeps each committed PNG at a few hundred KB without visible loss."""
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


if __name__ == "__main__":
    main()
