"""The parser against hand-written variants of the kind teachers type (all invented here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotate.model import Analysis, task_points
from annotate.parse import AnalysisParseError, parse, parse_error_line, parse_text

DATA = Path(__file__).parent / "data"
CANONICAL = (DATA / "spec_example.txt").read_text(encoding="utf-8")


def labels(analysis: Analysis) -> list[str]:
    return [t.label for t in analysis.tasks]


# -- deductions ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "deduction"),
    [
        ("Datum fehlt (-1 Punkt)", 1),
        ("Datum fehlt (-1Punkt)", 1),
        ("Datum fehlt [-0,5 Punkte]", 0.5),
        ("Datum fehlt (- 0,5 Punkte)", 0.5),
        ("Datum fehlt (0,5 Punkte)", 0.5),
        ("Datum fehlt (-2 Punkte).", 2),
        ("Datum fehlt (4 Punkte nicht erhalten)", 4),
        ("Datum fehlt (-1,5 P.)", 1.5),
        ("Datum fehlt (Abzug: 1 Punkt)", 1),
        ("Datum fehlt -1 Punkt", 1),
        ("Datum fehlt (Kein Punktabzug)", 0),
        ("Datum fehlt (kein Punktabzug)", 0),
        ("Datum fehlt (keine Punkte Abzug)", 0),
        ("Datum fehlt (kein Punkt abgezogen)", 0),
        ("Datum fehlt (0 Punkte)", 0),
        ("Datum fehlt (keine Punkte erhalten)", None),
        ("Datum fehlt (keinen Punkt erhalten)", None),
        ("Datum fehlt", None),
        ("Datum fehlt (siehe Quelle)", None),
    ],
)
def test_deduction_styles(line, deduction):
    parsed = parse_error_line(line)
    assert parsed.deduction == deduction
    assert parsed.comment.startswith("Datum fehlt")


def test_bracket_that_is_not_a_deduction_stays_in_the_comment():
    parsed = parse_error_line('"Textart: Quasi (Statement)" ist falsch (siehe M2)')
    assert parsed.quote == "Textart: Quasi (Statement)"
    assert parsed.comment == "ist falsch (siehe M2)"
    assert parsed.deduction is None


@pytest.mark.parametrize("opening, closing", [('"', '"'), ("„", "“"), ("“", "”")])
def test_quote_styles(opening, closing):
    parsed = parse_error_line(f"{opening}Luther war Kaiser{closing} stimmt nicht (-1 Punkt)")
    assert parsed.quote == "Luther war Kaiser"
    assert parsed.comment == "stimmt nicht"


# -- whole texts ------------------------------------------------------------------------------------
def test_canonical_example():
    result = parse_text(CANONICAL)
    assert result.heading_ok and result.stop_marker_found and result.has_summary
    assert result.analysis.title == "DIE REFORMATION MARTIN LUTHER - EINE QUELLE ANALYSIEREN"
    assert labels(result.analysis) == ["A", "B", "C", "Aufgabe 2"]
    assert (result.stated.points, result.stated.max, result.stated.percent, result.stated.grade) == (20, 24, 83, "2+")


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", " "), id="one line"),
        pytest.param(lambda t: t.replace("\n", "").replace("\t", " "), id="one line no spaces at breaks"),
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\t", "    "), id="four spaces"),
        pytest.param(lambda t: t.replace("\t", "  "), id="two spaces"),
        pytest.param(lambda t: t.replace("\t", ""), id="no indentation"),
        pytest.param(lambda t: t.replace("\n", "\\n").replace("\t", "\\t"), id="json escapes"),
        pytest.param(lambda t: "  " + t.replace("Fehleranalyse:", "Fehleranalyse"), id="no colon, leading spaces"),
        pytest.param(lambda t: re.sub(r"(\d) von (\d)", r"\1/\2", t), id="slash"),
        pytest.param(lambda t: t.replace("Punkte)", "Punkten)"), id="Punkten"),
        pytest.param(lambda t: t.replace("(-1 Punkt)", "[-1 Punkt]"), id="square brackets"),
        pytest.param(lambda t: t.replace("(-1 Punkt)", "(-1Punkt)"), id="no space"),
        pytest.param(lambda t: t.replace("\n\n", "\n"), id="no blank lines"),
        pytest.param(lambda t: t.replace("\t\t-", "\t-"), id="errors indented like their task"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
    ],
)
def test_reformatted_canonical_text_parses_the_same(variant):
    assert parse(variant(CANONICAL)) == parse(CANONICAL)


def test_misspelt_heading_is_read_but_flagged():
    result = parse_text(CANONICAL.replace("Fehleranalyse:", "Fehleranalye:"))
    assert not result.heading_ok
    assert result.analysis == parse(CANONICAL)


def test_decimal_commas_and_half_points():
    text = """Fehleranalyse:
