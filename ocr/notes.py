"""Reading the teacher's red notes with a CTC search constrained to the forms notes take.

The bundled line recogniser gives, for a note's crop, a (steps × classes) matrix of character
probabilities (class 0 the CTC blank). Its greedy reading of ``3/5`` is ``315``; of ``6/9`` a
Chinese character. Here the best CTC path is searched only among strings the teacher-note
grammar (:mod:`ocr.note_grammar`) can spell, so a score comes out as a score. A rival search over
plain letters keeps a note that is no formula (``Quelle?``) as the words it is: the formula wins
unless the letters explain the ink clearly better. The confidence says how much probability the
chosen path gave up against the unconstrained best path, and how sure its weakest character was.

Public: :class:`NoteReading`, :func:`decode`, :func:`read_scores`, :class:`NoteReader`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from examkit.errors import ExamkitError
from ocr.note_grammar import Automaton, free_words, teacher_notes

#: Paths kept per step of the search; the grammar is small, so this rarely prunes anything.
BEAM = 96
#: How much better (log probability per character) letters must explain a crop than the note
#: grammar before the note is kept as free text.
WORDS_MARGIN = 1.0
_FLOOR = 1e-9
#: What the reader, which has never been told it reads scores, makes of a handwritten slash.
SLASH_LOOKALIKES = "1lI|丨／"


@dataclass(frozen=True)
class NoteReading:
    """A note's text, its kind (``score``, ``deduction``, ``grade``, ``word``, ``tick``, ``text``)
    and the reading's confidence (0-100)."""

    text: str
    kind: str
    conf: float


@dataclass(frozen=True)
class _Path:
    text: str
    kind: str | None
    logp: float
    peaks: tuple[float, ...]  #: each character's highest probability over its steps


def decode(logp: np.ndarray, classes: list[str], grammar: Automaton) -> _Path:
    """The most probable CTC path through ``logp`` (steps × classes, log probabilities) whose
    collapsed text the grammar accepts (Viterbi over grammar state × last class)."""
    alphabet = grammar.alphabet
    found: dict[str, int] = {}
    for i, c in enumerate(classes):
        if i and c in alphabet:
            found.setdefault(c, i)
    columns = [0, *found.values()]
    index = {c: k + 1 for k, c in enumerate(found)}  # a character's column in the rows below
    # a search state: (grammar state, column of the last step, 0 = blank) -> (score, text, peaks)
    beam: dict[tuple[int, int], tuple[float, str, tuple[float, ...]]] = {(grammar.start, 0): (0.0, "", ())}
    for row in logp[:, columns].tolist():
        nxt: dict[tuple[int, int], tuple[float, str, tuple[float, ...]]] = {}

        def offer(key, score, text, peaks, nxt=nxt):
            if key not in nxt or score > nxt[key][0]:
                nxt[key] = (score, text, peaks)

        for (state, last), (score, text, peaks) in beam.items():
            offer((state, 0), score + row[0], text, peaks)
            if last:
                offer((state, last), score + row[last], text, peaks[:-1] + (max(peaks[-1], row[last]),))
            for char, targets in grammar.moves[state].items():
                cls = index.get(char)
                if cls is None or cls == last:
                    continue
                for target in targets:
                    offer((target, cls), score + row[cls], text + char, peaks + (row[cls],))
        beam = nxt if len(nxt) <= BEAM else dict(sorted(nxt.items(), key=lambda kv: -kv[1][0])[:BEAM])
    done = [(score, text, peaks, grammar.finals[state]) for (state, _), (score, text, peaks) in beam.items()
            if state in grammar.finals]
    if not done:
        return _Path("", None, -math.inf, ())
    score, text, peaks, kind = max(done, key=lambda d: d[0])
    return _Path(text, kind, float(score), tuple(float(p) for p in peaks))


@lru_cache(maxsize=1)
def _grammars() -> tuple[Automaton, frozenset[str]]:
    return teacher_notes(), free_words().alphabet


def letters_path(logp: np.ndarray, classes: list[str], letters: frozenset[str]) -> _Path:
    """The best path over letters alone (any sequence of them: per step the best letter or blank)."""
    allowed = np.array([0] + [i for i, c in enumerate(classes) if i and c in letters])
    sub = logp[:, allowed]
    best = sub.argmax(axis=1)
    text, peaks, last = "", [], 0
    for step, k in enumerate(best):
        if k and k != last:
            text += classes[allowed[k]]
            peaks.append(float(sub[step, k]))
        elif k and peaks:
            peaks[-1] = max(peaks[-1], float(sub[step, k]))
        last = k
    return _Path(text.strip(), "text" if text.strip() else None, float(sub.max(axis=1).sum()), tuple(peaks))


