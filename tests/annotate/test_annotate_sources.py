"""Which files a folder audit reads."""

from __future__ import annotations

from pathlib import Path


def test_folder_audits_analyses_but_not_task_sheets_or_typed_answers(tmp_path):
    from annotate.sources import audit_path

    exam = tmp_path / "LK-Test"
    exam.mkdir()
    (exam / "aufgabe.txt").write_text("Thema: Die Reformation\nAufgabe 1: Analysieren Sie die Quelle.\n")
    (exam / "anna.txt").write_text("Die Quelle ist ein Brief von Luther.\n")
    (exam / "ben.fehleranalyse.txt").write_text(
        "Fehleranalyse:\n\tAufgabe 1 (4 von 5 Punkte):\n\t\t- ungenau (-1 Punkt)\n\n"
        "\tInsgesamt:\n\t\tPunkte: 4 von 5, das entspricht einer Leistung von: 80%\n\t\tVorgeschlagene Note: 2+ ENDSTOP\n"
    )
    (exam / "cem.txt").write_text("Fehlranalyse\nAufgabe 1 (5 von 5 Punkte)\nInsgesamt: Punkte: 5 von 5, das entspricht einer Leistung von: 100%\nVorgeschlagene Note: 1+\n")
    notes: list[str] = []
    records = audit_path(exam, on_warning=notes.append)
    assert sorted(Path(r.source).name for r in records) == ["ben.fehleranalyse.txt", "cem.txt"]
    assert any("skipped 2 .txt files" in n for n in notes)
    # named explicitly, a file is audited whatever it looks like
    assert [r.parsed for r in audit_path(exam / "anna.txt")] == [False]


def test_an_infinite_maximum_is_a_clear_field_error(tmp_path):
    import pytest

    from annotate.sheets import load_sheet
    from examkit.errors import InputFileError

    sheet = tmp_path / "inf.yaml"
    sheet.write_text("tasks:\n  - label: A\n    max: .inf\n")
    with pytest.raises(InputFileError, match=r"tasks\[0\]\.max"):
        load_sheet(sheet)


def test_contradictory_sheets_are_refused_with_their_field(tmp_path):
    import pytest

    from annotate.sheets import load_sheet
    from examkit.errors import InputFileError

    both = tmp_path / "both.yaml"
    both.write_text("tasks:\n  - label: A\n    max: 8\n    errors: [{comment: x, deduction: 3}]\n"
                    "    tasks: [{label: a, max: 4}, {label: b, max: 4}]\n")
    with pytest.raises(InputFileError, match=r"tasks\[0\].*both sub-tasks and error lines"):
        load_sheet(both)
    sums = tmp_path / "sums.yaml"
    sums.write_text("tasks:\n  - label: A\n    max: 8\n    tasks: [{label: a, max: 2}, {label: b, max: 2}]\n")
    with pytest.raises(InputFileError, match=r"sub-tasks of 'A' have 4 points at most, but its max is 8"):
        load_sheet(sums)


def test_audit_flags_deductions_on_a_task_that_has_sub_tasks():
    from annotate.audit import audit_text

    text = ("Fehleranalyse:\n\tAufgabe 1 (8 von 8 Punkte):\n\t\t- zu ungenau (-3 Punkte)\n"
            "\t\tA (4 von 4 Punkte)\n\t\tB (4 von 4 Punkte)\n\n\tInsgesamt:\n"
            "\t\tPunkte: 8 von 8, das entspricht einer Leistung von: 100%\n\t\tVorgeschlagene Note: 1+ ENDSTOP")
    codes = [p.code for p in audit_text(text).problems]
    assert "deduction-mismatch" in codes


def test_a_yaml_alias_bomb_is_refused_at_once_naming_the_file(tmp_path):
    import time

    import pytest

    from annotate.sheets import load_sheet
    from examkit.errors import InputFileError

    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    bomb = tmp_path / "analysis.yaml"
    bomb.write_text("\n".join(levels) + "\ntasks: *a9\n")  # 10^10 nodes, under 600 bytes
    started = time.monotonic()
    with pytest.raises(InputFileError, match=r"analysis\.yaml:2: .*alias") as caught:
        load_sheet(bomb)
    assert time.monotonic() - started < 1 and "\n" not in caught.value.one_line()
