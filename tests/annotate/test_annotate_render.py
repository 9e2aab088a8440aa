"""The canonical layout, byte for byte, and the model's arithmetic and validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from annotate.model import Analysis, ErrorLine, Extra, Task, analysis_from_data, percent, task_points
from annotate.render import render
from annotate.scales import get_scale, list_scales
from annotate.sheets import load_sheet
from examkit.errors import InputFileError, UserInputError

DATA = Path(__file__).parent / "data"


def test_spec_example_byte_for_byte():
    analysis = load_sheet(DATA / "spec_example.yaml")
    assert render(analysis).encode("utf-8") == (DATA / "spec_example.txt").read_bytes()


def test_training_form_has_no_final_newline_and_stop_marker_can_be_off():
    analysis = load_sheet(DATA / "spec_example.yaml")
    assert render(analysis, final_newline=False).endswith("Vorgeschlagene Note: 2+ ENDSTOP")
    assert render(analysis, stop_marker="").endswith("Vorgeschlagene Note: 2+\n")
    assert render(analysis, stop_marker=None).endswith("Vorgeschlagene Note: 2+\n")
    assert render(analysis, stop_marker="###").endswith("2+ ###\n")


def test_units_decimal_comma_zero_deduction_subtasks_extras():
    a = Analysis(
        tasks=[
            Task(label="Aufgabe 1", max=1, errors=[ErrorLine(comment="Rechtschreibung", deduction=0)]),
            Task(label="Aufgabe 2", max=8, tasks=[
                Task(label="A", max=2.5, errors=[ErrorLine(quote="1525", comment="Jahr?", deduction=0.5),
                                                 ErrorLine(comment="zu knapp", deduction=2)]),
                Task(label="B", max=5.5),
            ]),
        ],
        extras=[Extra(label="Form", points=1, max=2)],
    )
    assert render(a, stop_marker=None) == (
        "Fehleranalyse:\n"
        "\tAufgabe 1 (1 von 1 Punkt):\n"
        "\t\t- Rechtschreibung (kein Punktabzug)\n"
        "\n"
        "\tAufgabe 2 (5,5 von 8 Punkte):\n"
        "\t\tA (0 von 2,5 Punkte):\n"
        '\t\t\t- "1525" Jahr? (-0,5 Punkte)\n'
        "\t\t\t- zu knapp (-2 Punkte)\n"
        "\t\tB (5,5 von 5,5 Punkte)\n"
        "\n"
        "\tForm: 1 von 2 Punkte\n"
        "\n"
        "\tInsgesamt:\n"
        "\t\tPunkte: 7,5 von 11, das entspricht einer Leistung von: 68%\n"
        "\t\tVorgeschlagene Note: 3+\n"
    )


def test_unquantified_lines_get_the_remainder():
    a = Analysis.model_validate(
        {"tasks": [{"label": "A", "max": 6, "points": 2, "errors": [
            {"comment": "x", "deduction": 1}, {"comment": "y"}, {"comment": "z"}]}]}, context={"lenient": True})
    text = render(a)
    assert "- x (-1 Punkt)" in text and "- y (-1,5 Punkte)" in text and "- z (-1,5 Punkte)" in text


def test_user_template(tmp_path):
    template = tmp_path / "short.j2"
    template.write_text("{% for t in tasks %}{{ t.label }}={{ t.points|num }}/{{ t.max|num }};{% endfor %}"
                        "{{ totals.percent }}% {{ totals.grade }}", encoding="utf-8")
    assert render(load_sheet(DATA / "spec_example.yaml"), template=template) == "A=5/8;B=5/5;C=5/5;Aufgabe 2=5/6;83% 2+\n"
    broken = tmp_path / "broken.j2"
    broken.write_text("{% for %}", encoding="utf-8")
    with pytest.raises(InputFileError, match="broken.j2"):
        render(Analysis(), template=broken)


# -- arithmetic -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("points", "maximum", "rounding", "expected"),
                         [(18, 21, "floor", 85), (17, 21, "floor", 80), (17, 21, "round", 81),
                          (20, 24, "floor", 83), (0, 0, "floor", 0), (29, 30, "floor", 96)])
def test_percent(points, maximum, rounding, expected):
    assert percent(points, maximum, rounding) == expected


def test_points_explicit_computed_and_from_subtasks():
    assert task_points(Task(label="A", max=8, errors=[ErrorLine(comment="x", deduction=1.5)])) == 6.5
    assert task_points(Task(label="A", max=8, points=3, errors=[ErrorLine(comment="x", deduction=1)])) == 3
    parent = Task(label="P", max=5, tasks=[Task(label="a", max=2, points=1), Task(label="b", max=3)])
    assert task_points(parent) == 4
    totals = Analysis(tasks=[parent], extras=[Extra(label="Form", points=1, max=2)]).totals(get_scale("oberstufe"))
    assert (totals.points, totals.max, totals.percent, totals.grade) == (5, 7, 71, "2-")


# -- validation of sheets ---------------------------------------------------------------------------
SHEET = {"tasks": [{"label": "A", "max": 4}, {"label": "B", "max": 2}, {"label": "C", "max": 3, "errors": [
    {"comment": "x", "deduction": 1}]}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["tasks"][2]["errors"][0].update(deduction=-1), r"tasks\[2\]\.errors\[0\]\.deduction: .*negative"),
        (lambda s: s["tasks"][2]["errors"][0].update(deduction=0.3), r"tasks\[2\]\.errors\[0\]\.deduction: .*multiple of 0\.5"),
        (lambda s: s["tasks"][2]["errors"][0].update(deduction=5), r"tasks\[2\]: .*more than its max"),
        (lambda s: s["tasks"][1].pop("max"), r"tasks\[1\].max: is required"),
        (lambda s: s["tasks"][0].update(punkte=3), r"tasks\[0\].punkte: unknown key"),
        (lambda s: s.update(titel="x"), r"^titel: unknown key"),
        (lambda s: s["tasks"][0].update(points=5), r"tasks\[0\]: points 5 of 'A' exceed"),
    ],
)
def test_bad_sheets_name_the_field_path(change, message):
    import copy

    sheet = copy.deepcopy(SHEET)
    change(sheet)
    with pytest.raises(UserInputError, match=message):
        analysis_from_data(sheet)


def test_sheet_file_errors_name_file_and_path(tmp_path):
    path = tmp_path / "anna.yaml"
    path.write_text(yaml.safe_dump({"tasks": [{"label": 1, "max": 2, "errors": [{"comment": "x", "deduction": -1}]}]}))
    with pytest.raises(InputFileError, match=r"anna.yaml: tasks\[0\].errors\[0\].deduction"):
        load_sheet(path)
    (tmp_path / "b.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputFileError, match="b.json"):
        load_sheet(tmp_path / "b.json")
    (tmp_path / "c.txt").write_text("Fehleranalyse:\n- x (-1 Punkt)\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="c.txt:2: .*before the first task"):
        load_sheet(tmp_path / "c.txt")


# -- scales -------------------------------------------------------------------------------------------
def test_presets_and_user_scales(tmp_path):
    oberstufe = get_scale("oberstufe")
    assert [oberstufe.grade_for(p) for p in (100, 95, 94, 85, 83, 33, 32, 19, 0)] == \
        ["1+", "1+", "1", "1-", "2+", "5+", "5", "6", "6"]
    assert get_scale("sek1").grade_for(91) == "2"
    (tmp_path / "streng.toml").write_text(
        'description = "streng"\n[[rows]]\nmin_percent = 90\ngrade = "1"\n[[rows]]\nmin_percent = 0\ngrade = "2"\n')
    assert get_scale("streng", extra_dirs=[tmp_path]).grade_for(89) == "2"
    assert [s.name for s in list_scales([tmp_path])] == ["oberstufe", "sek1", "streng"]
    (tmp_path / "kaputt.toml").write_text('[[rows]]\nmin_percent = 50\ngrade = "1"\n')
    with pytest.raises(InputFileError, match="kaputt.toml: the last row must have min_percent = 0"):
        get_scale("kaputt", extra_dirs=[tmp_path])
    with pytest.raises(UserInputError, match="unknown grade scale 'bayern'"):
        get_scale("bayern")
