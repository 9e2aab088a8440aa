from __future__ import annotations

from pathlib import Path

import pytest

from examkit.errors import InputFileError
from ocr.intake import discover, natural_key, read_typed


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def exams(tmp_path: Path) -> Path:
    root = tmp_path / "exams"
    exam = root / "LK-Neuzeit-2023"
    _touch(exam / "aufgabe.pdf")
    _touch(exam / "mueller-anna.pdf")
    _touch(exam / "mueller-anna.yaml")
    for name in ("page10.jpg", "page2.jpg", "page1.jpg"):
        _touch(exam / "schmidt-ben" / name)
    _touch(exam / "schmidt-ben.fehleranalyse.txt")
    import docx

    document = docx.Document()
    document.add_paragraph("Die Reformation begann 1517.")
    document.add_paragraph("Luther schrieb 95 Thesen.")
    document.save(exam / "weber-cem.docx")
    _touch(exam / "kurz-dora.tif")
    _touch(exam / "kurz-dora.txt", b"transcript")  # a scan of the same stem wins
    _touch(exam / "noten.xlsx")
    _touch(exam / "orphan.json")
    _touch(exam / ".DS_Store")
    _touch(root / "GK-2024" / "Aufgaben.docx")
    _touch(root / "GK-2024" / "nowak-emma.txt", "Getippt: Die Bauern forderten Rechte.".encode())
    return root


def test_exam_folder_sorted_into_documents_sheets_and_skips(exams: Path):
    found = discover([exams])
    docs = {d.id: d for d in found.documents}
    assert set(docs) == {
        "LK-Neuzeit-2023/aufgabe", "LK-Neuzeit-2023/mueller-anna", "LK-Neuzeit-2023/schmidt-ben",
        "LK-Neuzeit-2023/weber-cem", "LK-Neuzeit-2023/kurz-dora", "GK-2024/Aufgaben", "GK-2024/nowak-emma",
    }
    assert docs["LK-Neuzeit-2023/aufgabe"].kind == "task"
    assert docs["GK-2024/Aufgaben"].kind == "task" and docs["GK-2024/Aufgaben"].typed
    assert docs["LK-Neuzeit-2023/mueller-anna"].kind == "student"
    assert docs["LK-Neuzeit-2023/mueller-anna"].exam == "LK-Neuzeit-2023"
    ben = docs["LK-Neuzeit-2023/schmidt-ben"]
    assert [p.name for p in ben.files] == ["page1.jpg", "page2.jpg", "page10.jpg"]
    assert ben.source == exams / "LK-Neuzeit-2023" / "schmidt-ben"
    assert docs["LK-Neuzeit-2023/weber-cem"].typed and not docs["LK-Neuzeit-2023/kurz-dora"].typed
    assert docs["GK-2024/nowak-emma"].typed

    sheets = {(s.document_id, s.path.name, s.kind) for s in found.sheets}
    assert sheets == {
        ("LK-Neuzeit-2023/mueller-anna", "mueller-anna.yaml", "sheet"),
        ("LK-Neuzeit-2023/schmidt-ben", "schmidt-ben.fehleranalyse.txt", "text"),
    }
    skipped = {p.name: reason for p, reason in found.skipped}
    assert set(skipped) == {"kurz-dora.txt", "noten.xlsx", "orphan.json"}
    assert "kurz-dora.tif" in skipped["kurz-dora.txt"]
    assert ".xlsx" in skipped["noten.xlsx"]
    assert "orphan" in skipped["orphan.json"]


def test_ids_are_relative_to_the_folder_given(exams: Path):
    found = discover([exams / "LK-Neuzeit-2023"])
    docs = {d.id: d for d in found.documents}
    assert "mueller-anna" in docs and "schmidt-ben" in docs
    assert docs["mueller-anna"].exam == "LK-Neuzeit-2023"


def test_a_file_given_directly_is_named_by_its_stem(exams: Path):
    found = discover([exams / "LK-Neuzeit-2023" / "mueller-anna.pdf"])
    assert [(d.id, d.exam) for d in found.documents] == [("mueller-anna", "")]


def test_a_folder_of_images_given_directly_is_one_document(exams: Path):
    found = discover([exams / "LK-Neuzeit-2023" / "schmidt-ben"])
    assert [(d.id, len(d.files)) for d in found.documents] == [("schmidt-ben", 3)]


def test_same_id_twice_is_an_error_naming_the_file(tmp_path: Path):
    _touch(tmp_path / "a" / "x.pdf")
    _touch(tmp_path / "a" / "x.png")
    with pytest.raises(InputFileError, match="used twice"):
        discover([tmp_path / "a"])


def test_typed_answers_are_read(exams: Path):
    text = read_typed(exams / "LK-Neuzeit-2023" / "weber-cem.docx")
    assert text.splitlines() == ["Die Reformation begann 1517.", "Luther schrieb 95 Thesen."]
    assert "Bauern" in read_typed(exams / "GK-2024" / "nowak-emma.txt")
    with pytest.raises(InputFileError, match="docx"):
        read_typed(_touch(exams / "broken.docx", b"not a zip"))


def test_natural_order():
    assert sorted(["p10", "p2", "p1"], key=natural_key) == ["p1", "p2", "p10"]
