"""The one way a pydantic validation error becomes a line a person reads.

Configuration, plugin options, analysis sheets and grade scales are all checked by pydantic; each
names the failing key its own way (``ocr.lang``, "Aufgabe 1, Fehler 2"), but what went wrong is
said the same everywhere: the first problem, its reason in plain words, and how many more.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """The first problem of a validation error: where (pydantic's ``loc``), why, and how many more."""

    loc: tuple[str | int, ...]
    reason: str
    kind: str
    more: int

    def suffix(self) -> str:
        return f" (and {self.more} more problem{'s' if self.more > 1 else ''})" if self.more else ""


def first_problem(exc: ValidationError, *, unknown: str = "no such key") -> Problem:
    """The first of ``exc``'s problems, with pydantic's wording made plain (``unknown`` for a key the model lacks)."""
    problems = exc.errors()
    first = problems[0]
    reason = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        reason = unknown
    elif first["type"] == "missing":
        reason = "is required"
    return Problem(tuple(first["loc"]), reason, first["type"], len(problems) - 1)
