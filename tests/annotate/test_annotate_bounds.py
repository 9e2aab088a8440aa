"""Huge numbers and deep nesting are refused with one clear line, through the CLI, and one bad
file never stops ``annotate check DIR`` (``annotate/model.py``: MAX_POINTS, MAX_DEPTH)."""

from __future__ import annotations

from pathlib import Path

from annotate.model import MAX_DEPTH, MAX_POINTS

GOOD = Path(__file__).parent / "data" / "spec_example.txt"


def indented(levels: int) -> str:
    lines = ["Fehleranalyse:"] + [" " * i + f"A{i} (1 von 1 Punkt)" for i in range(levels)]
    return "\n".join([*lines, "Insgesamt: 1 von 1 Punkten", "ENDSTOP"]) + "\n"


def nested_sheet(levels: int) -> str:
    return "tasks:\n" + "".join("  " * i + "- label: A\n" + "  " * i + "  max: 1\n" + "  " * i + "  tasks:\n"
                                for i in range(levels)) + "  " * levels + "- {label: A, max: 1}\n"


def test_check_dir_reports_each_bad_file_and_goes_on(cli, tmp_path: Path) -> None:
    folder = tmp_path / "analysen"
    folder.mkdir()
    (folder / "a-huge.fehleranalyse.txt").write_text(
        f"Fehleranalyse:\nAufgabe 1 ({'9' * 309} von {'9' * 309} Punkten)\n- x (-1 Punkt)\n", "utf-8")
    (folder / "b-deep.fehleranalyse.txt").write_text(indented(300), "utf-8")
    (folder / "c-deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    (folder / "d-long.jsonl").write_text('{"completion": "x", "n": ' + "9" * 5000 + "}\n", "utf-8")
    (folder / "e-no-column.csv").write_text("a;b\n1;2\n", "utf-8")
    (folder / "z-good.fehleranalyse.txt").write_bytes(GOOD.read_bytes())
    result = cli("annotate", "check", folder)
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = result.output.splitlines()

    def said(name: str) -> str:
        return next(line for line in lines if f"{name}:" in line)

    assert f"a number larger than {MAX_POINTS}" in said("a-huge.fehleranalyse.txt")
    assert f"line {MAX_DEPTH + 2}:" in said("b-deep.fehleranalyse.txt") and "nested too deeply" in said("b-deep.fehleranalyse.txt")
    assert "line 1: JSON nested too deeply" in said("c-deep.jsonl")
    assert "line 1: a number with thousands of digits" in said("d-long.jsonl")
    assert "no `completion` column" in said("e-no-column.csv")
    assert "6 records: 1 clean, 0 with warnings only, 5 with errors" in result.output  # the good file was audited


def test_indentation_up_to_the_limit_is_read(cli, tmp_path: Path) -> None:
    path = tmp_path / "tief.fehleranalyse.txt"
    path.write_text(indented(MAX_DEPTH), "utf-8")
    rendered = cli("annotate", "render", path)
    assert rendered.exit_code == 0, rendered.output
    assert "\t" * MAX_DEPTH + f"A{MAX_DEPTH - 1} (1 von 1 Punkt)" in rendered.output


def test_sheets_with_huge_numbers_or_deep_nesting_are_refused(cli, tmp_path: Path) -> None:
    cases = {
        "max.yaml": ("tasks:\n- label: A\n  max: 1e308\n", f"tasks[0].max: Input should be less than or equal to {MAX_POINTS}"),
        "deduction.json": ('{"tasks": [{"label": "A", "max": 2, "errors": [{"deduction": 1e400}]}]}',
                           "tasks[0].errors[0].deduction"),
        "digits.yaml": ("tasks:\n- label: A\n  max: " + "9" * 5000 + "\n", f"a number too large (at most {MAX_POINTS})"),
        "deep.yaml": (nested_sheet(3000), "nested too deeply"),
        "deep.json": ('{"tasks": ' + "[" * 3000 + "]" * 3000 + "}", "nested too deeply"),
        "deeper-than-allowed.yaml": (nested_sheet(MAX_DEPTH), f"at most {MAX_DEPTH} levels"),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_text(content, "utf-8")
        result = cli("annotate", "render", path)
        assert result.exit_code != 0 and "internal error" not in result.output, (name, result.output)
        assert str(path) in result.output and expected in result.output, (name, result.output)
    path = tmp_path / "as-deep-as-allowed.yaml"
    path.write_text(nested_sheet(MAX_DEPTH - 1), "utf-8")
    assert cli("annotate", "render", path).exit_code == 0
