"""OCR ground truth on the samples, checked against the samples' known line boxes.

Run after ``make demo`` (its review step goes line by line): ``.venv/bin/python
benchmarks/bench_lines_gt.py [WORKSPACE]`` (default ``demo-workspace``). For every handwritten
page it places the known lines on the stored image (``scripts/truth_lines.py``) and counts

- crops holding more than one written line: the reader's lines before review, and the lines
  ``export ocr-gt`` writes after it;
- line–label pairs whose image does not show their text (no known line the crop holds has the
  label's text; "holds": more than half of the line's word centres lie inside the outline);
- PAGE XML files valid against the PAGE 2019 schema (``tests/export/data``); whether kraken's
  ``XMLPage`` reads them is ``benchmarks/kraken_xmlpage.py``, run in a venv with kraken.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from truth_lines import held, truth_lines  # noqa: E402

from examkit.confirmation import confirmed_lines  # noqa: E402
from examkit.models import PageLine  # noqa: E402
from examkit.workspace import Workspace  # noqa: E402
from export.ocr_gt import export_ground_truth  # noqa: E402

XSD = ROOT / "tests" / "export" / "data" / "pagecontent-2019-07-15.xsd"


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo-workspace"
    if not (folder / "examkit.sqlite3").is_file():
        print(f"no workspace at {folder}: run `make demo` first (its review step is what this measures)")
        return 0
    from lxml import etree

    ws = Workspace.open(folder)
    before_lines = before_multi = after_lines = after_multi = wrong = unplaced = known_multi = known_lines = 0
    examples: list[str] = []
    for doc in ws.documents.list(kind="student"):
        if doc.typed:
            continue
        for page in ws.documents.pages(doc.id):
            reading = ws.documents.latest_ocr(page.id)
            if reading is None:
                continue
            as_read = [PageLine(id=0, page_id=page.id, revision=0, position=0, words=line.words, polygon=line.outline(),
                                created_at=datetime.now()) for line in reading.lines if line.words]
            known = truth_lines(doc.id, page.number, as_read)
            if known is None:
                unplaced += 1
                continue
            known_lines += len(known)
            known_multi += sum(len(held(k.polygon, known)) > 1 for k in known)
            before_lines += len(as_read)
            before_multi += sum(len(held(line.polygon, known)) > 1 for line in as_read)
            for line in confirmed_lines(ws):
                if line.page_id != page.id or len(line.polygon) < 3:
                    continue
                after_lines += 1
                after_multi += len(held(line.polygon, known)) > 1
                if line.text not in [known[k].text for k in held(line.polygon, known)]:
                    wrong += 1
                    examples.append(f"{doc.id} p{page.number}: {line.text!r}")
    with tempfile.TemporaryDirectory() as out:
        result = export_ground_truth(ws, Path(out))
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        pages = sorted((Path(out) / "pages").glob("*.xml"))
        valid = sum(schema.validate(etree.parse(str(p))) for p in pages)
        kraken = _kraken(pages)
    ws.close()
    print(f"{datetime.now():%Y-%m-%d %H:%M}; command: `.venv/bin/python benchmarks/bench_lines_gt.py {folder.name}`")
    print()
    print("| measure | before review (reader's lines) | after the demo's review (ocr-gt) | target |")
    print("|---|---|---|---|")
    print(f"| crops holding more than one written line | {before_multi} of {before_lines} | {after_multi} of {after_lines} | 0 |")
    print(f"| (for scale: the samples' own line boxes holding more than one) | {known_multi} of {known_lines} | | |")
    print(f"| line–label pairs whose image does not show their text | – | {wrong} of {after_lines} | 0 |")
    print(f"| PAGE files valid (PAGE 2019 schema) | – | {valid}/{len(pages)} | all |")
    print(f"| kraken XMLPage, baseline mode | – | {kraken} | all lines |")
    print(f"\nexported: {result.lines} lines from {result.pages} pages; pages whose known lines could not be "
          f"placed on the image: {unplaced}")
    for example in examples[:5]:
        print(f"- wrong label: {example}")
    return 0


def _kraken(pages: list[Path]) -> str:
    """kraken is not an examkit dependency: see benchmarks/kraken_xmlpage.py (a venv of its own)."""
    return "run benchmarks/kraken_xmlpage.py in a kraken venv"


if __name__ == "__main__":
    sys.exit(main())
