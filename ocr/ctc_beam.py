"""CTC prefix beam search guided by a character language model and a word list.

Greedy CTC decoding takes the likeliest class at every step, letter by letter; where the
recogniser hesitates between ``i`` and ``l`` it cannot ask which word would make sense. The beam
search keeps the ``beam`` best prefixes and scores each as

    log P_ctc + alpha · log P_charLM + beta · (letters and spaces emitted) − gamma · (finished
    words in neither the word list nor the exam's text; numbers exempt)

``beta`` rewards each emitted letter, or the model would drop letters to please the language
model (not a space right after a word's hyphen, where the reward only splits a hyphenated word).
Digits and signs are left to the recogniser (no language model, no reward): a margin's
``-1`` is no word of any language. Every emitted character keeps its time step and probability (word boxes and confidences),
and the final beams give each word of the best reading its *agreement*: the posterior share of
beams that read the same word at the same place (N-best agreement, a confidence for flags).
"""

from __future__ import annotations

import math
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ocr.charlm import case_logprob

#: What the decoder may emit: Latin letters, German letters, digits, punctuation a pupil writes.
LATIN = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßéèàâêôçëïÉ0123456789"
         " .,;:!?'\"-()/&%§„“”‚‘’–+=*")
EDGE = ".,;:!?'\"()„“”‚‘’–-"


@dataclass(frozen=True)
class BeamParams:
    """The search's knobs; defaults chosen by page-wise cross-validation (BENCHMARKS.md)."""

    beam: int = 16
    top_k: int = 8
    min_prob: float = 1e-3
    alpha: float = 0.45  #: weight of the character model
    beta: float = 2.0  #: reward per emitted character
    gamma: float = 1.5  #: penalty per finished word in neither the word list nor the exam's text


@dataclass
class Char:
    char: str
    step: int  #: time step where the recogniser emitted it
    prob: float


@dataclass
class DecodedWord:
    text: str
    first: int  #: index of its first character in :attr:`Decoded.chars`
    last: int
    prob: float  #: its least sure character's probability
    agreement: float  #: posterior share of the final beams that read this word here
    known: bool  #: in the word list or the exam's text (or a number / punctuation)


@dataclass
class Decoded:
    text: str
    chars: list[Char]
    words: list[DecodedWord] = field(default_factory=list)


def restrict(scores: np.ndarray, classes: list[str], allowed: str = LATIN,
             lookalikes: Mapping[str, str] | None = None) -> tuple[np.ndarray, list[str]]:
    """Keep the blank and the ``allowed`` characters' columns, renormalised: (steps × kept) probs.
    A character of ``lookalikes`` (``{"ß": "Bβ"}``) first gets the best score of the characters the
    reader writes for it, so that the language model can choose it where the reader cannot."""
    keep = [0] + [i for i, c in enumerate(classes) if i and c in allowed]
    probs = scores[:, keep].astype(np.float64)
    if lookalikes:
        lent = "".join(lookalikes.values())
        column = {c: i for i, c in enumerate(classes) if i and c in lent}
        kept = {classes[i]: j for j, i in enumerate(keep) if j}
        for char, others in lookalikes.items():
            sources = [column[c] for c in others if c in column]
            if char in kept and sources:
                probs[:, kept[char]] = np.maximum(probs[:, kept[char]], scores[:, sources].max(axis=1))
    probs /= np.maximum(probs.sum(axis=1, keepdims=True), 1e-30)
    return probs, [classes[i] for i in keep]


