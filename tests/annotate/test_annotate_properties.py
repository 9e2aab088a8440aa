"""Properties: render → parse is the identity on the model; reformatting never changes the parse."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.model import Analysis, ErrorLine, Extra, Task
from annotate.parse import parse
from annotate.render import render

WORDS = ["Reformation", "Luther", "Quelle", "Kaiser", "Bauernkrieg", "falsch", "ungenau", "Warum", "fehlt",
         "Datum", "Begriff", "nicht", "erklärt", "Stände", "Ablass", "Thesen", "Wittenberg", "Papst", "der",
         "die", "und", "1517", "genauer", "Beleg", "Zitat", "Ursache", "Folgen", "zu", "knapp"]
halves = st.integers(min_value=0, max_value=8).map(lambda n: n / 2)


def phrase(min_size: int = 1, max_size: int = 6):
    return st.lists(st.sampled_from(WORDS), min_size=min_size, max_size=max_size).map(" ".join)


comment = st.tuples(phrase(), st.sampled_from(["", "!", "?", "."])).map("".join)
error_line = st.builds(ErrorLine, quote=st.none() | phrase(), comment=comment,
                       deduction=st.sampled_from([0, 0.5, 1, 1.5, 2, 3]))


@st.composite
def leaf(draw, label: str) -> Task:
    errors = draw(st.lists(error_line, max_size=3))
    lost = sum(e.deduction for e in errors)
    maximum = lost + draw(st.integers(min_value=0 if lost else 1, max_value=12)) / 2
    points = draw(st.none() | st.integers(min_value=0, max_value=int(maximum * 2)).map(lambda n: n / 2))
    return Task(label=label, max=maximum, points=points, errors=errors)


@st.composite
def analysis(draw) -> Analysis:
    tasks = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        label = f"Aufgabe {i + 1}"
        if draw(st.booleans()):
            subs = [draw(leaf(letter)) for letter in "ABC"[: draw(st.integers(min_value=1, max_value=3))]]
            tasks.append(Task(label=label, max=sum(s.max for s in subs), tasks=subs))
        else:
            tasks.append(draw(leaf(label)))
    extras = []
    for label in draw(st.lists(st.sampled_from(["Form", "Sprache", "Darstellung"]), unique=True, max_size=2)):
        maximum = draw(st.integers(min_value=1, max_value=6)) / 2
        extras.append(Extra(label=label, max=maximum, points=draw(st.integers(0, int(maximum * 2))) / 2))
    title = draw(st.none() | phrase(2, 6).map(str.upper))
    return Analysis(title=title, tasks=tasks, extras=extras)


def reformat(text: str, how: str) -> str:
    if how == "one line":
        return text.replace("\n", " ")
    if how == "spaces":
        return text.replace("\t", "    ")
    if how == "crlf":
        return text.replace("\n", "\r\n")
    if how == "brackets":
        text = re.sub(r"\((-[\d,]+ Punkte?)\)", r"[\1]", text)
        text = re.sub(r"\(-([\d,]+) (Punkte?)\)", r"(\1\2)", text)
        return text.replace("(kein Punktabzug)", "(keine Punkte Abzug)")
    if how == "slash":
        return re.sub(r"\(([\d,]+) von ([\d,]+) Punkte?\)", r"(\1/\2 Punkten)", text)
    raise AssertionError(how)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(analysis())
def test_render_then_parse_gives_the_same_model(a):
    assert parse(render(a)) == a.normalized()


@SETTINGS
@given(analysis(), st.sampled_from(["one line", "spaces", "crlf", "brackets", "slash"]))
def test_reformatted_canonical_text_parses_the_same(a, how):
    text = render(a)
    assert parse(reformat(text, how)) == parse(text)


@SETTINGS
@given(analysis())
def test_rendered_numbers_always_add_up(a):
    from annotate.audit import audit_text

    record = audit_text(render(a))
    codes = {p.code for p in record.problems}
    # explicit task points may contradict their own lines (the audit must say so); totals never
    assert not codes & {"total-mismatch", "percent-mismatch", "grade-mismatch", "not-parsed", "heading",
                        "total-missing", "stop-marker-missing", "task-mismatch"}
