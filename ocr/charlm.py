"""A character n-gram language model (interpolated Witten-Bell), small enough to build per exam.

Why characters, not words: pupils' answers are full of words no list has (compounds, names,
misspellings that must stay misspelt), and a character model still knows which letter sequences
a language makes. Witten-Bell needs no tuning and copes with the few thousand words an exam's
confirmed lines give.

The model is case-blind (it counts lower-cased text): the general text comes from a word-frequency
list, which has no capitals, and case is the recogniser's strength anyway. :func:`case_logprob`
adds one rule on case instead: a capital inside a word after a small letter is unlikely.

Probabilities are computed per context on first use and cached (a page asks for the same few
thousand contexts again and again); :class:`Mixture` interpolates a general and an in-domain model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

#: Probability of a capital letter inside a word right after a small letter (``GeSchichte``).
CAPITAL_INSIDE = 0.02
#: Probability of a capital after a capital inside a word (abbreviations, words in capitals).
CAPITAL_AFTER_CAPITAL = 0.3


class CharLM:
    """Interpolated Witten-Bell character n-gram model over a fixed lower-case alphabet."""

    def __init__(self, lines: Iterable[str], alphabet: str, order: int = 6) -> None:
        self.order = order
        self.alphabet = "".join(dict.fromkeys(alphabet.lower()))
        self.index = {c: i for i, c in enumerate(self.alphabet)}
        counts: list[Counter] = [Counter() for _ in range(order)]
        chars = 0
        for line in lines:
            text = " " + " ".join(line.lower().split()) + " "
            text = "".join(c for c in text if c in self.index)
            chars += len(text)
            for k in range(1, order + 1):
                counts[k - 1].update(text[i:i + k] for i in range(len(text) - k + 1))
        self.chars = chars
        #: per context length: context -> (slice start, slice end, total count, distinct followers);
        #: the slices index :attr:`_follow` (character indices) and :attr:`_count` (their counts)
        self._tables: list[dict[str, tuple[int, int, float, int]]] = []
        follow: list[int] = []
        count: list[int] = []
        for k in range(order):
            grouped: dict[str, list[tuple[int, int]]] = {}
            for gram, n in counts[k].items():
                grouped.setdefault(gram[:-1], []).append((self.index[gram[-1]], n))
            table = {}
            for ctx, pairs in grouped.items():
                start = len(follow)
                follow.extend(i for i, _ in pairs)
                count.extend(n for _, n in pairs)
                table[ctx] = (start, len(follow), float(sum(n for _, n in pairs)), len(pairs))
            self._tables.append(table)
        self._follow = np.array(follow, dtype=np.int32)
        self._count = np.array(count, dtype=np.float64)
        self._cache: dict[str, np.ndarray] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}}

    def probs(self, context: str) -> np.ndarray:
        """P(next character | the last ``order - 1`` characters of ``context``), over :attr:`alphabet`."""
        context = context[-(self.order - 1):].lower() if self.order > 1 else ""
        cached = self._cache.get(context)
        if cached is not None:
            return cached
        if context:
            lower = self.probs(context[1:])
        else:
            lower = np.full(len(self.alphabet), 1.0 / len(self.alphabet))
        entry = self._tables[len(context)].get(context)
        if entry is None:
            out = lower
        else:
            start, end, total, types = entry
            out = lower * (types / (total + types))
            out[self._follow[start:end]] += self._count[start:end] / (total + types)
        self._cache[context] = out
        return out


class Mixture:
    """``weight`` × in-domain model + (1 − ``weight``) × general model, per context (cached)."""

    def __init__(self, general: CharLM, domain: CharLM, weight: float) -> None:
        if general.alphabet != domain.alphabet:
            raise ValueError("the two models must share one alphabet")
        self.general, self.domain, self.weight = general, domain, weight
        self.alphabet, self.index, self.order = general.alphabet, general.index, max(general.order, domain.order)
        self._cache: dict[str, np.ndarray] = {}

    def probs(self, context: str) -> np.ndarray:
        context = context[-(self.order - 1):].lower()
        cached = self._cache.get(context)
        if cached is None:
            cached = self.weight * self.domain.probs(context) + (1 - self.weight) * self.general.probs(context)
            self._cache[context] = cached
        return cached


def case_logprob(char: str, previous: str) -> float:
    """log P(the case of ``char`` | the character before it): no opinion at a word's start."""
    if not char.isalpha() or char.lower() == char.upper() or not previous.isalpha():
        return 0.0
    p_upper = CAPITAL_AFTER_CAPITAL if previous.isupper() else CAPITAL_INSIDE
    return math.log(p_upper if char.isupper() else 1 - p_upper)
