"""One rule for file names made from document ids: spelled out, unique, never written twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.files import FileNames, transliterate


def test_german_letters_are_spelled_out() -> None:
    assert transliterate("müller-anna") == "mueller-anna"
    assert transliterate("Möller Änne Großmann") == "Moeller_Aenne_Grossmann"
    assert transliterate("José") == "Jose"
    assert transliterate("..") == "doc"
    assert transliterate("ÿ/../x") == "y_.._x"


def test_colliding_ids_get_distinct_stable_names() -> None:
    names = FileNames()
    assert names.name("LK/müller-anna") == "LK_mueller-anna"
    assert names.name("LK/mueller-anna") == "LK_mueller-anna-2"
    assert names.name("LK/MUELLER-anna") == "LK_MUELLER-anna-3"  # case-insensitive file systems
    assert names.name("LK/müller-anna") == "LK_mueller-anna"
    assert FileNames(sep="/").name("LK/möller-anna") == "LK/moeller-anna"


def test_a_path_is_claimed_once_per_run(tmp_path: Path) -> None:
    names = FileNames()
    names.claim(tmp_path / "a.txt")
    with pytest.raises(FileExistsError, match="already written in this run"):
        names.claim(tmp_path / "x" / ".." / "a.txt")
