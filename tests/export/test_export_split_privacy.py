"""Split: deterministic and grouped. Pseudonyms: every form of a name, stable, checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.errors import UserInputError
from examkit.workspace import Workspace
from export.privacy import Roster
from export.split import split_grouped
from tests.export.conftest import read_lines

ITEMS = [(f"exam{e}", f"student{s}", n) for e in range(3) for s in range(8) for n in range(2)]


def test_split_is_deterministic_and_grouped() -> None:
    train, val = split_grouped(ITEMS, 0.2, seed=5, key=lambda i: i[1])
    assert (train, val) == split_grouped(list(ITEMS), 0.2, seed=5, key=lambda i: i[1])
    assert {i[1] for i in train}.isdisjoint({i[1] for i in val})
    assert abs(len(val) - 0.2 * len(ITEMS)) <= 6  # whole groups of 6
    assert split_grouped(ITEMS, 0.2, seed=6, key=lambda i: i[1]) != (train, val)
    by_exam = split_grouped(ITEMS, 0.3, seed=1, key=lambda i: i[0])
    assert {i[0] for i in by_exam[0]}.isdisjoint({i[0] for i in by_exam[1]}) and by_exam[1]


def test_split_refuses_what_cannot_be_split() -> None:
    with pytest.raises(UserInputError):
        split_grouped(ITEMS, 1.5, key=lambda i: i[1])
    with pytest.raises(UserInputError, match="group"):
        split_grouped(ITEMS, 0.1, key=lambda i: "all")


def test_export_split_writes_val_beside(exam_ws: Workspace, cli, tmp_path: Path) -> None:
    out = tmp_path / "train.jsonl"
    args = ("export", "chat", out, "--split", "0.25", "--seed", "4", "--force", "--workspace", exam_ws.root)
    result = cli(*args)
    assert result.exit_code == 0, result.output
    val = tmp_path / "train.val.jsonl"
    assert result.stdout.split() == [str(out), str(val)]
    first = (out.read_bytes(), val.read_bytes())
    assert cli(*args).exit_code == 0 and (out.read_bytes(), val.read_bytes()) == first
    train_users = {line["messages"][1]["content"] for line in read_lines(out)}
    assert train_users.isdisjoint({line["messages"][1]["content"] for line in read_lines(val)})


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    path = tmp_path / "klasse.csv"
    path.write_text("vorname;nachname\nAnna;Müller\nJonas;Weiß\nBen;Schmidt\n", encoding="utf-8")
    return Roster.load(path)


def test_pseudonyms_replace_every_form(roster: Roster) -> None:
    anna = next(p for p in roster.people if p.last == "Müller")
    jonas = next(p for p in roster.people if p.last == "Weiß")
    text = ("Anna Müller schrieb. Annas Antwort, Müllers Heft, A. Müller, A.M., Mueller, MÜLLER, "
            "Müller, Anna; mueller-anna.pdf; Jonas' Text; Ben.")
    out = roster.pseudonymize(text)
    assert roster.find(out) == []
    for real in ("Anna", "Müller", "Mueller", "MÜLLER", "mueller", "Jonas", "Ben "):
        assert real not in out
    pf, pl = anna.pseudo_first, anna.pseudo_last
    assert out.startswith(f"{pf} {pl} schrieb.")
    assert f"{pl}, {pf}" in out and f"{pf[0]}. {pl}" in out and f"{pf[0]}.{pl[0]}." in out
    assert ("s Antwort" in out) and (f"{pl}s Heft" in out or f"{pl}' Heft" in out)
    assert jonas.pseudo_first in out
    assert roster.find(text) and "Anna Müller" in roster.find(text)


def test_pseudonyms_are_stable_and_not_real_names(tmp_path: Path, roster: Roster) -> None:
    path = tmp_path / "anders.csv"
    path.write_text("name,pseudonym\n\"Müller, Anna\",\nBen Schmidt,Max Muster\n", encoding="utf-8")
    other = Roster.load(path)
    same = {p.name: p.pseudonym for p in roster.people}
    assert {p.name: p.pseudonym for p in other.people}["Anna Müller"] == same["Anna Müller"]
    assert {p.name: p.pseudonym for p in other.people}["Ben Schmidt"] == "Max Muster"
    assert len(set(same.values())) == 3 and not set(same.values()) & set(same)


def test_roster_without_name_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("klasse\n10b\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing column name"):
        Roster.load(path)


def test_export_pseudonymizes_prompts_and_analyses(ws: Workspace, cli, tmp_path: Path) -> None:
    from annotate.sheets import attach_sheet
    from tests.export.conftest import EXAM, typed_document

    sheet = tmp_path / "s.yaml"
    sheet.write_text('tasks:\n  - label: A\n    max: 4\n    errors:\n      - quote: "Anna Müller"\n'
                     "        comment: Name gehört nicht in die Antwort\n        deduction: 1\n", encoding="utf-8")
    for i in range(10):
        typed_document(ws, f"{EXAM}/mueller-anna-{i}", f"Name: Anna Müller\nAnna Müller meint: Luthers Thesen {i}.")
        attach_sheet(ws, f"{EXAM}/mueller-anna-{i}", sheet)
    roster_csv = tmp_path / "klasse.csv"
    roster_csv.write_text("vorname;nachname\nAnna;Müller\n", encoding="utf-8")
    out = tmp_path / "t.jsonl"
    result = cli("export", "chat", out, "--pseudonymize", roster_csv, "--workspace", ws.root)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Anna" not in text and "Müller" not in text
    assert "likely-name" in result.stderr and "`Name:` line" in result.stderr  # the Name: line is still flagged
    plain = cli("export", "validate", out, "--roster", roster_csv, "--json")
    assert "from the roster" not in plain.stdout
