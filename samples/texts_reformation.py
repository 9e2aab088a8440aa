"""GK-Reformation-2024: the Reformation, a source analysis with sub-tasks and a Form item.

Invented sources, students and answers; see texts.py for the conventions.
"""

from __future__ import annotations

from model import Error as E
from model import Exam, Section, Student, TaskDef

REFORMATION_SHEET = """\
Grundkurs Geschichte EF - Klausur - 07.03.2024
Thema: Die Reformation

Material M1: Brief eines Wittenberger Studenten an seinen Vater, Herbst 1518 (fiktive Quelle, für diese Klausur verfasst)

"Lieber Vater, Ihr fragt nach dem Lärm, der hier um Doktor Luther gemacht wird. Er hat im vorigen Jahr Sätze gegen den Ablass veröffentlicht, und nun liest sie jeder, sogar die Bürger auf dem Markt. Er sagt, dass kein Brief des Papstes die Sünden tilgt, wenn der Mensch nicht wahrhaft bereut. Viele von uns Studenten geben ihm recht, denn wir sehen, wie das Geld der armen Leute nach Rom geht. Man sagt, er solle nach Augsburg vor den Kardinal, und manche fürchten um sein Leben. Betet für ihn und für uns. Euer gehorsamer Sohn."

Aufgabe 1:
  A) Bestimmen Sie Textart, Verfasser, Adressat und Zeit der Quelle M1. (4 Punkte)
  B) Geben Sie den Inhalt der Quelle mit eigenen Worten wieder. (4 Punkte)

Aufgabe 2: Erläutern Sie, warum Luther den Ablasshandel kritisierte. (6 Punkte)

Aufgabe 3: Beurteilen Sie die Bedeutung des Buchdrucks für die Ausbreitung der Reformation. (6 Punkte)

Für Form und Sprache werden bis zu 2 Punkte vergeben.
"""

REFORMATION_TASKS = (TaskDef("Aufgabe 1", 8, (TaskDef("A", 4), TaskDef("B", 4))),
                     TaskDef("Aufgabe 2", 6), TaskDef("Aufgabe 3", 6))

KELLER = [
    Section("Aufgabe 1/A", "1 A)",
            "Die Quelle M1 ist ein Brief. Der Verfasser ist ein Student aus Wittenberg, der an seinen "
            "Vater schreibt. Sie wurde im Herbst 1518 geschrieben, also ein Jahr nach dem Thesenanschlag."),
    Section("Aufgabe 1/B", "1 B)",
            "Der Student berichtet seinem Vater von Luther. Luther hat Sätze gegen den Ablass "
            "veröffentlicht, die jetzt sehr viele Menschen lesen. Luther meint, dass ein Ablassbrief "
            "nichts nützt, wenn man nicht wirklich bereut. Die Studenten stimmen ihm zu, weil das Geld "
            "nach Rom geht. Am Ende bittet er den Vater für Luther zu beten, da er nach Augsburg soll."),
    Section("Aufgabe 2", "2)",
            "Beim Ablasshandel konnten Gläubige sich von Sündenstrafen freikaufen. Der Dominikaner Tetzel "
            "verkaufte Ablassbriefe mit dem Spruch wenn das Geld im Kasten klingt, die Seele aus dem "
            "Fegefeuer springt. Das Geld war für den Bau des Petersdoms in Rom.\n\n"
            "Luther kritisierte das, weil nach seiner Meinung nur Gott die Sünden vergeben kann. Der "
            "Mensch wird allein durch den Glauben gerecht und nicht durch Geld. Deshalb veröffentlichte "
            "er 1517 seine 95 Thesen."),
    Section("Aufgabe 3", "3)",
            "Der Buchdruck wurde um 1450 von Gutenberg erfunden. Ohne ihn hätte sich die Reformation "
            "nicht so schnell ausgebreitet, denn Luthers Schriften wurden tausendfach gedruckt. Auch "
            "Flugblätter mit Bildern erreichten Menschen, die nicht lesen konnten.\n\n"
            "Trotzdem war der Buchdruck nicht der einzige Grund. Auch die Fürsten, die Luther schützten, "
            "waren wichtig. Ich finde der Buchdruck war eine notwendige, aber keine hinreichende "
            "Bedingung."),
]
KELLER_ERRORS = {
    "Aufgabe 1/A": [E("Adressat genauer: der Vater des Studenten, Privatbrief", 0.5)],
    "Aufgabe 2": [E("Ablass erlässt Sündenstrafen, nicht die Sünden selbst - hier ungenau", 0.5,
                    "nur Gott die Sünden vergeben kann", "underline")],
}

