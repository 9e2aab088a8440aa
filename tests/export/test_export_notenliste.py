"""The Notenliste: a sheet a teacher can use (issue 28, item 13)."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.export.conftest import EXAM, N_TYPED, typed_document


def test_one_row_per_student_with_task_points_totals_and_state(cli, exam_ws, tmp_path):
    typed_document(exam_ws, f"{EXAM}/=1+1", "Antwort")
    out = tmp_path / "noten.xlsx"
    result = cli("export", "notenliste", out, "-w", exam_ws.root)
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["Notenliste"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[:2] == ["Klausur", "Schülerin / Schüler"] and header[-5:] == [
        "Punkte", "von", "Prozent", "Note", "Stand der Analyse"]
    assert {"Aufgabe A", "Aufgabe B", "Aufgabe Aufgabe 2"} <= set(header)
    by_student = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    first = by_student["schueler-00"]
    # A: 8 - 1 - 1 = 6, B: 5, Aufgabe 2: 6 - 1 = 5 -> 16 of 19, numbers as numbers
    assert (first["Aufgabe A"], first["Aufgabe B"], first["Aufgabe Aufgabe 2"]) == (6, 5, 5)
    assert (first["Punkte"], first["von"], first["Stand der Analyse"]) == (16, 19, "stimmig")
    assert isinstance(first["Prozent"], int) and first["Note"]
    assert by_student["ohne-analyse"]["Stand der Analyse"] == "keine Analyse"
    assert by_student["nur-entwurf"]["Stand der Analyse"] == "nur Entwurf"
    assert by_student["nur-entwurf"]["Punkte"] is None  # a draft is not counted
    assert by_student["falsch-addiert"]["Stand der Analyse"] == "Rechenfehler"
    assert len(by_student) == N_TYPED + 6
    formula_like = next(row for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("="))
    assert formula_like[1].data_type == "s"  # a name that looks like a formula stays text
