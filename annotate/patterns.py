"""The written forms of a Fehleranalyse that :mod:`annotate.parse` recognises, as patterns.

Teachers write the same thing many ways (``13/14`` or ``13 von 14``, ``(-1Punkt)`` or ``[-0,5
Punkte]``, ``Insgesamt: 18 von 22 Punkten``); ``tests/annotate/data`` holds what was seen. Kept
apart from the parser's steps so the vocabulary can be read (and extended) in one place.
"""

from __future__ import annotations

import re

NUM = r"\d+(?:[.,]\d+)?"
UNIT = r"(?:Punkt\w*|Pkt\.?|P\.|P\b|BE\b|NP\b)"
OF = r"(?:von|/|aus|of)"
POINTS_BRACKET = re.compile(rf"[\(\[]\s*(?P<p>{NUM})\s*{OF}\s*(?P<m>{NUM})\s*{UNIT}?\s*[\)\]]\s*:?", re.I)
HEADING = re.compile(rf"^(?P<label>[^\-–•*\s\"„“].*?)\s*{POINTS_BRACKET.pattern}\s*$", re.I)
#: ``Aufgabe 3 (2 von 2 Punkte: -Alles richtig!``: a heading whose bracket was never closed.
UNCLOSED_HEADING = re.compile(
    rf"^(?P<label>[^\-–•*\s\"„“].*?)\s*[\(\[]\s*(?P<p>{NUM})\s*{OF}\s*(?P<m>{NUM})\s*{UNIT}?\s*:?(?P<rest>[^)\]]*)$", re.I)
COLON_ITEM = re.compile(rf"^(?P<label>[^\-–•*\s\"„“:][^:]*?)\s*:\s*(?P<p>{NUM})\s*{OF}\s*(?P<m>{NUM})\s*{UNIT}?\s*:?\s*$", re.I)
LOOSE_COLON_ITEM = re.compile(rf"(?P<label>[A-ZÄÖÜ][\wäöüß]*)\s*:\s*{NUM}\s*{OF}\s*{NUM}\s*{UNIT}", re.I)
TASK_WORD = re.compile(r"^(?:Teil)?(?:Aufgabe|Nr\.?|Frage|Paar)\b", re.I)
BULLET = re.compile(r"^[-–•*]\s*")
TRAILING_BRACKET = re.compile(r"[\(\[](?P<inner>[^()\[\]]*)[\)\]]\s*[.!]?\s*$")
TRAILING_BARE = re.compile(rf"\s[-–−]\s?(?P<n>{NUM})\s*{UNIT}\s*$", re.I)
ZERO = re.compile(
    rf"^(?:kein(?:e|en)?\s*Punkt\w*\s*(?:abzug|abgezogen)|kein(?:en)?\s*(?:Punkt)?abzug|ohne\s*(?:Punkt)?abzug"
    rf"|[-–−]?\s*0\s*{UNIT}?(?:\s*Abzug)?)$",
    re.I,
)
NO_NUMBER = re.compile(r"^kein(?:e|en)?\s*Punkt\w*\s*(?:erhalten|vergeben|bekommen)$", re.I)
DEDUCTION = re.compile(
    rf"^(?:(?:Punkt)?abzug\s*:?\s*)?(?:[-–−]\s*(?P<a>{NUM})\s*{UNIT}?|(?P<b>{NUM})\s*{UNIT})"
    rf"\s*(?:Abzug|abgezogen|nicht\s+erhalten|weniger)?$",
    re.I,
)
SUMMARY_START = re.compile(r"\b(?:Insgesamt|Gesamt(?:ergebnis|punktzahl|bewertung)?)\b\s*:?", re.I)
SUMMARY_POINTS = re.compile(rf"(?P<p>{NUM})\s*{OF}\s*(?P<m>{NUM})", re.I)
SUMMARY_FALLBACK = re.compile(rf"(?:^|\n)[ \t]*Punkte\s*:\s*{NUM}\s*{OF}\s*{NUM}", re.I)
PERCENT = re.compile(rf"(?P<v>{NUM})\s*(?:%|Prozent)", re.I)
GRADE = re.compile(r"Note\w*\s*:?\s*(?P<g>\d{1,2}\s*(?:NP|Notenpunkte)\b|[0-6](?![\d,.]\d|\d)(?:\s?[+-](?!\w))?|sehr gut|gut|befriedigend|ausreichend|mangelhaft|ungenügend|\S+)", re.I)
OPEN_QUOTES = '"„“”»'
CLOSE_QUOTES = '"“”«'
# A new item may start after these (a one-line text has no other separators).
LOOSE_BOUNDARY = re.compile(r"(?:[:!?\"”“]|[)\]]|(?<=[a-zäöüß]{4})\.)\s+")
LOOSE_DASH = re.compile(r"(?<=[:.!?)\]\"”“])\s+[-–•]\s")
STRICT_DASH = re.compile(r"(?<=[)\]])\s*:?\s+[-–•]\s")
# Where a one-line text may be cut, and a bracket anywhere in a segment.
MAYBE_CUT = re.compile(rf"{OF}\s*{NUM}|[)\]]\s*:?\s+[-–•]\s", re.I)
TRAILING_BRACKET_ANY = re.compile(r"[\(\[](?P<inner>[^()\[\]]*)[\)\]]")