SCHULZ = [
    Section("Aufgabe 1/A", "1a)",
            "Textart: Zeitungsartikel. Der Autor ist ein Student und er schreibt an die Bürger von "
            "Wittenberg. Die Quelle ist aus dem Jahr 1518."),
    Section("Aufgabe 1/B", "1b)",
            "In der Quelle geht es um Luther und den Ablass. Luther hat Sätze gegen den Ablass "
            "geschrieben. Der Papst ist dagegen. Die Studenten finden das gut."),
    Section("Aufgabe 2", "2)",
            "Luther war ein Mönch und Professor in Wittenberg. Er fand den Ablass schlecht weil die "
            "Menschen ihr Geld bezahlt haben um in den Himmel zu kommen. Das Geld ging an den Papst "
            "und der hat damit den Petersdom gebaut. Luther schlug 1521 seine Thesen an die "
            "Schlosskirche. Er wollte die Kirche reformieren und nicht spalten."),
    Section("Aufgabe 3", "3)",
            "Der Buchdruck war sehr wichtig. Luthers Thesen wurden überall verbreitet. Ohne den "
            "Buchdruck hätte es keine Reformation gegeben. Luther hat auch die Bibel ins Deutsche "
            "übersetzt damit jeder sie lesen kann und das wurde dann gedruckt."),
]
SCHULZ_ERRORS = {
    "Aufgabe 1/A": [E("ist falsch. Die Textart = Brief", 1, "Textart: Zeitungsartikel.", "underline"),
                    E("ist falsch! Der Brief richtet sich an den Vater", 1,
                      "er schreibt an die Bürger von Wittenberg", "underline")],
    "Aufgabe 1/B": [E("Steht so nicht in der Quelle", 1, "Der Papst ist dagegen.", "strike"),
                    E("Auf vollständige Wiedergabe achten (Augsburg fehlt)", 1)],
    "Aufgabe 2": [E("falsch, 1517", 1, "Luther schlug 1521 seine Thesen", "underline"),
                  E("Theologische Begründung (Rechtfertigung allein aus Glauben) fehlt", 1)],
    "Aufgabe 3": [E("Zu absolut, Gegenargumente fehlen", 1,
                    "Ohne den Buchdruck hätte es keine Reformation gegeben.", "underline"),
                  E("Kein begründetes Urteil", 1)],
}

NOWAK_TXT = [
    Section("Aufgabe 1/A", "Aufgabe 1 A",
            "Die Quelle M1 ist ein privater Brief. Verfasser ist ein Student aus Wittenberg, Adressat "
            "ist sein Vater. Geschrieben wurde der Brief im Herbst 1518."),
    Section("Aufgabe 1/B", "Aufgabe 1 B",
            "Der Student erklärt seinem Vater, warum über Luther so viel gesprochen wird. Luther hat im "
            "Jahr davor Thesen gegen den Ablass veröffentlicht, die viele lesen. Er vertritt die "
            "Meinung, dass ohne echte Reue kein Ablassbrief hilft. Die Studenten unterstützen ihn, "
            "weil das Geld nach Rom fliesst. Luther soll nach Augsburg vor einen Kardinal."),
    Section("Aufgabe 2", "Aufgabe 2",
            "Luther kritisierte den Ablasshandel, weil die Kirche damit Geld verdiente und die Menschen "
            "glaubten, sie könnten sich das Seelenheil kaufen. Für Luther zählte nur die Gnade Gottes "
            "und der Glaube. Außerdem ärgerte ihn, dass Geld aus Deutschland nach Rom floss."),
    Section("Aufgabe 3", "Aufgabe 3",
            "Der Buchdruck machte es möglich, dass Luthers Schriften schnell und billig verbreitet wurden. "
            "Zwischen 1518 und 1525 erschienen sehr viele Flugschriften. Dennoch brauchte die "
            "Reformation auch politische Unterstützung, zum Beispiel durch Friedrich den Weisen. Der "
            "Buchdruck war daher sehr wichtig, aber nicht allein entscheidend."),
]
NOWAK_ERRORS = {
    "Aufgabe 1/B": [E("R: fließt", 0, "fliesst")],
    "Aufgabe 2": [E("Hier genauer auf die Bußpraxis und die 95 Thesen eingehen", 1)],
}