\tAufgabe 1 (1,5 von 2 Punkte):
\t\t- "Bauernkrieg 1535" falsches Jahr (-0,5 Punkte)
\tAufgabe 2 (3 von 3 Punkte)

\tInsgesamt:
\t\tPunkte: 4,5 von 5, das entspricht einer Leistung von: 90%
\t\tVorgeschlagene Note: 1 ENDSTOP"""
    result = parse_text(text)
    assert result.stated.points == 4.5
    assert result.analysis.tasks[0].errors[0].deduction == 0.5
    assert result.analysis.points() == 4.5


def test_one_line_summary_and_only_tasks_with_mistakes():
    text = (
        "Fehleranalyse\n"
        "Aufgabe 2 (13/14 Punkte):\n"
        "- Ständegesellschaft nicht erklärt (-1 Punkt)\n"
        "Insgesamt: Punkte: 29 von 30, was einer Leistung von 96% entspricht."
    )
    result = parse_text(text, stop_marker=None)
    assert result.stated.points == 29 and result.stated.max == 30 and result.stated.percent == 96
    assert result.stated.grade is None
    assert labels(result.analysis) == ["Aufgabe 2"]
    # the two unlisted full-mark points are kept so that the totals stay right
    assert result.analysis.points() == 29 and result.analysis.max_points() == 30
    assert any("not listed" in n for n in result.notes)


def test_extras_and_seed_style_comments():
    text = """Fehleranalyse:
Aufgabe 1 (6 von 6 Punkte) //volle Punktzahl
Aufgabe 2 (5 von 8 Punkte):
- "Westfälischer Friede 1684" Jahreszahl (-1 Punkt)
- Absolutismus nicht definiert (-2 Punkte)
Form: 1 von 2 Punkte

Insgesamt:
Punkte: 12 von 16, das entspricht einer Leistung von: 75%
Vorgeschlagene Note: 2"""
    result = parse_text(text)
    a = result.analysis
    assert labels(a) == ["Aufgabe 1", "Aufgabe 2"]
    assert [(e.label, e.points, e.max) for e in a.extras] == [("Form", 1, 2)]
    assert a.points() == 12 and a.max_points() == 16
    assert not result.stop_marker_found
    assert any("ignored the remark" in n for n in result.notes)


def test_unquantified_lines_keep_the_stated_points():
    text = """Fehleranalyse:
\tNr. 20 (2 von 4 Punkte):
\t\t- Ursachen fehlen (keine Punkte erhalten)
\t\t- Folgen nur angedeutet
\tNr. 21 (3 von 3 Punkte)

\tInsgesamt:
\t\tPunkte: 5 von 7, das entspricht einer Leistung von: 71%
\t\tVorgeschlagene Note: 2- ENDSTOP"""
    a = parse(text)
    task = a.tasks[0]
    assert task.label == "Nr. 20" and task.points == 2
    assert [e.deduction for e in task.errors] == [None, None]


def test_sub_tasks_by_indentation():
    text = """Fehleranalyse:
\tAufgabe 3 (6 von 8 Punkte):
\t\tInnenpolitisch (3 von 4 Punkte):
\t\t\t- "Edikt von Nantes" nicht erklärt (-1 Punkt)
\t\tAußenpolitisch (3 von 4 Punkte):
\t\t- Reunionspolitik fehlt (-1 Punkt)
\tAufgabe 4 (2 von 2 Punkte)

