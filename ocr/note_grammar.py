"""The forms a teacher's red notes take, as a small automaton a CTC search can walk.

Teachers write few things in the margin: scores (``3/5``, ``6,5/8``, ``14/20``), deductions
(``-1``, ``-0,5``, ``+1``), grades (``2-``, ``Note 3``, ``11 P.``, ``gut``), short words (``R``,
``Gr``, ``A``, ``Z``, ``?``, ``falsch``, ``Bezug?``) and ticks. A general line reader has no idea
it is looking at one of these and reads ``3/5`` as ``315`` (the slash looks like a 1) or as one
Chinese character. Searched through this automaton, its scores can only spell a note form.

The automaton is built from a handful of combinators (Thompson's construction, then the empty
moves are folded away), so the grammar reads like the list above. Every accepting state carries
the *kind* of note it ends (``score``, ``deduction``, ``grade``, ``word``, ``tick``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

#: A fragment of the automaton under construction: (start, end) states in a :class:`_Builder`.
Fragment = tuple[int, int]


@dataclass
class Automaton:
    """States 0..n-1; ``moves[state][char]`` the next states; ``finals[state]`` the note's kind."""

    start: int
    moves: list[dict[str, frozenset[int]]]
    finals: dict[int, str]

    @property
    def alphabet(self) -> frozenset[str]:
        return frozenset(c for table in self.moves for c in table)

    def accepts(self, text: str) -> str | None:
        """The kind of note ``text`` is, or None when the grammar cannot spell it."""
        states = {self.start}
        for char in text:
            states = {n for s in states for n in self.moves[s].get(char, ())}
        kinds = [self.finals[s] for s in states if s in self.finals]
        return min(kinds) if kinds else None


@dataclass
class _Builder:
    moves: list[dict[str, set[int]]] = field(default_factory=list)
    empty: list[set[int]] = field(default_factory=list)

    def state(self) -> int:
        self.moves.append({})
        self.empty.append(set())
        return len(self.moves) - 1

    def chars(self, chars: str) -> Fragment:
        a, b = self.state(), self.state()
        for c in chars:
            self.moves[a].setdefault(c, set()).add(b)
        return a, b

    def seq(self, *parts: Fragment) -> Fragment:
        for (_, end), (start, _) in pairwise(parts):
            self.empty[end].add(start)
        return parts[0][0], parts[-1][1]

    def lit(self, text: str) -> Fragment:
        return self.seq(*(self.chars(c) for c in text))

    def alt(self, *parts: Fragment) -> Fragment:
        a, b = self.state(), self.state()
        for start, end in parts:
            self.empty[a].add(start)
            self.empty[end].add(b)
        return a, b

    def opt(self, part: Fragment) -> Fragment:
        self.empty[part[0]].add(part[1])
        return part

    def plus(self, part: Fragment) -> Fragment:
        self.empty[part[1]].add(part[0])
        return part

    def build(self, kinds: dict[str, Fragment]) -> Automaton:
        """One automaton accepting every kind's language, without empty moves."""
        start = self.state()
        ends = {}
        for kind, (a, b) in kinds.items():
            self.empty[start].add(a)
            ends[b] = kind
        closure = [self._closure(s) for s in range(len(self.moves))]
        moves = []
        for s in range(len(self.moves)):
            table: dict[str, set[int]] = {}
            for r in closure[s]:
                for c, targets in self.moves[r].items():
                    table.setdefault(c, set()).update(targets)
            moves.append({c: frozenset(t) for c, t in table.items()})
        finals = {}
        for s in range(len(self.moves)):
            found = sorted(ends[r] for r in closure[s] if r in ends)
            if found:
                finals[s] = found[0]
        return Automaton(start=start, moves=moves, finals=finals)

    def _closure(self, state: int) -> set[int]:
        seen, todo = {state}, [state]
        while todo:
            for nxt in self.empty[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


DIGITS = "0123456789"
#: Short words and abbreviations teachers write in the margin (R: Rechtschreibung, Gr: Grammatik,
#: A: Ausdruck, Z: Zeichensetzung, T: Tempus, W: Wortwahl, Sb: Satzbau, Bz: Bezug).
WORDS = ("R", "Gr", "A", "Z", "T", "W", "Sb", "St", "Bz", "?", "!", "?!", "falsch", "ungenau", "Bezug?", "Beleg?",
         "unklar", "fehlt", "Wdh", "Wh")
GRADE_WORDS = ("sehr gut", "gut", "befriedigend", "ausreichend", "mangelhaft", "ungenügend")
#: What a reader makes of a hand-drawn tick.
TICKS = "✓√vV"


def teacher_notes() -> Automaton:
    """The grammar of teacher notes (module docstring)."""
    g = _Builder()

    def whole() -> Fragment:  # 0 or 1..99
        return g.alt(g.chars("0"), g.seq(g.chars("123456789"), g.opt(g.chars(DIGITS))))

    def number() -> Fragment:  # whole points or halves: 6  6,5  6.5
        return g.seq(whole(), g.opt(g.seq(g.chars(",."), g.chars("05"))))

    def grade() -> Fragment:  # 1..6 with + or -
        return g.seq(g.chars("123456"), g.opt(g.chars("+-")))

    score = g.seq(number(), g.opt(g.chars(" ")), g.chars("/"), g.opt(g.chars(" ")), whole(),
                  g.opt(g.seq(g.opt(g.chars(" ")), g.chars("P"), g.opt(g.chars(".")))))
    deduction = g.seq(g.chars("-+"), g.opt(g.chars(" ")), number(), g.opt(g.seq(g.opt(g.chars(" ")), g.chars("P"))))
    grades = g.alt(grade(), g.seq(g.lit("Note"), g.opt(g.chars(":")), g.opt(g.chars(" ")), grade()),
                   g.seq(whole(), g.opt(g.chars(" ")), g.lit("P"), g.opt(g.chars("."))),
                   *(g.lit(w) for w in GRADE_WORDS))
    words = g.alt(*(g.lit(w) for w in WORDS))
    tick = g.chars(TICKS)
    return g.build({"score": score, "deduction": deduction, "grade": grades, "word": words, "tick": tick})


#: Any short run of Latin letters: what a note that is no formula is read as instead.
LETTERS = "abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"


def free_words() -> Automaton:
    """Letters (with a few marks between), the rival of :func:`teacher_notes` for notes in words."""
    g = _Builder()
    def word() -> Fragment:
        return g.plus(g.chars(LETTERS + ".-?!:"))

    return g.build({"text": g.seq(word(), g.opt(g.plus(g.seq(g.chars(" "), word()))))})
