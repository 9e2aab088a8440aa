"""Generated Fehleranalyse records for the audit and export benchmarks (deterministic with a seed).

Random German history vocabulary for the student's answer, and an analysis whose quotes are taken
from that answer, rendered canonically; the benchmarks then add their own defects.
"""

from __future__ import annotations

import random

from annotate.model import Analysis, ErrorLine, Task
from annotate.render import render

WORDS = ("Luther Thesen Ablass Papst Kaiser Reichstag Worms Bann Bauernkrieg Fürsten Konfession Augsburg "
         "Frieden Stände Reform Kirche Glaube Bibel Übersetzung Wartburg Bauern Forderungen Herrschaft "
         "der die das und nicht weil deshalb jedoch außerdem wurde hatte sollte konnte").split()


def answer_and_analysis(rng: random.Random, *, wrong_quote: bool = False) -> tuple[str, str]:
    """A 280-word answer and its canonical analysis (3–6 tasks, 0–3 errors each, quotes from the
    answer — or, with ``wrong_quote``, a quote the student never wrote)."""
    answer = " ".join(rng.choice(WORDS) for _ in range(280))
    words = answer.split()
    tasks = []
    for t in range(rng.randint(3, 6)):
        errors = []
        for _ in range(rng.randint(0, 3)):
            start = rng.randrange(len(words) - 6)
            quote = " ".join(words[start : start + rng.randint(2, 6)])
            if wrong_quote:
                quote = "Kolumbus entdeckte Amerika"
            errors.append(ErrorLine(quote=quote, comment="ist ungenau, bitte belegen!", deduction=rng.choice([0.5, 1, 2])))
        lost = sum(e.deduction for e in errors)
        tasks.append(Task(label=f"Aufgabe {t + 1}", max=lost + rng.randint(1, 8), errors=errors))
    return answer, render(Analysis(title="DIE REFORMATION - QUELLEN ANALYSIEREN", tasks=tasks), final_newline=False)
