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
from collections.abc import Iterable

import numpy as np

#: Contexts whose probabilities are kept (about 40 MiB); past that the cache starts afresh, so a
#: worker reading thousands of pages does not grow without end.
CACHE_LIMIT = 100_000
#: Probability of a capital letter inside a word right after a small letter (``GeSchichte``).
CAPITAL_INSIDE = 0.02
#: Probability of a capital after a capital inside a word (abbreviations, words in capitals).
CAPITAL_AFTER_CAPITAL = 0.3


class CharLM:
    """Interpolated Witten-Bell character n-gram model over a fixed lower-case alphabet."""

    #: Changes when the stored form changes (cached models of another form are rebuilt).
    FORMAT = 2

    def __init__(self, lines: Iterable[str], alphabet: str, order: int = 6) -> None:
        self.order = order
        self.alphabet = "".join(dict.fromkeys(alphabet.lower()))
        self.index = {c: i for i, c in enumerate(self.alphabet)}
        size = len(self.alphabet)
        text = " " + " ".join(w for line in lines for w in line.lower().split()) + " "
        codes = np.array([self.index[c] for c in text if c in self.index], dtype=np.int64)
        self.chars = len(codes)
        #: per context length: context code -> (slice start, slice end, total count, distinct
        #: followers); the slices index :attr:`_follow` (character indices) and :attr:`_count`
        self._tables: list[dict[int, tuple[int, int, float, int]]] = []
        follow, count, offset = [], [], 0
        for k in range(1, order + 1):  # n-grams of length k as numbers in base ``size``, counted by numpy
            n = len(codes) - k + 1
            if n <= 0:
                self._tables.append({})
                continue
            grams = codes[:n].copy()
            for j in range(1, k):
                grams = grams * size + codes[j:j + n]
            grams, counts = np.unique(grams, return_counts=True)
            contexts, firsts = np.unique(grams // size, return_index=True)
            ends = np.append(firsts[1:], len(grams))
            totals = np.add.reduceat(counts, firsts)
            self._tables.append({int(c): (offset + int(a), offset + int(b), float(t), int(b - a))
                                 for c, a, b, t in zip(contexts, firsts, ends, totals)})
            follow.append(grams % size)
            count.append(counts)
            offset += len(grams)
        self._follow = np.concatenate(follow).astype(np.int32) if follow else np.zeros(0, dtype=np.int32)
        self._count = np.concatenate(count).astype(np.float64) if count else np.zeros(0)
        self._cache: dict[str, np.ndarray] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}}

    def probs(self, context: str) -> np.ndarray:
        """P(next character | the last ``order - 1`` characters of ``context``), over :attr:`alphabet`;
        a character outside the alphabet ends the context."""
        context = context[-(self.order - 1):].lower() if self.order > 1 else ""
        cached = self._cache.get(context)
        if cached is not None:
            return cached
        if context:
            lower = self.probs(context[1:])
        else:
            lower = np.full(len(self.alphabet), 1.0 / len(self.alphabet))
        code = 0
        for c in context:
            i = self.index.get(c)
            if i is None:
                _remember(self._cache, context, lower)
                return lower
            code = code * len(self.alphabet) + i
        entry = self._tables[len(context)].get(code)
        if entry is None:
            out = lower
        else:
            start, end, total, types = entry
            out = lower * (types / (total + types))
            out[self._follow[start:end]] += self._count[start:end] / (total + types)
        _remember(self._cache, context, out)
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
            _remember(self._cache, context, cached)
        return cached


def _remember(cache: dict[str, np.ndarray], context: str, probs: np.ndarray) -> None:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    cache[context] = probs


def case_logprob(char: str, previous: str) -> float:
    """log P(the case of ``char`` | the character before it): no opinion at a word's start."""
    if not char.isalpha() or char.lower() == char.upper() or not previous.isalpha():
        return 0.0
    p_upper = CAPITAL_AFTER_CAPITAL if previous.isupper() else CAPITAL_INSIDE
    return math.log(p_upper if char.isupper() else 1 - p_upper)