def _lse(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


class Words(Protocol):
    """A lexicon: the words it holds (lower case), and how doubtful a word it does not hold is."""

    def __contains__(self, word: object) -> bool: ...

    def doubt(self, word: str) -> float: ...


def doubt(word: str, lexicon: Container[str] | Words | None) -> float:
    """How far a word is from known: 0 when it is in the lexicon (case-blind, edge punctuation
    stripped), holds a digit, or is no word at all (punctuation), or when there is no lexicon; 1
    when it is unknown; a :class:`Words` lexicon may say less (a compound of known words)."""
    core = word.strip(EDGE)
    if lexicon is None or not core or any(c.isdigit() for c in core) or not any(c.isalpha() for c in core):
        return 0.0
    core = core.lower()
    if core in lexicon or all(part in lexicon for part in core.split("-") if part):
        return 0.0
    return lexicon.doubt(core) if hasattr(lexicon, "doubt") else 1.0


def is_known(word: str, lexicon: Container[str] | Words | None) -> bool:
    """A word is known when the lexicon does not doubt it fully (see :func:`doubt`)."""
    return doubt(word, lexicon) < 1.0


class _Prefix:
    __slots__ = ("text", "chars", "lm")

    def __init__(self, text: str, chars: tuple, lm: float) -> None:
        self.text, self.chars, self.lm = text, chars, lm


def beam_search(probs: np.ndarray, classes: list[str], lm=None, lexicon: Container[str] | Words | None = None,
                params: BeamParams = BeamParams()) -> Decoded:
    """The best reading of one line's (steps × classes) probabilities; class 0 is the blank."""
    steps = probs.shape[0]
    log_probs = np.log(np.maximum(probs, 1e-30))
    lm_index = np.array([lm.index.get(c.lower(), -1) if lm is not None else -1 for c in classes])
    root = _Prefix("", (), 0.0)
    prefixes = {"": root}
    beams: dict[str, tuple[float, float]] = {"": (0.0, -math.inf)}  # prefix -> (log P ending in blank, not)

    def extend(parent: _Prefix, k: int, t: int) -> _Prefix:
        text = parent.text + classes[k]
        known = prefixes.get(text)
        if known is not None:
            return known
        char = classes[k]
        previous = parent.text[-1:] or " "
        score = parent.lm
        if char.isalpha() or char == " ":  # digits and signs are the recogniser's call ("-1" in a margin)
            score += 0.0 if char == " " and _hyphenated(parent.text) else params.beta
            if lm is not None and lm_index[k] >= 0:
                score += params.alpha * (math.log(lm.probs(parent.text)[lm_index[k]]) + case_logprob(char, previous))
        if char == " " and previous != " ":
            score -= params.gamma * doubt(parent.text.rsplit(" ", 1)[-1], lexicon)
        made = _Prefix(text, parent.chars + (Char(char, t, float(probs[t, k])),), score)
        prefixes[text] = made
        return made

    for t in range(steps):
        row = log_probs[t]
        order = np.argsort(row)[::-1][: params.top_k + 1]
        candidates = [k for k in order if k != 0 and probs[t, k] >= params.min_prob][: params.top_k]
        blank = row[0]
        following: dict[str, list[float]] = {}
        for text, (pb, pnb) in beams.items():
            total = _lse(pb, pnb)
            slot = following.setdefault(text, [-math.inf, -math.inf])
            slot[0] = _lse(slot[0], total + blank)
            parent = prefixes[text]
            last = text[-1:] if text else None
            for k in candidates:
                char = classes[k]
                if char == last:
                    slot[1] = _lse(slot[1], pnb + row[k])
                    _peak(parent, t, probs[t, k])
                    if pb == -math.inf:
                        continue
                    source = pb
                elif char == " " and (not text or last == " "):
                    slot[1] = _lse(slot[1], total + row[k])  # no leading or double spaces
                    continue
                else:
                    source = total
                child = extend(parent, k, t)
                _peak(child, t, probs[t, k])
                child_slot = following.setdefault(child.text, [-math.inf, -math.inf])
                child_slot[1] = _lse(child_slot[1], source + row[k])
        ranked = sorted(following.items(), key=lambda item: _lse(*item[1]) + prefixes[item[0]].lm, reverse=True)
        beams = {text: (pb, pnb) for text, (pb, pnb) in ranked[: params.beam]}

    finals = []
    for text, (pb, pnb) in beams.items():
        stripped = text.rstrip(" ")
        last_word = stripped.rsplit(" ", 1)[-1] if stripped else ""
        penalty = 0.0 if not last_word or text.endswith(" ") else params.gamma * doubt(last_word, lexicon)
        finals.append((_lse(pb, pnb) + prefixes[text].lm - penalty, prefixes[text]))
    finals.sort(key=lambda item: item[0], reverse=True)
    return _with_words(finals, lexicon)


def _hyphenated(text: str) -> bool:
    """The text ends in a hyphen joined to a word (``Hitler-``): a space there gets no reward, or the
    search splits hyphenated words the reader wrote whole (``Gülitz- Reetz``; on 1,194 German
    handwritten names 69 such spaces, 37 without the reward, against 1 in the names)."""
    return len(text) > 1 and text[-1] == "-" and text[-2].isalpha()


def _peak(prefix: _Prefix, step: int, prob: float) -> None:
    """A character sits where the recogniser is surest of it (its box and its confidence)."""
    last = prefix.chars[-1] if prefix.chars else None
    if last is not None and prob > last.prob:
        last.step, last.prob = step, float(prob)


def _spans(prefix: _Prefix) -> list[tuple[int, int]]:
    """(first, last) character index of each word of a prefix."""
    spans, start = [], None
    for i, ch in enumerate(prefix.chars):
        if ch.char == " ":
            if start is not None:
                spans.append((start, i - 1))
            start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(prefix.chars) - 1))
    return spans


def _with_words(finals: list[tuple[float, _Prefix]], lexicon: Container[str] | Words | None) -> Decoded:
    """The best prefix as a reading, each word with its N-best agreement."""
    best = finals[0][1]
    top = finals[0][0]
    weights = [math.exp(score - top) for score, _ in finals]
    norm = sum(weights)
    others = []  # per beam: {(word text) : [(first step, last step)]}
    for _, prefix in finals:
        placed: dict[str, list[tuple[int, int]]] = {}
        for a, b in _spans(prefix):
            word = "".join(c.char for c in prefix.chars[a:b + 1])
            placed.setdefault(word, []).append((prefix.chars[a].step, prefix.chars[b].step))
        others.append(placed)
    words = []
    for a, b in _spans(best):
        text = "".join(c.char for c in best.chars[a:b + 1])
        lo, hi = best.chars[a].step, best.chars[b].step
        agree = sum(w for w, placed in zip(weights, others)
                    if any(s <= hi and lo <= e for s, e in placed.get(text, ())))
        words.append(DecodedWord(text, a, b, min(c.prob for c in best.chars[a:b + 1]), agree / norm,
                                 is_known(text, lexicon)))
    return Decoded(best.text.strip(" "), list(best.chars), words)
