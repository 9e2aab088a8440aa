"""A tiny evaluation set with hand-computed expectations (see test_scoring.py for the arithmetic)."""

REFERENCE = """Fehleranalyse:
\tA (6 von 8 Punkte):
\t\t- "Textart: Quasi (Statement)" ist falsch. Die Textart = Brief (-1 Punkt)
\t\t- "Adressat: alle Christen" ist falsch (-1 Punkt)

\tB (5 von 5 Punkte)

\tInsgesamt:
\t\tPunkte: 11 von 13, das entspricht einer Leistung von: 84%
\t\tVorgeschlagene Note: 2+ ENDSTOP"""

# same total, percent and grade; A 7 (error 1), B 4 (error 1); one of two quotes
CLOSE = """Fehleranalyse:
\tA (7 von 8 Punkte):
\t\t- "Textart: Quasi (Statement)" ist falsch (-1 Punkt)

\tB (4 von 5 Punkte):
\t\t- Ungenau (-1 Punkt)

\tInsgesamt:
\t\tPunkte: 11 von 13, das entspricht einer Leistung von: 84%
\t\tVorgeschlagene Note: 2+"""

# no summary: computed 4 of 8 = 50 % = 4+; A 4 (error 2), B missing (error 5); one of two quotes
FAR = """Fehleranalyse:
\tA (4 von 8 Punkte):
\t\t- "Adressat: alle Christen" falsch (-4 Punkte)"""

UNREADABLE = "Das kann ich leider nicht bewerten."

# n 3, parsed 2/3; total (0 + 7) / 2; percent (0 + 34) / 2; grade 1/2; tasks (1 + 1 + 2 + 5) / 4; quotes 2/4
EXPECTED = {"n": 3, "parsed_rate": 0.6667, "total_points_mae": 3.5, "percent_mae": 17.0, "grade_exact_rate": 0.5,
            "task_points_mae": 2.25, "quote_recall": 0.5}
