"""One rule for file names made from document ids: spelled out, unique, never written twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.files import FileNames, transliterate


def test_german_letters_are_spelled_out() -> None:
    assert transliterate("müller-anna") == "mueller-anna"
    assert transliterate("Möller Änne Großmann") == "Moeller_Aenne_Grossmann"
    assert transliterate("José") == "Jose"
    assert transliterate("..") == "doc"
    assert transliterate("ÿ/../x") == "y_.._x"


def test_colliding_ids_get_distinct_stable_names() -> None:
    names = FileNames()
    assert names.name("LK/müller-anna") == "LK_mueller-anna"
    assert names.name("LK/mueller-anna") == "LK_mueller-anna-2"
    assert names.name("LK/MUELLER-anna") == "LK_MUELLER-anna-3"  # case-insensitive file systems
    assert names.name("LK/müller-anna") == "LK_mueller-anna"
    assert FileNames(sep="/").name("LK/möller-anna") == "LK/moeller-anna"


def test_a_path_is_claimed_once_per_run(tmp_path: Path) -> None:
    names = FileNames()
    names.claim(tmp_path / "a.txt")
    with pytest.raises(FileExistsError, match="already written in this run"):
        names.claim(tmp_path / "x" / ".." / "a.txt")


def test_export_text_writes_one_file_per_document(cli, ws, tmp_path: Path) -> None:
    from examkit.models import Document

    for doc_id, text in (("LK/mueller-anna", "A"), ("LK/müller-anna", "B"), ("LK/möller-anna", "C")):
        ws.documents.upsert(Document(id=doc_id, exam="LK", source=f"{doc_id}.txt", typed=True))
        ws.revisions.add_text(ws.documents.set_page(doc_id, 1).id, text, source="import")
    out = tmp_path / "texts"
    result = cli("ocr", "export-text", out, "--workspace", ws.root)
    assert result.exit_code == 0, result.output
    written = {Path(p).relative_to(out).as_posix(): Path(p).read_text("utf-8") for p in result.stdout.split()}
    assert written == {"LK/moeller-anna.txt": "C", "LK/mueller-anna.txt": "A", "LK/mueller-anna-2.txt": "B"}
    assert "replaced" not in result.stderr
    again = cli("ocr", "export-text", out, "--workspace", ws.root)
    assert f"replaced 3 files an earlier run had written in {out}" in again.stderr
