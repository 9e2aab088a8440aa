"""``make demo``: the whole pipeline on samples/, end to end, with the real commands.

Each step runs the ``examkit`` command a user would type (shown before it runs). One step has no
command because it stands in for a person: the samples' known lines (box and exact text) are
used the way a teacher uses the line editor, line by line, clearly labelled as such (author
``demo: ground truth``), so the export that follows is what a teacher would get after reviewing
every page (see :func:`apply_ground_truth`). These count as confirmed pages (see
``examkit/confirmation.py``); the export step checks that its files hold exactly the confirmed
documents and says what it left out and why.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from truth_lines import held, truth_lines  # scripts/ is on the path when a script runs

from examkit.confirmation import unconfirmed_pages
from examkit.workspace import Workspace
from export.pipeline import manifest_path
from ocr.evaluate import score

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "exams"
TRUTH = ROOT / "samples" / "ground-truth"
WORKSPACE = ROOT / "demo-workspace"
OUTPUT = ROOT / "demo-output"
EXAMKIT = [sys.executable, "-m", "examkit_app", "--workspace", str(WORKSPACE)]
AUTHOR = "demo: ground truth"


def step(title: str) -> None:
    print(f"\n=== {title}", file=sys.stderr, flush=True)


def examkit(*args: str, ok: tuple[int, ...] = (0,), capture: bool = False) -> subprocess.CompletedProcess:
    """Run one examkit command as a user would, showing it first."""
    print("$ examkit " + " ".join(shlex.quote(a) for a in args), file=sys.stderr, flush=True)
    proc = subprocess.run([*EXAMKIT, *args], cwd=ROOT, text=True, stdout=subprocess.PIPE if capture else None)
    if proc.returncode not in ok:
        sys.exit(f"demo stopped: `examkit {' '.join(args)}` exited {proc.returncode}")
    return proc


def apply_ground_truth(ws: Workspace) -> tuple[int, list[tuple[str, str]]]:
    """Review every handwritten page line by line, as a teacher would; return (pages, text pairs).

    The stand-in for the teacher knows each written line's box and text (the samples' layout),
    and does what the line editor offers: a line whose image shows one written line gets that
    line's text typed in; a line whose image holds more than one written line is outlined anew
    around one of them and the others are drawn as lines of their own; written lines the reader
    missed are drawn; lines that show no student writing (the teacher's red notes) are deleted.
    Pages whose layout cannot be placed on the image get their page text in one save instead.
    The pairs are (OCR text, exact text) per page, for the error rate before review.
    """
    pairs, stored = [], 0
    for doc in ws.documents.list():
        if doc.typed:
            continue
        for page in ws.documents.pages(doc.id):
            truth_file = _truth_file(doc.id, doc.exam, doc.kind, page.number)
            if not truth_file.exists():
                continue
            truth = truth_file.read_text(encoding="utf-8").rstrip("\n")
            if doc.kind == "student":  # the error rate is over the handwritten answers
                pairs.append((ws.revisions.page_text(page.id, source="ocr") or "", truth))
            if ws.revisions.page_text(page.id, source="reviewed") == truth:
                continue
            known = truth_lines(doc.id, page.number, ws.lines.current(page.id)) if doc.kind == "student" else None
            if known is None:
                if doc.kind == "student":
                    print(f"  {doc.id} page {page.number}: layout not placed on the image; page text saved at once",
                          file=sys.stderr)
                ws.revisions.add_text(page.id, truth, source="ground-truth", author=AUTHOR)
            else:
                review_lines(ws, page.id, known)
            stored += 1
    return stored, pairs


def _truth_file(doc_id: str, exam: str, kind: str, number: int) -> Path:
    """A page's exact transcription in samples/ground-truth (a task sheet has one file)."""
    if kind == "task":
        return TRUTH / exam / "aufgabe.gt.txt" if number == 1 else TRUTH / exam / f"aufgabe-{number:03d}.gt.txt"
    return TRUTH / doc_id / f"page-{number:03d}.gt.txt"


def check_export(train: Path, val: Path) -> tuple[int, str]:
    """The export holds exactly the confirmed documents: every exported one has all pages
    confirmed, every confirmed one with an analysis is exported or listed with its reason.
    Returns the number exported and what was left out, counted by reason."""
    manifests = [json.loads(manifest_path(path).read_text(encoding="utf-8")) for path in (train, val) if path.exists()]
    exported = {doc for m in manifests for doc in m["documents"]}
    left = {e["document_id"]: e for m in manifests for e in m["left_out"]}
    with Workspace.open(WORKSPACE) as ws:
        students = [d.id for d in ws.documents.list(kind="student")]
        unconfirmed = {d for d in students if unconfirmed_pages(ws, d)}
    if exported & unconfirmed:
        sys.exit(f"demo stopped: unconfirmed documents were exported: {sorted(exported & unconfirmed)}")
    missing = set(students) - exported - set(left)
    if missing:
        sys.exit(f"demo stopped: documents neither exported nor left out with a reason: {sorted(missing)}")
    reasons = Counter(e["kind"] for e in left.values())
    return len(exported), ", ".join(f"{n} ({kind})" for kind, n in reasons.most_common()) or "nothing"


def review_lines(ws: Workspace, page_id: int, known: list) -> None:
    """One page's lines made to match its written lines (see :func:`apply_ground_truth`)."""
    lines = [li for li in ws.lines.current(page_id) if li.layer == "student" and li.bbox]
    area = lambda a, b: max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))  # noqa: E731
    owner = {}
    for k, written in enumerate(known):
        overlaps = [(area(li.bbox, written.box), li) for li in lines]
        top = max(overlaps, key=lambda x: x[0], default=(0, None))
        if top[0] > 0:
            owner.setdefault(top[1].id, []).append(k)
    order, used = [], set()
    for k, written in enumerate(known):
        line = next((li for li in lines if owner.get(li.id, [None])[0] == k), None)
        outline = written.band or written.polygon
        edge = [(min(p[0] for p in outline), max(p[1] for p in outline)),
                (max(p[0] for p in outline), max(p[1] for p in outline))]
        if line is not None and held(line.polygon, known) == [k]:
            ws.lines.save(line.id, base=line.revision, text=written.text, source="ground-truth", author=AUTHOR)
        elif line is not None:  # its image holds more than this written line: outline it anew
            ws.lines.save(line.id, base=line.revision, text=written.text, polygon=outline, baseline=edge,
                          source="ground-truth", author=AUTHOR)
        else:
            line = ws.lines.insert(page_id, written.text, after=order[-1] if order else None, polygon=outline,
                                   baseline=edge, source="ground-truth", author=AUTHOR)
        used.add(line.id)
        order.append(line.id)
    for line in ws.lines.current(page_id):
        if line.id not in used and line.layer == "student":
            ws.lines.delete(line.id, base=line.revision, author=AUTHOR)
    for before, after in zip(order, order[1:]):
        here = {li.id: li for li in ws.lines.current(page_id)}
        if here[after].position <= here[before].position:
            ws.lines.move(after, base=here[after].revision, after=before, author=AUTHOR)


