"""Pseudonyms for student names in training data.

Tests and analyses are personal data; a file sent to a model provider should not name the
students. A roster (CSV: ``name``, or ``vorname``/``nachname``, or ``first_name``/``last_name``;
optionally ``pseudonym``) lists who may appear. Each person gets a stable, made-up name derived
from a hash of the real one (the same person is the same pseudonym in every export; an explicit
``pseudonym`` column wins), and every form a name takes in German school texts is replaced:
the full name in either order, first or last name alone, the genitive (``Annas``, ``Müllers``,
``Jonas'``), initials (``A. Müller``, ``A.M.``), umlaut spellings (``Mueller``) and file-name
slugs (``mueller-anna``). :meth:`Roster.find` reports names left over (validation warns).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from examkit.errors import InputFileError
from examkit.files import decode_text

_FIRST = ("Alex", "Kim", "Robin", "Sascha", "Jona", "Luca", "Mika", "Charlie", "Toni", "Eli", "Jule", "Maxi",
          "Niko", "Sami", "Dani", "Fritzi", "Henny", "Ira", "Kari", "Lio", "Malu", "Nele", "Ole", "Pia", "Rike",
          "Tjark", "Vero", "Wim", "Yuki", "Bo", "Enno", "Greta")
_LAST = ("Ahorn", "Birke", "Eiche", "Erle", "Esche", "Fichte", "Hasel", "Kiefer", "Linde", "Pappel", "Tanne",
         "Ulme", "Weide", "Zeder", "Buche", "Lärche", "Eibe", "Flieder", "Holunder", "Mispel", "Quitte", "Rotdorn",
         "Schlehe", "Wacholder")
_COLUMNS = {
    "name": "name", "full_name": "name", "schüler": "name", "schueler": "name",
    "vorname": "first", "first_name": "first", "firstname": "first", "first": "first",
    "nachname": "last", "last_name": "last", "lastname": "last", "surname": "last", "last": "last",
    "pseudonym": "pseudonym",
}
_GENITIVE = r"(?P<suffix>s|['’]s?)?"


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    pseudo_first: str
    pseudo_last: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()

    @property
    def pseudonym(self) -> str:
        return f"{self.pseudo_first} {self.pseudo_last}".strip()


def _ascii(name: str) -> str:
    """``Müller`` → ``Mueller``, ``Weiß`` → ``Weiss`` (how names are typed without umlauts)."""
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue"), ("ß", "ss")):
        name = name.replace(a, b)
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _split_name(full: str) -> tuple[str, str]:
    full = " ".join(full.split())
    if "," in full:
        last, first = (p.strip() for p in full.split(",", 1))
        return first, last
    parts = full.rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])


class Roster:
    """Who may appear in the texts, with a pseudonym each."""

    def __init__(self, names: list[tuple[str, str, str | None]]) -> None:
        """``names``: ``(first, last, pseudonym or None)`` per person."""
        taken = {f"{first} {last}".strip() for first, last, _ in names}
        real_parts = {p for first, last, _ in names for p in (first, last) if p}
        used: set[tuple[str, str]] = set()
        people = []
        for first, last, given in sorted(names, key=lambda n: (n[1].casefold(), n[0].casefold())):
            if given:
                pf, pl = _split_name(given)
            else:
                pf, pl = self._made_up(first, last, used, real_parts, taken)
            used.add((pf, pl))
            people.append(Person(first, last, pf, pl))
        self.people = people
        self._pattern, self._targets = self._compile()

    @staticmethod
    def _made_up(first: str, last: str, used: set, real_parts: set, taken: set) -> tuple[str, str]:
        digest = int(hashlib.sha256(f"{first} {last}".casefold().encode()).hexdigest(), 16)
        for step in range(len(_FIRST) * len(_LAST)):
            i = digest + step
            candidate = (_FIRST[i % len(_FIRST)], _LAST[(i // len(_FIRST)) % len(_LAST)])
            if candidate not in used and not (set(candidate) & real_parts) and " ".join(candidate) not in taken:
                return candidate
        raise InputFileError("roster", "more people than pseudonyms", advice="Add a pseudonym column.")

    @classmethod
    def load(cls, path: str | Path) -> Roster:
        import pandas as pd  # imported here: pandas costs a quarter second of start-up

        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputFileError(path, f"cannot read ({exc.strerror})") from exc
        text, _ = decode_text(raw)
        try:
            frame = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError) as exc:
            raise InputFileError(path, f"not a readable CSV ({exc})") from exc
        columns = {_COLUMNS[c.strip().lower()]: c for c in frame.columns if c.strip().lower() in _COLUMNS}
        if "name" not in columns and "last" not in columns:
            raise InputFileError(path, f"missing column name (or vorname/nachname); found: {', '.join(frame.columns)}",
                                 advice="The first row must name the columns, e.g. `vorname;nachname`.")
        names = []
        for row in frame.to_dict("records"):
            if "last" in columns:
                first, last = row.get(columns.get("first", ""), "").strip(), row[columns["last"]].strip()
            else:
                first, last = _split_name(row[columns["name"]])
            if last or first:
                names.append((first, last, (row.get(columns.get("pseudonym", ""), "") or "").strip() or None))
        return cls(names)

    def _compile(self) -> tuple[re.Pattern[str], dict[str, str]]:
        """One regex over every form of every name, longest forms first."""
        targets: dict[str, str] = {}

        def add(form: str, replacement: str) -> None:
            if form and form not in targets:
                targets[form] = replacement

        for p in self.people:
            for spell in (lambda s: s, _ascii):
                first, last = spell(p.first), spell(p.last)
                pf, pl = p.pseudo_first, p.pseudo_last
                if first and last:
                    add(f"{first} {last}", f"{pf} {pl}")
                    add(f"{last}, {first}", f"{pl}, {pf}")
                    add(f"{last} {first}", f"{pl} {pf}")
                    add(f"{first[0]}. {last}", f"{pf[0]}. {pl}")
                    add(f"{first[0]}.{last}", f"{pf[0]}.{pl}")
                    add(f"{first[0]}. {last[0]}.", f"{pf[0]}. {pl[0]}.")
                    add(f"{first[0]}.{last[0]}.", f"{pf[0]}.{pl[0]}.")
                    add(f"{_ascii(last).lower()}-{_ascii(first).lower()}", f"{_ascii(pl).lower()}-{_ascii(pf).lower()}")
                    add(f"{_ascii(first).lower()}-{_ascii(last).lower()}", f"{_ascii(pf).lower()}-{_ascii(pl).lower()}")
                for real, fake in ((first, pf), (last, pl)):
                    add(real, fake)
                    add(real.upper(), fake.upper())
        forms = sorted(targets, key=len, reverse=True)
        body = "|".join(re.escape(f) for f in forms) or r"(?!x)x"
        return re.compile(rf"(?<![\w])(?P<name>{body}){_GENITIVE}(?![\w])"), targets

    def pseudonymize(self, text: str) -> str:
        """``text`` with every roster name replaced by that person's pseudonym (suffixes kept)."""

        def swap(match: re.Match[str]) -> str:
            fake = self._targets[match.group("name")]
            suffix = match.group("suffix") or ""
            if suffix in ("'", "’") and not fake.endswith(("s", "x", "z", "ß")):
                suffix = "s"  # Jonas' → Mikas
            elif suffix == "s" and fake.endswith(("s", "x", "z", "ß")):
                suffix = "'"  # Annas → Jonas'
            return fake + suffix

        return self._pattern.sub(swap, text)

    def find(self, text: str) -> list[str]:
        """The roster names that occur in ``text`` (in any of the forms replaced)."""
        return sorted({m.group("name") for m in self._pattern.finditer(text)})
