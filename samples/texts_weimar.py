"""LK-Weimar-2024: the Weimar Republic in the crisis year 1923.

Invented sources, students and answers; see texts.py for the conventions.
"""

from __future__ import annotations

from model import Error as E
from model import Exam, Section, Student, TaskDef

WEIMAR_SHEET = """\
Leistungskurs Geschichte Q2 - 1. Klausur - 14.11.2024
Thema: Die Weimarer Republik im Krisenjahr 1923

Material M1: Wechselkurs der Mark gegenüber dem US-Dollar (Monatsmitte, gerundet)
Januar 1923: 1 Dollar = 18.000 Mark
Juli 1923: 1 Dollar = 350.000 Mark
September 1923: 1 Dollar = 100 Millionen Mark
November 1923: 1 Dollar = 4,2 Billionen Mark

Material M2: Aus dem Tagebuch einer Berliner Verkäuferin, Oktober 1923 (fiktive Quelle, für diese Klausur verfasst)
"Heute früh kostete das Brot schon mehr als gestern Abend. Mutter ist mit dem ganzen Wochenlohn in einer Tasche zum Bäcker gelaufen. Herr Krause von nebenan sagt, die Republik sei am Ende und bald komme ein starker Mann. Ich weiß nicht, wem man noch glauben soll."

Aufgabe 1: Stellen Sie die Krisen des Jahres 1923 dar. (5 Punkte)

Aufgabe 2: Erläutern Sie unter Bezug auf M1 und M2 Ursachen und Folgen der Hyperinflation. (9 Punkte)

Aufgabe 3: Beurteilen Sie, ob die Weimarer Republik 1923 "am Abgrund" stand. (6 Punkte)
"""

WEIMAR_TASKS = (TaskDef("Aufgabe 1", 5), TaskDef("Aufgabe 2", 9), TaskDef("Aufgabe 3", 6))

BECKER = [
    Section("Aufgabe 1", "Aufgabe 1)",
            "Im Jahr 1923 hatte die Weimarer Republik mehrere Krisen gleichzeitig. Im Januar besetzten "
            "französische und belgische Truppen das Ruhrgebiet, weil Deutschland mit den Reparationen "
            "im Rückstand war. Die Regierung rief zum passiven Widerstand auf. Im Herbst gab es in "
            "Hamburg einen kommunistischen Aufstand und im November den Hitlerputsch in Berlin. "
            "Dazu kam die Hyperinflation."),
    Section("Aufgabe 2", "Aufgabe 2)",
            "Die Ursachen der Inflation liegen schon im Ersten Weltkrieg, weil der Krieg mit Anleihen "
            "und gedrucktem Geld bezahlt wurde. Nach dem Krieg kamen die Reparationen dazu. Als der "
            "passive Widerstand begann, musste der Staat die Löhne der streikenden Arbeiter bezahlen "
            "und druckte immer mehr Geld.\n\n"
            "In M1 sieht man, dass der Dollar im Januar 1923 noch 18.000 Mark kostete und im November "
            "4,2 Billionen Mark. Das Geld war also nichts mehr wert. M2 zeigt, dass die Leute ihren "
            "Lohn sofort ausgeben mussten. Besonders der Mittelstand verlor seine Ersparnisse. "
            "Gewinner waren Schuldner und Sachwertbesitzer. Die Menschen verloren das Vertrauen in "
            "die Republik, wie Herr Krause in M2."),
    Section("Aufgabe 3", "Aufgabe 3)",
            "Einerseits stand die Republik am Abgrund, weil sie von links und rechts angegriffen wurde "
            "und die Wirtschaft zusammenbrach. Andererseits hat sie die Krise überstanden. Mit der "
            "Rentenmark im November 1923 und dem Dawes-Plan 1924 wurde die Lage stabil. Deshalb stand "
            "sie zwar nah am Abgrund, ist aber nicht hineingefallen."),
]
BECKER_ERRORS = {
    "Aufgabe 1": [E("falsch! Der Putsch war in München", 1, "Hitlerputsch in Berlin", "underline")],
    "Aufgabe 2": [E("Warum war der Wert so niedrig? Zusammenhang Geldmenge - Preise erklären", 1,
                    "Das Geld war also nichts mehr wert.", "underline"),
                  E("Auf vollständige Sätze und Fachbegriffe achten", 1)],
    "Aufgabe 3": [E("Rolle von Stresemann fehlt", 1),
                  E("Urteil umgangssprachlich", 0.5, "ist aber nicht hineingefallen", "circle"),
                  E("Kriterien des Urteils nicht benannt", 1.5)],
}

