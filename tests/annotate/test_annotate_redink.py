"""Red notes placed on the analysis (annotate/redink.py) and the audit's paper checks."""

from __future__ import annotations

from annotate.audit import audit_text
from annotate.model import task_points
from annotate.parse import Stated
from annotate.redink import paper_check, read_document, red_ink_draft
from examkit.models import Line, Mark, PageOCR, Word

STEP = 60


def line(y: int, text: str) -> Line:
    words = [Word(text=t, conf=90, bbox=(100 + 120 * i, y, 200 + 120 * i, y + 40)) for i, t in enumerate(text.split())]
    return Line(bbox=(100, y, 900, y + 40), words=words)


def note(text: str, kind: str, y: int, x: int = 1100) -> Mark:
    return Mark(kind="margin", bbox=(x, y, x + 80, y + 40), text=text, note=kind, conf=90)


def page(lines: list[str], marks: list[Mark], top: int = 200) -> PageOCR:
    return PageOCR(engine="t", lines=[line(top + STEP * i, t) for i, t in enumerate(lines)], marks=marks,
                   width=1300, height=2000)


def at(row: int, top: int = 200) -> int:
    return top + STEP * row


ANSWER = ["Lea Richter 14.11.2024", "Aufgabe 1", "Frankreich besetzte das Ruhrgebiet", "Aufgabe 2",
          "Die Inflation kam daher", "sie wurde 1925 beendet", "Aufgabe 3", "Ich denke die Republik"]


def test_scores_go_to_the_task_whose_heading_starts_their_part():
    marks = [note("12/20", "score", 100), note("3/5", "score", at(2)), note("-1", "deduction", at(5)),
             Mark(kind="underline", bbox=(300, at(5) + 42, 700, at(5) + 48), text="1925 beendet"),
             note("6/9", "score", at(5), x=1200), note("3/6", "score", at(7))]
    ink = read_document([(1, page(ANSWER, marks))])
    assert ink.total == (12, 20)
    assert ink.tasks == [("Aufgabe 1", 5, 3), ("Aufgabe 2", 9, 6), ("Aufgabe 3", 6, 3)]
    placed = {n.mark.text: (n.task, n.rule) for n in ink.notes}
    assert placed == {"12/20": (None, "total"), "3/5": (0, "heading"), "6/9": (1, "heading"), "3/6": (2, "heading"),
                      "-1": (1, "underline")}
    draft = red_ink_draft(ink)
    assert [(t.label, t.points, t.max) for t in draft.tasks] == [("Aufgabe 1", 3, 5), ("Aufgabe 2", 6, 9),
                                                                  ("Aufgabe 3", 3, 6)]
    assert [(e.quote, e.deduction) for e in draft.tasks[1].errors] == [("1925 beendet", 1)]
    assert [task_points(t) for t in draft.tasks] == [3, 6, 3]
    assert paper_check(ink, draft) == []


def test_without_headings_the_scores_follow_the_task_order():
    lines = ["Lea Richter", "Frankreich besetzte das Ruhrgebiet", "Die Inflation kam daher", "Ich denke"]
    marks = [note("4/5", "score", at(1)), note("-1", "deduction", at(2)), note("7/9", "score", at(2), x=1200),
             note("5/6", "score", at(3))]
    ink = read_document([(1, page(lines, marks))])
    assert [(label, points) for label, _, points in ink.tasks] == [("Aufgabe 1", 4), ("Aufgabe 2", 7), ("Aufgabe 3", 5)]
    assert {n.mark.text: n.rule for n in ink.notes}["-1"] == "task"
    assert ink.total is None


def test_a_grade_beside_the_total_is_the_grade_and_a_disagreeing_total_is_said():
    marks = [note("10/21", "score", 100), note("2-", "grade", 100, x=1200), note("5/6", "score", at(2)),
             note("6/8", "score", at(5)), note("7/7", "score", at(7))]
    ink = read_document([(1, page(ANSWER, marks))])
    assert (ink.total, ink.grade) == ((10, 21), "2-")
    assert paper_check(ink, red_ink_draft(ink)) == [
        "Auf dem Blatt steht 10/21, die roten Aufgabenpunkte ergeben 18/21 — bitte prüfen",
        "Auf dem Blatt steht 10/21, die Aufgaben ergeben 18/21 — bitte prüfen"]


def test_notes_on_later_pages_and_the_exams_own_tasks():
    first = page(ANSWER[:4], [note("14/20", "score", 100), note("4/5", "score", at(2))])
    second = page(["Die Inflation kam daher", "Aufgabe 3", "Ich denke"], [note("6/9", "score", at(0)),
                                                                         note("4/6", "score", at(2))])
    ink = read_document([(1, first), (2, second)], labels=[("1", 5), ("2", 9), ("3", 6)])
    assert ink.tasks == [("1", 5, 4), ("2", 9, 6), ("3", 6, 4)]


def test_no_red_ink_no_draft():
    ink = read_document([(1, page(ANSWER, []))])
    assert ink.empty and red_ink_draft(ink) is None


