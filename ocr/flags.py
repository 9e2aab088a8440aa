"""Which read words a person should look at: low confidence, or not plausibly a word.

Engines report a confidence, but Tesseract on handwriting is often confidently wrong, so words
are also checked for shape: letters mixed with digits (``Re1igion``), characters no pupil
writes (``|``, ``~``), case changes inside a word (``GeSchichte``), runs of one letter, long words
without a vowel, stray single letters. A user word list, where given, flags everything else.
The checks are cheap and engine-independent (a handwriting engine reuses them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

EDGE_PUNCT = ".,;:!?\"'()[]{}«»„“”‚‘’`-–—…"
OK_ALONE = {"-", "–", "—", ",", ".", ":", ";", "!", "?", "...", "…", "„", "“", "”", "(", ")", "/", "&", "§", "%"}
OK_SINGLE = {"a", "A", "I", "o", "O", "e"}
ALLOWED = re.compile(r"^[\wÄÖÜäöüßÀ-ÿ.\-/'’&%§]+$")
NUMBERISH = re.compile(r"^(\d+[a-zA-Z]?|\d+([./,:-]\d+)*|[a-zA-Z]\d|\d+(er|te|ten|tes|ter|s|\.))$")
VOWELS = set("aeiouyäöüAEIOUYÄÖÜ")


def load_word_list(path: Path) -> frozenset[str]:
    """One word per line (UTF-8), compared case-insensitively."""
    return frozenset(w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines() if w.strip())


def implausible(text: str, words: Iterable[str] | None = None) -> str | None:
    """Why ``text`` does not look like a correctly read word, or ``None`` when it does."""
    core = text.strip(EDGE_PUNCT)
    if not core:
        return None if text in OK_ALONE else "punctuation debris"
    if not ALLOWED.match(core):
        return "unusual characters"
    letters = sum(c.isalpha() for c in core)
    digits = sum(c.isdigit() for c in core)
    if letters and digits and not NUMBERISH.match(core):
        return "letters mixed with digits"
    if letters == 1 and len(core) == 1 and core not in OK_SINGLE and not text.endswith((")", ".")):
        return "a stray single letter"
    if re.search(r"([^\W\d_])\1\1", core):
        return "a letter repeated three times"
    if re.search(r"[a-zäöüß][A-ZÄÖÜ]", core) and not core.isupper():
        return "a capital inside the word"
    if letters >= 5 and not (set(core) & VOWELS):
        return "no vowel"
    if words is not None and letters >= 2 and digits == 0:
        if core.casefold() not in words and not any(part.casefold() in words for part in core.split("-") if part):
            return "not in the word list"
    return None


def should_flag(text: str, conf: float, flag_below: float, words: Iterable[str] | None = None) -> bool:
    """True where review is advised: confidence under ``flag_below`` or an implausible word."""
    return (0 <= conf < flag_below) or implausible(text, words) is not None