RICHTER = [
    Section("Aufgabe 1", "Aufgabe 1",
            "1923 war ein Krisenjahr. Frankreich besetzte das Ruhrgebiet. Es gab eine Inflation und "
            "den Hitler-Putsch in München."),
    Section("Aufgabe 2", "Aufgabe 2",
            "Die Inflation kam daher, dass die Regierung zu viel Geld gedruckt hat. Laut M1 stieg der "
            "Dollar von 18.000 auf 4,2 Billionen Mark. In M2 sieht man, dass das Brot jeden Tag teurer "
            "wurde. Viele Menschen wurden arm. Die Inflation wurde 1925 mit der Rentenmark beendet."),
    Section("Aufgabe 3", "Aufgabe 3",
            "Ich denke die Republik stand am Abgrund, da es viele Feinde gab und keiner mehr der "
            "Regierung geglaubt hat."),
]
RICHTER_ERRORS = {
    "Aufgabe 1": [E("Zu knapp, nur aufgezählt", 2)],
    "Aufgabe 2": [E("falsch, November 1923", 1, "1925 mit der Rentenmark", "underline"),
                  E("Ursachen (Krieg, Ruhrkampf) fehlen", 2)],
    "Aufgabe 3": [E("Keine Gegenposition, Urteil unbegründet", 3, "keiner mehr der Regierung geglaubt hat",
                    "underline")],
}

FUCHS = [
    Section("Aufgabe 1", "Zu Aufgabe 1",
            "1923 besetzen Frankreich und Belgien das Ruhrgebiet, weil Deutschland nicht genug Kohle "
            "und Holz als Reparationen geliefert hat. Die Reichsregierung unter Cuno rief den passiven "
            "Widerstand aus. Es gab auch Separatisten im Rheinland und Putschversuche. Die Inflation "
            "erreichte ihren Höhepunkt."),
    Section("Aufgabe 2", "Zu Aufgabe 2",
            "Eine Ursache war, das der Krieg auf Pump finanziert wurde. Dann musste Deutschland nach "
            "dem Versailler Vertrag Reperationen zahlen. Im Ruhrkampf bezahlte der Staat die Streikenden "
            "und druckte dafür Geld.\n\n"
            "Die Folgen waren schlimm. Ersparnisse waren wertlos und viele Rentner verarmten. Laut M2 "
            "gingen die Menschen mit einer Tasche voll Geld einkaufen. Der Staat dagegen war seine "
            "Schulden los. Die Inflation war eine Vorraussetzung für den Aufstieg der NSDAP."),
    Section("Aufgabe 3", "Zu Aufgabe 3",
            "Die Republik stand 1923 am Abgrund. Es gab Angriffe von rechts und links und die Menschen "
            "hatten kein Geld. Aber Stresemann hat den Ruhrkampf beendet und die Währung "
            "stabilisiert. Die Reichswehr hat die Putsche niedergeschlagen. Deshalb hat die Republik "
            "überlebt, auch wenn viele Menschen ihr danach nicht mehr vertrauten."),
]
FUCHS_ERRORS = {
    "Aufgabe 1": [E("Tempus! Präteritum verwenden", 0, "1923 besetzen Frankreich", "underline", margin="T"),
                  E("Hamburger Aufstand und Hitlerputsch konkret nennen", 1)],
    "Aufgabe 2": [E("R: dass", 0, "das der Krieg", "circle", margin="R"),
                  E("R: Reparationen", 0, "Reperationen", "circle", margin="R"),
                  E("M1 wird gar nicht ausgewertet", 2),
                  E("R: Voraussetzung; Zusammenhang wird nicht erklärt", 1, "Vorraussetzung", "underline")],
    "Aufgabe 3": [E("Widerspruch zur Einleitung, Urteil unklar", 1,
                    "Die Republik stand 1923 am Abgrund.", "underline"),
                  E("Kriterien fehlen", 1)],
}