def main() -> int:
    started = time.monotonic()
    for path in (WORKSPACE, OUTPUT):
        shutil.rmtree(path, ignore_errors=True)
    OUTPUT.mkdir()
    train, val = OUTPUT / "training.jsonl", OUTPUT / "training.val.jsonl"

    step("1. Read the scanned sample exams (the default engine, rapidocr: bundled PP-OCRv6, offline; "
         "red ink separated; sheets beside scans attached)")
    examkit("ocr", "scan", str(SAMPLES), "--workers", str(min(2, os.cpu_count() or 1)), ok=(0, 3))
    examkit("ocr", "status")

    step("2. Review line by line: the samples' known lines stand in for a teacher's corrections")
    with Workspace.open(WORKSPACE) as ws:
        stored, pairs = apply_ground_truth(ws)
        pages = sum(len(ws.documents.pages(d.id)) for d in ws.documents.list())
        analyses = sum(ws.revisions.latest_analysis(d.id) is not None for d in ws.documents.list(kind="student"))
        engine = ws.config.ocr.engine
    scores = [score(truth, ocr) for ocr, truth in pairs]
    before = {
        "cer": sum(s.char_errors for s in scores) / max(1, sum(s.chars for s in scores)),
        "wer": sum(s.word_errors for s in scores) / max(1, sum(s.words for s in scores)),
    }
    print(f"reviewed {stored} pages line by line (author '{AUTHOR}')", file=sys.stderr)

    step("3. Audit the teachers' analyses as they were written")
    examkit("annotate", "check", str(SAMPLES), ok=(0, 1))

    step("4. Export chat JSONL with a validation split: confirmed documents only, validated before writing")
    examkit("export", "chat", str(train), "--split", "0.1", "--seed", "1")
    exported, left_out = check_export(train, val)

    step("5. Validate the exported file: format, audit, tokens, cost")
    report = json.loads(examkit("export", "validate", str(train), "--json", capture=True).stdout)

    step("6. The training job, as a dry run: nothing is sent")
    examkit("train", "start", str(train), "--validation", str(val), "--dry-run")

    step("Summary")
    n_val = sum(1 for line in val.read_text(encoding="utf-8").splitlines() if line.strip()) if val.exists() else 0
    summary = [
        f"pages scanned:          {pages} (in {WORKSPACE.relative_to(ROOT)}/)",
        f"OCR CER before review:  {before['cer']:.3f} over {len(pairs)} handwritten pages (WER {before['wer']:.3f}, "
        f"engine {engine})",
        "OCR CER after review:   0.000 (the reviewed text is the exact transcription)",
        f"analyses attached:      {analyses}",
        f"training records:       {report['n_examples']} in {train.relative_to(ROOT)}, {n_val} in {val.relative_to(ROOT)}"
        f" ({exported} documents, every page confirmed by a person)",
        f"left out:               {left_out}",
        f"tokens:                 {report['total_tokens']} (longest record {report['max_tokens']})",
        f"estimated cost:         ${report['cost_usd']} for {report['epochs']} epochs of {report['model']} "
        f"(price list of {report['prices_date']})",
        f"validation problems:    {sum(p['severity'] == 'error' for p in report['problems'])} errors, "
        f"{sum(p['severity'] == 'warning' for p in report['problems'])} warnings",
        f"time:                   {time.monotonic() - started:.0f} s",
    ]
    print("\n".join(summary))
    if os.environ.get("OPENAI_API_KEY"):
        print(f"\nTo start the real job at OpenAI (uploads {train.name}): "
              f"examkit --workspace {WORKSPACE.name} train start {train.relative_to(ROOT)} "
              f"--validation {val.relative_to(ROOT)} --wait")
    else:
        print("\nTo train for real: set OPENAI_API_KEY and run train start without --dry-run, "
              "or use --backend local (see README, Training).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
