"""The review page speaks German: audit messages, refused fields in the teachers' words, numbers
the German way, suggestions quoted from the corrected text (no browser needed here)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from annotate.audit import MESSAGES, SEVERITY, audit_text
from annotate.review.german import AUDIT_LABELS, AUDIT_MESSAGES, audit_problems, field_name, task_name
from annotate.review.suggestions import page_suggestions
from examkit.models import Line, Mark, PageOCR, Word
from tests.review.conftest import STUDENT, page_ids

#: Words that give away English (or programmer) text in a German message.
ENGLISH = re.compile(r"\b(the|is|not|of|add|up|more|than|must|should|input|valid|number|got|points|stated|"
                     r"but|deduction|deductions|max|missing|answer|student|task|tasks|value|error|required)\b",
                     re.IGNORECASE)
FIELD_PATH = re.compile(r"\w+\[\d+\]|\.\w+\[|\btasks\.|\berrors\.")

GOOD = ("Fehleranalyse:\n\tA (7 von 8 Punkte):\n\t\t- „Textart: Quasi“ falsch (-1 Punkt)\n\n"
        "\tInsgesamt:\n\t\tPunkte: 7 von 8, das entspricht einer Leistung von: 87%\n\t\tVorgeschlagene Note: 1- ENDSTOP")
BAD_TEXTS = [
    None,
    "kein Text einer Fehleranalyse",
    GOOD.replace("Fehleranalyse:\n", ""),
    GOOD.replace("Punkte: 7 von 8", "Punkte: 6,5 von 8").replace("87%", "81%"),
    GOOD.replace("87%", "80%"),
    GOOD.replace("Note: 1-", "Note: 4"),
    GOOD.replace(" ENDSTOP", ""),
    GOOD.replace("(-1 Punkt)", "(-2 Punkte)"),
    GOOD.replace("Textart: Quasi", "Der Papst war Luthers Freund"),
    GOOD.replace("(-1 Punkt)", ""),
    ("Fehleranalyse:\n\tA (5 von 8 Punkte):\n\t\ta (3 von 5 Punkte):\n\t\t\t- falsch (-2 Punkte)\n\t\tb (1 von 2 Punkte):\n"
     "\t\t\t- ungenau (-1 Punkt)\n\n\tInsgesamt:\n\t\tPunkte: 5 von 8, das entspricht einer Leistung von: 62%\n"
     "\t\tVorgeschlagene Note: 2- ENDSTOP"),
]


def test_every_audit_message_has_german_words() -> None:
    assert set(AUDIT_MESSAGES) == set(MESSAGES)
    assert set(AUDIT_LABELS) == set(SEVERITY)


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_audit_problems_read_german(text: str | None) -> None:
    record = audit_text(text, student_text="Textart: Quasi (Statement)", max_tokens=5, count_tokens=len)
    shown = audit_problems(record.problems)
    assert shown, "each of these texts has a problem"
    for problem in shown:
        words = f"{problem['label']} {problem['message']}"
        assert not ENGLISH.search(words), words
        assert not FIELD_PATH.search(words), words
        assert "ENDSTOP" not in words


def test_audit_numbers_and_tasks_in_german() -> None:
    record = audit_text(GOOD.replace("Punkte: 7 von 8", "Punkte: 6,5 von 8").replace("87%", "81%"))
    [mismatch] = [p for p in audit_problems(record.problems) if p["code"] == "total-mismatch"]
    assert mismatch["message"] == "Angegeben sind 6,5 von 8 Punkten, die Aufgaben ergeben aber 7 von 8."
    # the command line keeps its English message and the JSON contract its fields
    assert record.problems[0].message.startswith("stated 6,5 von 8")
    assert set(record.to_json()["problems"][0]) == {"code", "severity", "message"}


def test_a_wrong_percent_is_explained_with_a_decimal_comma() -> None:
    record = audit_text(GOOD.replace("87%", "80%"))
    [wrong] = [p for p in audit_problems(record.problems) if p["code"] == "percent-mismatch"]
    assert wrong["message"] == "Angegeben sind 80 %, aber 7 von 8 Punkten sind 87,5 %."


def test_task_and_field_names_are_the_teachers() -> None:
    sheet = {"tasks": [{"label": "Aufgabe 1", "max": 5, "errors": [{}, {"deduction": "abc"}]},
                       {"label": "B", "max": 4, "tasks": [{"label": "a", "max": "x"}]}],
             "extras": [{"label": "Form", "points": 3, "max": 2}]}
    assert task_name(["Aufgabe 2"]) == "Aufgabe 2" and task_name(["A", "b"]) == "Aufgabe A › b"
    assert field_name(["tasks", 0, "errors", 1, "deduction"], sheet) == "Aufgabe 1, Fehler 2, Abzug"
    assert field_name(["tasks", 0, "max"], sheet) == "Aufgabe 1, Höchstpunkte"
    assert field_name(["tasks", 1, "tasks", 0, "max"], sheet) == "Aufgabe B › a, Höchstpunkte"
    assert field_name(["extras", 0], sheet) == "Zusatzpunkte „Form“"
    assert field_name(["title"], sheet) == "Überschrift"


BAD_SHEETS = [
    ({"tasks": [{"label": "Aufgabe 1", "max": "x"}]}, "Aufgabe 1, Höchstpunkte: „x“ ist keine Zahl"),
    ({"tasks": [{"label": "Aufgabe 1", "max": None}]}, "Aufgabe 1, Höchstpunkte: bitte eine Zahl eintragen"),
    ({"tasks": [{"label": "A", "max": 5, "errors": [{"comment": "x", "deduction": "abc"}]}]},
     "Aufgabe A, Fehler 1, Abzug: „abc“ ist keine Zahl"),
    ({"tasks": [{"label": "A", "max": 5, "errors": [{"comment": "x", "deduction": 1.25}]}]},
     "Aufgabe A, Fehler 1, Abzug: nur ganze oder halbe Punkte (1,25 geht nicht)"),
    ({"tasks": [{"label": "Aufgabe 1", "max": 5, "errors": [{"comment": "x", "deduction": 11}]}]},
     "Aufgabe 1: die Abzüge ergeben 11 Punkte, mehr als die Höchstpunkte (5)"),
    ({"tasks": [{"label": "A", "max": 5, "errors": [{"comment": "x", "deduction": -1}]}]},
     "Aufgabe A, Fehler 1, Abzug: darf nicht negativ sein"),
    ({"tasks": [{"label": "A", "max": 8, "tasks": [{"label": "a", "max": 3}]}]},
     "Aufgabe A: die Höchstpunkte der Teilaufgaben ergeben 3, die der Aufgabe sind 8"),
    ({"tasks": [], "extras": [{"label": "Form", "points": 3, "max": 2}]},
     "Zusatzpunkte „Form“: 3 Punkte sind mehr als die Höchstpunkte (2)"),
]


@pytest.mark.parametrize(("sheet", "message"), BAD_SHEETS)
def test_refused_fields_are_named_in_german(client: TestClient, review_ws, sheet, message: str) -> None:
    preview = client.post("/api/preview", json={"document_id": STUDENT, "sheet": sheet}).json()
    assert not preview["ok"] and preview["errors"][0]["message"] == message
    saved = client.post("/api/analysis", json={"document_id": STUDENT, "sheet": sheet, "base": None})
    assert saved.status_code == 422 and message in saved.json()["detail"]
    assert not ENGLISH.search(saved.json()["detail"]) and not FIELD_PATH.search(saved.json()["detail"])
    assert review_ws.revisions.analyses(STUDENT) == []  # nothing stored


def test_overview_writes_numbers_the_german_way(client: TestClient) -> None:
    sheet = {"tasks": [{"label": "A", "max": 8, "errors": [{"comment": "ungenau", "deduction": 1.5}]},
                       {"label": "B", "max": 5}]}
    assert client.post("/api/analysis", json={"document_id": STUDENT, "sheet": sheet, "base": None}).status_code == 200
    page = client.get("/").text
    assert "11,5/13" in page and "11.5" not in page


def test_history_times_have_seconds(client: TestClient, review_ws) -> None:
    first = page_ids(review_ws)[0]
    client.post(f"/api/pages/{first}/text", json={"text": "eins", "base": None})
    [entry] = client.get(f"/api/pages/{first}").json()["history"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d", entry["when"])
    assert entry["author"] == "Lehrkraft"


def _reading(words: list[str], mark_text: str) -> PageOCR:
    boxes = [Word(text=w, conf=90, bbox=(100 + 80 * i, 100, 170 + 80 * i, 140)) for i, w in enumerate(words)]
    marked = [b for b in boxes if b.text in mark_text.split()]
    mark = Mark(kind="underline", bbox=(marked[0].bbox[0], 138, marked[-1].bbox[2], 146), text=mark_text)
    return PageOCR(engine="test", lines=[Line(words=boxes, bbox=(100, 100, 900, 140))], marks=[mark])


def test_a_suggestion_quotes_the_corrected_words() -> None:
    reading = _reading(["Das", "ist", "keiner", "neur", "der", "ITecierung", "gewesen."], "keiner neur der ITecierung")
    [suggestion] = page_suggestions(reading, "Das ist keiner neuer der Interpretierung gewesen.", 1)
    assert suggestion["text"] == "keiner neuer der Interpretierung" and suggestion["found"]
    # words inserted before the mark and a word split in two: still the words at the mark
    [moved] = page_suggestions(reading, "Vorher: Das ist\nkeiner neu er der Interpretierung gewesen.", 1)
    assert moved["text"] == "keiner neu er der Interpretierung"
    # the marked words deleted: the OCR words are offered, said to be no longer in the text
    [gone] = page_suggestions(reading, "Das ist gewesen.", 1)
    assert gone["text"] == "keiner neur der ITecierung" and not gone["found"]


def test_the_analysis_view_suggests_from_the_corrected_page(client: TestClient, review_ws) -> None:
    first = page_ids(review_ws)[0]
    corrected = review_ws.revisions.page_text(first).replace("Textart: Quasi", "Textart: Quelle")
    client.post(f"/api/pages/{first}/text", json={"text": corrected, "base": None})
    [suggestion] = client.get(f"/api/analysis/{STUDENT}").json()["suggestions"]
    assert suggestion["text"] == "Textart: Quelle"


def test_an_underline_running_on_into_the_next_line_is_one_suggestion() -> None:
    first = [Word(text=w, conf=90, bbox=(100 + 80 * i, 100, 170 + 80 * i, 140)) for i, w in enumerate(["Die", "Bauern", "wollten"])]
    second = [Word(text=w, conf=90, bbox=(100 + 80 * i, 200, 170 + 80 * i, 240)) for i, w in enumerate(["mehr", "Rechte", "haben."])]
    marks = [Mark(kind="underline", bbox=(180, 138, 330, 146), text="Bauern wollten"),
             Mark(kind="underline", bbox=(100, 238, 250, 246), text="mehr Rechte"),
             Mark(kind="circle", bbox=(180, 95, 250, 145), text="Bauern")]
    reading = PageOCR(engine="test", lines=[Line(words=first, bbox=(100, 100, 400, 140)),
                                            Line(words=second, bbox=(100, 200, 400, 240))], marks=marks)
    found = page_suggestions(reading, "Die Bauern wollten\nmehr Rechte haben.", 1)
    assert [(s["kind"], s["text"]) for s in found] == [("underline", "Bauern wollten mehr Rechte"), ("circle", "Bauern")]