SCHMITT = [
    Section("Aufgabe 1", "Aufgabe 1",
            "1923 besetzten Frankreich und Belgien das Ruhrgebiet. Es folgte der passive Widerstand. "
            "Im November putschte Hitler in München."),
    Section("Aufgabe 2", "Aufgabe 2",
            "Laut M1 stieg der Dollar von 18.000 Mark auf 4,2 Millionen Mark. Die Ursache war der "
            "Versailler Vertrag. Wie in M2 mussten die Menschen ihr Geld sofort ausgeben und die "
            "Sparer verloren alles."),
    Section("Aufgabe 3", "Aufgabe 3",
            "Die Republik stand am Abgrund, aber Stresemann rettete sie mit der Rentenmark. Deshalb "
            "war es knapp."),
]
SCHMITT_ERRORS = {
    "Aufgabe 1": [E("Die Inflation als Krise fehlt", 1)],
    "Aufgabe 2": [E("falsch abgelesen: 4,2 Billionen", 1, "4,2 Millionen Mark", "underline"),
                  E("zu einseitig, Kriegsfinanzierung und Ruhrkampf fehlen", 2,
                    "Die Ursache war der Versailler Vertrag.", "underline"),
                  E("M2 (Herr Krause) nicht ausgewertet: Vertrauensverlust", 1)],
    "Aufgabe 3": [E("Ausdruck", 0, "Deshalb war es knapp.", "circle", margin="A"),
                  E("Urteil ohne Kriterien, zu knapp", 2)],
}

VOGEL = [
    Section("Aufgabe 1", "Nr. 1",
            "1923 war das Krisenjahr der Weimarer Republik. Die Franzosen marschierten ins Rheinland "
            "ein, es gab den Hitlerputsch und die Inflation."),
    Section("Aufgabe 2", "Nr. 2",
            "Die Regierung hat für den Ruhrkampf Geld gedruckt. Wie M1 zeigt wurde der Dollar immer "
            "teurer. In M2 kostet das Brot abends mehr als morgens. Die Inflazion traf vor allem die "
            "Sparer."),
    Section("Aufgabe 3", "Nr. 3",
            "Ja, denn die Republik hatte zu viele Feinde. Trotzdem hat sie überlebt."),
]
VOGEL_ERRORS = {
    "Aufgabe 1": [E("ist falsch: das Ruhrgebiet", 1, "marschierten ins Rheinland", "underline"),
                  E("Grund der Besetzung fehlt", 1)],
    "Aufgabe 2": [E("ungenau: morgens mehr als am Vorabend", 0.5, "abends mehr als morgens", "underline"),
                  E("R: Inflation", 0, "Inflazion", "circle", margin="R"),
                  E("Folgen kaum erläutert", 3)],
    "Aufgabe 3": [E("Widersprüchlich, kein abgewogenes Urteil", 2, "Trotzdem hat sie überlebt.", "underline")],
}


def exam() -> Exam:
    return Exam("LK-Weimar-2024", "DIE WEIMARER REPUBLIK - DAS KRISENJAHR 1923", "docx",
                WEIMAR_SHEET, WEIMAR_TASKS, [
                    Student("becker-noah", "Noah Becker", "pdf", "yaml", BECKER, BECKER_ERRORS,
                            font="dkg-italic", ink="blue", paper="lined"),
                    Student("richter-lea", "Lea Richter", "jpg-photo", None, RICHTER, RICHTER_ERRORS,
                            font="breip", ink="blue", paper="plain"),
                    Student("fuchs-tim", "Tim Fuchs", "images", "loose", FUCHS, FUCHS_ERRORS,
                            font="dkg", ink="black", paper="plain"),
                    Student("schmitt-anna", "Anna Schmitt", "jpg-photo", "yaml", SCHMITT, SCHMITT_ERRORS,
                            font="kristi", ink="royal", paper="lined"),
                    # the last loose sheet: the generator alternates loose styles a/b in this order
                    Student("vogel-lukas", "Lukas Vogel", "images", "loose", VOGEL, VOGEL_ERRORS,
                            font="breip", ink="royal", paper="lined"),
                ], date="14.11.2024")