def test_the_audit_says_an_empty_analysis_is_empty_and_a_red_total_that_differs():
    empty = audit_text("Fehleranalyse:\n\tInsgesamt:\n\t\tPunkte: 0 von 0, das entspricht einer Leistung von: 0%\n",
                       stop_marker=None)
    assert [p.code for p in empty.problems] == ["analysis-empty"] and empty.has_errors
    text = ("Fehleranalyse:\n\tAufgabe 1 (6 von 6 Punkte)\n\tAufgabe 2 (12 von 15 Punkte):\n\t\t- Zu knapp (-3 Punkte)\n"
            "\n\tInsgesamt:\n"
            "\t\tPunkte: 18 von 21, das entspricht einer Leistung von: 85%\n\t\tVorgeschlagene Note: 1-\n")
    record = audit_text(text, stop_marker=None, on_paper=Stated(points=10, max=21, grade="1-"))
    assert [(p.code, p.severity, p.message) for p in record.problems] == [
        ("red-total-mismatch", "warning", "the teacher's red ink on the scan says 10/21, the analysis adds up to 18/21")]
    assert audit_text(text, stop_marker=None, on_paper=Stated(points=18, max=21)).problems == []


def test_a_heading_number_finds_the_exams_task_of_that_number_when_one_is_left_out():
    lines = ["Lea Richter", "Aufgabe 1", "Frankreich besetzte das Ruhrgebiet", "Aufgabe 3", "Ich denke"]
    marks = [note("11/20", "score", 100), note("4/5", "score", at(2)), note("5/6", "score", at(4))]
    ink = read_document([(1, page(lines, marks))], labels=[("Aufgabe 1", 5), ("Aufgabe 2", 9), ("Aufgabe 3", 6)])
    assert ink.tasks == [("Aufgabe 1", 5, 4), ("Aufgabe 2", 9, None), ("Aufgabe 3", 6, 5)]
    assert ink.total == (11, 20)


def test_a_score_beside_the_first_line_is_no_total_when_a_larger_maximum_is_written():
    lines = ["Aufgabe 1 Die Reformation", "begann 1517", "Aufgabe 2", "Luther"]
    marks = [note("4/5", "score", at(0)), note("5/6", "score", at(3))]
    ink = read_document([(1, page(lines, marks))])
    assert ink.total is None and [p for _, _, p in ink.tasks] == [4, 5]


def test_annotate_check_scans_lists_a_red_total_that_differs(cli, ws) -> None:
    import json

    from annotate.model import Analysis
    from annotate.sheets import canonical_text, settings_from
    from tests.review.redink_sample import SAMPLE, add_red_ink_sample

    add_red_ink_sample(ws)  # red total 12/20
    analysis = Analysis.model_validate({"tasks": [{"label": "Aufgabe 1", "max": 5},
                                                  {"label": "Aufgabe 2", "max": 9, "errors": [{"comment": "x", "deduction": 1}]},
                                                  {"label": "Aufgabe 3", "max": 6, "errors": [{"comment": "y", "deduction": 1}]}]})
    ws.revisions.add_analysis(SAMPLE, canonical_text(analysis, settings_from(ws.config.analysis, ws.root)),
                              sheet=analysis.model_dump())
    result = cli("annotate", "check", "--scans", "--json", "--workspace", ws.root)
    assert result.exit_code == 0, result.stderr
    [record] = json.loads(result.stdout)
    assert record["source"] == SAMPLE
    assert [(p["code"], p["severity"]) for p in record["problems"]] == [("red-total-mismatch", "warning")]
    assert "red ink on the scan says 12/20, the analysis adds up to 18/20" in result.stderr
    assert cli("annotate", "check").exit_code != 0  # nothing to check: one line, not a traceback


def test_headings_misread_as_a_handwritten_one_would_be_still_start_their_tasks():
    lines = ["Lina Hoffmann", "Aufgabe 7:", "Frankreich besetzte das Ruhrgebiet", "Auf gabe 2)", "Die Inflation",
             "Aufgabe III", "Ich denke"]
    marks = [note("4/5", "score", at(2)), note("7/9", "score", at(4)), note("5/6", "score", at(6))]
    ink = read_document([(1, page(lines, marks))])
    assert ink.tasks == [("Aufgabe 1", 5, 4), ("Aufgabe 2", 9, 7), ("Aufgabe 3", 6, 5)]
    assert {n.mark.text: n.rule for n in ink.notes} == {"4/5": "heading", "7/9": "heading", "5/6": "heading"}


def test_a_sub_task_heading_read_with_a_stray_digit_stays_in_its_task():
    lines = ["Sophie Lange", "Auf gebe 16)", "Bei M1 handelt es sich", "Auf gebe 16)", "Der Student schreibt",
             "Aufgabe 2)", "Der Ablass war"]
    marks = [note("6,5/8", "score", at(4)), note("4/6", "score", at(6))]
    ink = read_document([(1, page(lines, marks))])
    assert ink.tasks == [("Aufgabe 1", 8, 6.5), ("Aufgabe 2", 6, 4)]


def test_a_sentence_that_starts_with_a_word_and_a_number_is_no_heading():
    from annotate.redink import heading_number

    for text in ("Bei M1 handelt es sich", "Im Jahr 1923 war", "Laut M 2 stieg", "Insgesamt 12 Punkte"):
        assert heading_number(line(100, text)) is None, text
    assert heading_number(line(100, "Aufg. 3:")) == 3 and heading_number(line(100, "Nr. II")) == 2
