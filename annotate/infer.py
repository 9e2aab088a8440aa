"""``annotate check --infer-scale``: which grade thresholds did these teachers actually use?

Schools differ (a 1- from 85 % here, from 87 % there), so before trusting ``grade-mismatch`` it
helps to see the thresholds the data implies. A scale is monotone: a higher percent never earns a
worse grade. We choose, for every percent that occurs, one grade, never worse than the grade of
a lower percent, so that as many records as possible keep their stated grade (a small dynamic
program over at most 101 percents × the scale's grades). The records left over are the ones no
monotone scale explains, e.g. 86 % graded worse than 85 %.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotate.model import percent
from annotate.scales import GradeScale, get_scale

if TYPE_CHECKING:
    from annotate.audit import AuditRecord


@dataclass
class InferredRow:
    grade: str
    lowest: int  # lowest percent seen with this grade (a threshold fits in (highest below, lowest])
    highest: int
    records: int
    threshold_range: tuple[int, int] = (0, 0)


@dataclass
class InferredScale:
    rows: list[InferredRow]
    unexplained: list[tuple[str, int, int, str]] = field(default_factory=list)  # source, record, percent, grade
    ignored: int = 0  # records without a stated grade and percent, or with a grade the scale lacks

    def to_json(self) -> dict:
        return {
            "rows": [{"grade": r.grade, "min_percent": list(r.threshold_range), "seen": [r.lowest, r.highest],
                      "records": r.records} for r in self.rows],
            "unexplained": [{"source": s, "record": n, "percent": p, "grade": g} for s, n, p, g in self.unexplained],
            "ignored": self.ignored,
        }


def _percent_of(rec: AuditRecord) -> int | None:
    if rec.stated.percent is not None:
        return int(rec.stated.percent)
    if rec.stated.points is not None and rec.stated.max:
        return percent(rec.stated.points, rec.stated.max)
    return None


def infer_scale(records: list[AuditRecord], base: GradeScale | None = None) -> InferredScale:
    """The thresholds that best fit the stated grades (ordered by ``base``, default ``oberstufe``)."""
    base = base or get_scale("oberstufe")
    worst = len(base.rows) - 1
    samples: list[tuple[int, int, AuditRecord]] = []  # percent, quality (0 = worst), record
    ignored = 0
    for rec in records:
        pct = _percent_of(rec)
        rank = base.rank(rec.stated.grade) if rec.stated.grade else None
        if pct is None or rank is None:
            ignored += 1
            continue
        samples.append((pct, worst - rank, rec))
    counts = Counter((p, q) for p, q, _ in samples)
    percents = sorted({p for p, _, _ in samples})
    levels = range(worst + 1)
    # best[i][q]: records kept among percents[: i + 1] when percents[i] gets quality q
    best: list[list[int]] = []
    choice: list[list[int]] = []
    for i, pct in enumerate(percents):
        row, back = [], []
        for q in levels:
            prev_q = max(range(q + 1), key=lambda r: best[i - 1][r]) if i else q
            row.append(counts[(pct, q)] + (best[i - 1][prev_q] if i else 0))
            back.append(prev_q)
        best.append(row)
        choice.append(back)
    assigned: dict[int, int] = {}
    if percents:
        q = max(levels, key=lambda r: best[-1][r])
        for i in range(len(percents) - 1, -1, -1):
            assigned[percents[i]] = q
            q = choice[i][q]
    unexplained = [(r.source, r.record, p, r.stated.grade or "") for p, q, r in samples if assigned[p] != q]
    rows: list[InferredRow] = []
    for q in sorted(set(assigned.values()), reverse=True):
        seen = [p for p, a in assigned.items() if a == q]
        kept = sum(counts[(p, q)] for p in seen)
        rows.append(InferredRow(base.rows[worst - q].grade, min(seen), max(seen), kept))
    for i, inferred in enumerate(rows):
        below = rows[i + 1].highest + 1 if i + 1 < len(rows) else 0
        inferred.threshold_range = (below, inferred.lowest)
    return InferredScale(rows=rows, unexplained=unexplained, ignored=ignored)