\tInsgesamt:
\t\tPunkte: 8 von 10, das entspricht einer Leistung von: 80%
\t\tVorgeschlagene Note: 2+ ENDSTOP"""
    a = parse(text)
    assert labels(a) == ["Aufgabe 3", "Aufgabe 4"]
    assert [t.label for t in a.tasks[0].tasks] == ["Innenpolitisch", "Außenpolitisch"]
    assert a.tasks[0].tasks[1].errors[0].comment == "Reunionspolitik fehlt"
    assert task_points(a.tasks[0]) == 6


def test_sub_tasks_by_labels_when_flat():
    text = ("Fehleranalyse: Aufgabe 2 (4 von 6 Punkte): Aufgabe 2.1 (1 von 2 Punkte): - Quelle nicht genannt (-1 Punkt) "
            "Aufgabe 2.2 (3 von 4 Punkte): - zu knapp (-1 Punkt) Paar 1 (3 von 3 Punkte) Paar 2 (2 von 3 Punkte): "
            "- Begriff verwechselt (-1 Punkt) Insgesamt: Punkte: 9 von 12, das entspricht einer Leistung von: 75% "
            "Vorgeschlagene Note: 2 ENDSTOP")
    a = parse(text)
    assert labels(a) == ["Aufgabe 2", "Paar 1", "Paar 2"]
    assert [t.label for t in a.tasks[0].tasks] == ["Aufgabe 2.1", "Aufgabe 2.2"]


def test_sub_tasks_by_sums_when_flat():
    text = ("Fehleranalyse: Aufgabe 3 (7 von 8 Punkte): A (1 von 2 Punkte): - Genauer eingehen (-1 Punkt) "
            "B (6 von 6 Punkte) Aufgabe 4 (2 von 2 Punkte) Insgesamt: Punkte: 9 von 10, das entspricht einer "
            "Leistung von: 90% Vorgeschlagene Note: 1 ENDSTOP")
    a = parse(text)
    assert labels(a) == ["Aufgabe 3", "Aufgabe 4"]
    assert [t.label for t in a.tasks[0].tasks] == ["A", "B"]


def test_letters_of_one_kind_stay_siblings():
    a = parse(CANONICAL.replace("\n", " "))
    assert labels(a) == ["A", "B", "C", "Aufgabe 2"]


def test_summary_with_notenpunkte_and_typographic_details():
    text = "Fehleranalyse:\n\tA (10 von 10 Punkte)\n\n\tInsgesamt:\n\t\tPunkte: 10 von 10 – 100 %\n\t\tNote: 15 NP"
    result = parse_text(text, stop_marker=None)
    assert result.stated.percent == 100 and result.stated.grade == "15 NP"


# -- what cannot be read -----------------------------------------------------------------------------
def test_no_structure_at_all():
    with pytest.raises(AnalysisParseError, match="no task heading"):
        parse("Sehr schön gemacht, weiter so!")


def test_unreadable_heading_names_line_and_fragment():
    text = "Fehleranalyse:\n\tAufgabe 1 (sechs von 6 Punkte)\n\tAufgabe 2 (2 von 2 Punkte)\n"
    with pytest.raises(AnalysisParseError) as info:
        parse(text)
    assert info.value.line == 2 and "Aufgabe 1 (sechs" in str(info.value)


def test_error_line_before_any_task():
    with pytest.raises(AnalysisParseError, match="line 2: .*before the first task"):
        parse("Fehleranalyse:\n- Datum fehlt (-1 Punkt)\nAufgabe 1 (5 von 6 Punkte)\n")


def test_stray_text_between_title_and_tasks():
    with pytest.raises(AnalysisParseError, match="line 3"):
        parse("Fehleranalyse:\nTITEL:\nnoch was\nAufgabe 1 (5 von 6 Punkte):\n- x (-1 Punkt)\n")


def test_parse_error_is_a_user_input_error():
    from examkit.errors import UserInputError

    assert issubclass(AnalysisParseError, UserInputError)