LANGE = [
    Section("Aufgabe 1/A", "Aufgabe 1a)",
            "Bei M1 handelt es sich um einen Brief. Der Verfasser ist ein Student aus Wittenberg, der "
            "Adressat ist sein Vater. Der Brief wurde im Herbst 1518 geschrieben, kurz vor dem Reichstag "
            "in Worms."),
    Section("Aufgabe 1/B", "Aufgabe 1b)",
            "Der Student schreibt, dass alle über Luther reden. Luther hat Sätze gegen den Ablass "
            "geschrieben und sogar die Bürger lesen sie. Er meint, dass ein Brief vom Papst die Sünden "
            "nicht weg macht, wenn man nicht bereut. Die Studenten sind auf Luthers Seite, weil das Geld "
            "der Armen nach Rom geht. Der Vater soll für Luther beten."),
    Section("Aufgabe 2", "Aufgabe 2)",
            "Der Ablass war ein Nachlass von Sündenstrafen, den die Kirche gegen Geld verkaufte. Papst "
            "Leo X. brauchte Geld für den Petersdom und Albrecht von Mainz hatte Schulden bei den "
            "Fuggern. Deshalb predigte Tetzel den Ablass.\n\n"
            "Luther kritisierte, dass die Menschen glaubten, sie könnten sich mit Geld vom Fegefeuer "
            "freikaufen. Für ihn kommt die Vergebung nur durch echte Reue und Gottes Gnade. In seinen "
            "95 Thesen forderte er außerdem, die Kirche sofort abzuschaffen."),
    Section("Aufgabe 3", "Aufgabe 3)",
            "Der Buchdruck war sehr wichtig für die Reformation. Luthers Thesen waren in wenigen Wochen "
            "in ganz Deutschland bekannt. Auch seine Bibelübersetzung wurde oft gedruckt. Flugblätter "
            "mit Bildern erreichten auch Leute, die nicht lesen konnten.\n\n"
            "Allerdings konnten damals nur wenige Menschen lesen, deshalb waren auch Predigten wichtig. "
            "Ich finde das der Buchdruck der wichtigste Grund war."),
]
LANGE_ERRORS = {
    "Aufgabe 1/A": [E("falsch! Worms war 1521; 1518 steht das Verhör in Augsburg bevor", 1,
                      "kurz vor dem Reichstag in Worms", "underline")],
    "Aufgabe 1/B": [E("Ausdruck: tilgt", 0, "weg macht", "circle", margin="A"),
                    E("Augsburg und der Kardinal fehlen", 0.5)],
    "Aufgabe 2": [E("ist falsch. Luther wollte die Kirche reformieren, nicht abschaffen", 1.5,
                    "die Kirche sofort abzuschaffen", "strike"),
                  E("Fachbegriff Rechtfertigung allein aus Glauben fehlt", 0.5)],
    "Aufgabe 3": [E("Gr: dass", 0, "Ich finde das der Buchdruck", "underline", margin="Gr"),
                  E("Urteil nicht begründet, Schutz durch die Fürsten fehlt", 1.5, "der wichtigste Grund war",
                    "underline")],
}

ARSLAN = [
    Section("Aufgabe 1/A", "1A",
            "Brief eines Studenten an seinen Vater, Herbst 1518, aus Wittenberg."),
    Section("Aufgabe 1/B", "1B",
            "Luther hat Thesen gegen den Ablass veröffentlicht. Ohne Reue hilft kein Ablassbrief. Die "
            "Studenten sind für Luther. Er muss vor den Kaiser nach Augsburg."),
    Section("Aufgabe 2", "2",
            "Luther las in der Bibel, dass der Mensch nur durch den Glauben gerettet wird. Der Ablass "
            "widerspricht dem, weil man sich das Heil kaufen will."),
    Section("Aufgabe 3", "3",
            "Ohne den Buchdruck wäre Luther wie Jan Hus verbrannt worden. Seine Schriften waren so "
            "schnell überall, dass man ihn nicht mehr stoppen konnte."),
]
ARSLAN_ERRORS = {
    "Aufgabe 1/A": [E("Textart nur genannt, nicht am Text belegt", 0.5)],
    "Aufgabe 1/B": [E("falsch, vor den Kardinal", 1, "Er muss vor den Kaiser", "underline")],
    "Aufgabe 2": [E("Tetzel und der Petersdom als Anlass fehlen", 1)],
    "Aufgabe 3": [E("Vergleich mit Hus nicht erklärt", 1, "wie Jan Hus verbrannt worden", "underline"),
                  E("Nur ein Argument, keine Abwägung", 2)],
}


def exam() -> Exam:
    return Exam("GK-Reformation-2024", "DIE REFORMATION - EINE QUELLE ANALYSIEREN", "txt",
                REFORMATION_SHEET, REFORMATION_TASKS, [
                    Student("keller-mia", "Mia Keller", "images", "yaml", KELLER, KELLER_ERRORS,
                            extras={"Form": 2}, font="kristi", ink="black", paper="lined"),
                    Student("schulz-finn", "Finn Schulz", "pdf-photo", "yaml", SCHULZ, SCHULZ_ERRORS,
                            extras={"Form": 1}, font="kristi", ink="blue", paper="lined"),
                    Student("nowak-emma", "Emma Nowak", "txt", "yaml", NOWAK_TXT, NOWAK_ERRORS,
                            extras={"Form": 2}),
                    Student("lange-sophie", "Sophie Lange", "pdf", "yaml", LANGE, LANGE_ERRORS,
                            extras={"Form": 1}, font="dkg-italic", ink="black", paper="lined"),
                    Student("arslan-deniz", "Deniz Arslan", "jpg", "json", ARSLAN, ARSLAN_ERRORS,
                            extras={"Form": 2}, font="femkeklaver", ink="black", paper="plain"),
                ], date="07.03.2024", extras=(("Form", 2),))