def _inked(logp: np.ndarray) -> np.ndarray:
    """The steps that may hold a character: blank-certain steps at both ends (padding) cut off."""
    busy = np.nonzero(logp[:, 0] < math.log(0.999))[0]
    if busy.size == 0:
        return logp[:1]
    return logp[max(0, busy[0] - 1) : busy[-1] + 2]


def read_scores(probs: np.ndarray, classes: list[str]) -> NoteReading:
    """A note from the recogniser's (steps × classes) probabilities (module docstring)."""
    logp = _inked(np.log(np.maximum(_slash_as_read(probs, classes).astype(np.float64), _FLOOR)))
    best_free = float(logp.max(axis=1).sum())
    notes, letters = _grammars()
    note = decode(logp, classes, notes)
    words = letters_path(logp, classes, letters)
    if note.kind is None and words.kind is None:
        return NoteReading("", "text", 0.0)
    chars = max(1, len(note.text), len(words.text))
    if note.kind is None or (words.kind is not None and words.logp - note.logp > WORDS_MARGIN * chars):
        chosen, kind = words, "text"
    else:
        chosen, kind = note, note.kind
    return NoteReading(normalise(chosen.text, kind), kind, _confidence(chosen, best_free))


def _slash_as_read(probs: np.ndarray, classes: list[str]) -> np.ndarray:
    """The slash's column raised to the best of its look-alikes at each step: where the grammar
    wants a slash, a stroke read as ``1`` is evidence for it (elsewhere ``1`` stays a ``1``)."""
    index: dict[str, int] = {}
    for i, c in enumerate(classes):
        if i:
            index.setdefault(c, i)
    slash = index.get("/")
    alike = [index[c] for c in SLASH_LOOKALIKES if c in index]
    if slash is None or not alike:
        return probs
    probs = probs.copy()
    probs[:, slash] = np.maximum(probs[:, slash], probs[:, alike].max(axis=1))
    return probs


def _confidence(path: _Path, best_free: float) -> float:
    """0-100: the weakest character's peak probability, lowered by the probability per character
    the path gave up against the unconstrained best path."""
    if not path.peaks:
        return 0.0
    weakest = math.exp(min(path.peaks))
    given_up = math.exp(min(0.0, path.logp - best_free) / len(path.peaks))
    return round(100 * weakest * given_up, 1)


def normalise(text: str, kind: str) -> str:
    """A note in one spelling: ``3 / 5`` → ``3/5``, ``6.5/8`` → ``6,5/8``, ``-1 P`` → ``-1``,
    ``14/20 P.`` → ``14/20``, ``Note: 2`` → ``Note 2``, a tick → ``✓``."""
    if kind == "tick":
        return "✓"
    if kind in ("score", "deduction"):
        return re.sub(r"\s*P\.?$", "", text).replace(" ", "").replace(".", ",")
    return re.sub(r"^Note:?\s*", "Note ", text)


@lru_cache(maxsize=1)
def _bundled_reader():
    """One session over the bundled model per process (pages of a scan share it)."""
    from ocr.learn.recogniser import LineReader, bundled_model

    return LineReader(bundled_model(), threads=1)


class NoteReader:
    """Reads note crops (dark ink on white) with the bundled recognition model. Where that model
    is not installed, ``fallback`` (the engine's own line reader) reads, and the grammar only says
    what kind of note it is; without either, notes are kept unread."""

    def __init__(self, fallback: Callable[[np.ndarray], str] | None = None) -> None:
        self.fallback = fallback

    def __call__(self, crop: np.ndarray) -> NoteReading:
        from ocr.learn.recogniser import batch_width, line_tensor

        try:
            reader = _bundled_reader()
        except (ExamkitError, ImportError):
            if self.fallback is None:  # no reader at all: the note is kept, unread
                return NoteReading("", "text", -1)
            text = " ".join(self.fallback(crop).split())
            return NoteReading(text, _grammars()[0].accepts(text) or "text", -1)
        x = line_tensor(crop, batch_width([crop]))[None]
        probs = reader.session.run(None, {reader.session.get_inputs()[0].name: x})[0][0]
        return read_scores(probs, reader.classes)
