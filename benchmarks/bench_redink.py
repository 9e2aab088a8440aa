"""Red-ink benchmark (issue 24): the teacher's notes read, placed and turned into a draft.

The scanned students of ``samples/`` go through ``ocr scan`` (the rapidocr engine, one worker),
into a workspace cached under /tmp keyed by the hash of the OCR code and the samples (``--fresh``
scans again). Then, against what the generator wrote in red (``page-NNN.marks.json``) and the
analysis it graded (``analysis.yaml``):

* task scores: the share of the tasks whose red ``N/M`` was read exactly and placed on that task;
* totals and grades: read exactly and recognised as the total (the samples write no red grade);
* deductions: per task, the red ``-x`` notes read and placed on their task (multiset match);
* drafts: the share of analyses whose draft from the red ink alone has every task's points and
  maximum right (top-level tasks, no exam sheet given).

In the truth a score stands beside its task's last line, so a deduction belongs to the task of
the next score after it. Run: .venv/bin/python benchmarks/bench_redink.py [--fresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotate.model import fmt_number, task_points  # noqa: E402
from annotate.redink import deduction_of, read_document, red_ink_draft  # noqa: E402
from annotate.sheets import load_sheet  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402
from ocr.batch import scan  # noqa: E402
from ocr.factory import engine_for  # noqa: E402
from ocr.page import ScanOptions  # noqa: E402

SAMPLES = ROOT / "samples"


def code_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("ocr/*.py"), SAMPLES / "MANIFEST.sha256"]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def scanned(fresh: bool) -> tuple[Workspace, float | None]:
    """The samples scanned with this code (cached); seconds the scan took when it ran now."""
    folder = Path("/tmp") / f"examkit-bench-redink-{code_hash()}"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if (folder / "done").exists():
        return Workspace.open(folder / "ws"), None
    shutil.rmtree(folder, ignore_errors=True)
    ws = Workspace.open(folder / "ws")
    started = time.monotonic()
    scan(ws, [SAMPLES / "exams"], engine=engine_for(ws, "rapidocr", lang="deu"),
         options=ScanOptions.from_config(ws.config, workers=1))
    (folder / "done").write_text("ok")
    return ws, time.monotonic() - started


def truth(doc_id: str) -> dict | None:
    """Task scores (in task order), deductions per task, the total, the tasks' points and maxima."""
    folder = SAMPLES / "ground-truth" / doc_id
    pages = sorted(folder.glob("page-*.marks.json"))
    if not pages:
        return None
    notes = [(page, m.get("line", -1), m["text"]) for page, path in enumerate(pages)
             for m in json.loads(path.read_text())["marks"] if m["kind"] == "margin"]
    total = next((t for _, line, t in notes if line == -1), None)
    ordered = sorted((n for n in notes if n[1] != -1), key=lambda n: (n[0], n[1]))
    scores, deductions, pending = [], Counter(), []
    for _, _, text in ordered:
        if "/" in text:
            scores.append(text)
            deductions.update((len(scores) - 1, d) for d in pending)
            pending = []
        elif text[0] in "-+":
            pending.append(text)
    analysis = load_sheet(folder / "analysis.yaml")
    tasks = [(task_points(t), t.max) for t in analysis.tasks]
    return {"scores": scores, "deductions": deductions, "total": total, "tasks": tasks}


def measure(ws: Workspace) -> dict:
    counts = Counter()
    misses = []
    for doc in ws.documents.list():
        want = truth(doc.id) if doc.kind == "student" and not doc.typed else None
        if want is None:
            continue
        pages = [(p.number, ws.documents.latest_ocr(p.id)) for p in ws.documents.pages(doc.id)]
        ink = read_document([(n, r) for n, r in pages if r is not None])
        placed = {n.task: n.mark.text for n in ink.notes if n.rule in ("heading", "order")}
        for t, text in enumerate(want["scores"]):
            counts["scores"] += 1
            counts["scores_ok"] += placed.get(t) == text
            if placed.get(t) != text:
                misses.append(f"{doc.id}: task {t + 1} {text} read as {placed.get(t)}")
        counts["totals"] += want["total"] is not None
        shown = f"{fmt_number(ink.total[0])}/{fmt_number(ink.total[1])}" if ink.total else None
        counts["totals_ok"] += want["total"] is not None and shown == want["total"]
        if want["total"] is not None and shown != want["total"]:
            misses.append(f"{doc.id}: total {want['total']} read as {shown}")
        counts["grades_found"] += ink.grade is not None
        got = Counter((n.task, n.mark.text) for n in ink.notes
                      if n.rule in ("underline", "task") and deduction_of(n.mark) is not None)
        counts["deductions"] += sum(want["deductions"].values())
        counts["deductions_ok"] += sum((got & want["deductions"]).values())
        draft = red_ink_draft(ink)
        drafted = [(task_points(t), t.max) for t in draft.tasks] if draft else []
        counts["drafts"] += 1
        counts["drafts_ok"] += drafted == want["tasks"]
        if drafted != want["tasks"]:
            misses.append(f"{doc.id}: draft tasks {drafted} != {want['tasks']}")
    return {"counts": counts, "misses": misses}


def share(counts: Counter, key: str) -> str:
    return f"{counts[key + '_ok'] / max(1, counts[key]):.0%} ({counts[key + '_ok']}/{counts[key]})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="scan again even when a cached scan exists")
    args = parser.parse_args()
    ws, seconds = scanned(args.fresh)
    started = time.monotonic()
    result = measure(ws)
    counts = result["counts"]
    load = os.getloadavg()
    print(f"## Red ink (issue 24)\n\n{dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores shared with other "
          f"engineers (load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}); "
          f"`.venv/bin/python benchmarks/bench_redink.py`; scan of the samples "
          f"{f'{seconds:.0f} s' if seconds else 'cached'}, placing {time.monotonic() - started:.1f} s.\n")
    print("| measure | result | target |\n|---|---|---|")
    print(f"| red task scores read exactly and placed on their task | {share(counts, 'scores')} | ≥ 90 % |")
    print(f"| red totals read exactly | {share(counts, 'totals')} | ≥ 90 % |")
    print(f"| red deductions read and placed on their task | {share(counts, 'deductions')} | – |")
    print(f"| red grades | {counts['grades_found']} found (the samples write none) | – |")
    print(f"| drafts from red ink alone with every task's points right | {share(counts, 'drafts')} | ≥ 80 % |")
    if result["misses"]:
        print("\nMisses:\n" + "\n".join(f"- {m}" for m in result["misses"]))


if __name__ == "__main__":
    main()
