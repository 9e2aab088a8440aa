"""LK-Neuzeit-2023: absolutism and Enlightenment, a source analysis.

Invented sources, students and answers; see texts.py for the conventions.
"""

from __future__ import annotations

from model import Error as E
from model import Exam, Section, Student, TaskDef

NEUZEIT_SHEET = """\
# Leistungskurs Geschichte Q1 - 2. Klausur - 12.05.2023
Thema: Absolutismus und Aufklärung in Frankreich
Name: ____________________    Bearbeitungszeit: 135 Minuten    Hilfsmittel: Wörterbuch

Material M1: Aus den Aufzeichnungen eines Hofbeamten in Versailles, um 1690 (fiktive Quelle, für diese Klausur verfasst)
"Seine Majestät erhebt sich um acht Uhr, und schon drängen sich die Herzöge und Grafen im Vorzimmer, um bei dem Lever zugegen zu sein. Wer das Hemd reichen darf, gilt an diesem Tag als glücklich; wer nicht gerufen wird, fürchtet um seine Gunst. Die Minister berichten dem König allein, und kein Beschluss ergeht, den er nicht selbst gebilligt hätte. Die Provinzen werden durch die Intendanten verwaltet, die Seiner Majestät gehorchen und nicht den alten Familien des Landes. Der Generalkontrolleur der Finanzen sorgt dafür, dass die Manufakturen Tuch und Spiegel herstellen, die man früher teuer aus dem Ausland kaufen musste. Die Stände sind seit langer Zeit nicht mehr versammelt worden, und niemand wagt zu fragen, wann dies geschehen soll. So glänzt der Hof, während auf dem Land die Bauern über die Steuern klagen."

Aufgabe 1: Ordnen Sie die Quelle M1 in ihren historischen Kontext ein und geben Sie ihre Kernaussagen strukturiert wieder. (6 Punkte)

Aufgabe 2: Erläutern Sie ausgehend von M1 und Ihren Kenntnissen die Herrschaftspraxis Ludwigs XIV. (Hof, Verwaltung, Wirtschaft). (8 Punkte)

Aufgabe 3: Beurteilen Sie, inwiefern die Kritik der Aufklärer die Grundlagen der absolutistischen Herrschaft in Frage stellte. (7 Punkte)

Viel Erfolg!"""

NEUZEIT_TASKS = (TaskDef("Aufgabe 1", 6), TaskDef("Aufgabe 2", 8), TaskDef("Aufgabe 3", 7))

HOFFMANN = [
    Section("Aufgabe 1", "Aufgabe 1:",
            "Bei der Quelle M1 handelt es sich um die Aufzeichnungen eines Hofbeamten aus Versailles. "
            "Sie stammt aus der Zeit um 1690, also aus der Regierungszeit von Ludwig XIV, der von 1643 "
            "bis 1715 König von Frankreich war. Der Autor beschreibt den Alltag am Hof und die Verwaltung "
            "des Landes. Die Textart ist ein Bericht.\n\n"
            "Zuerst schildert der Autor das Lever, bei dem sich der Adel um den König drängt. Danach "
            "erklärt er, dass der König alle Entscheidungen selbst trifft und die Provinzen von "
            "Intendanten verwaltet werden. Am Ende erwähnt er die Manufakturen und dass die Bauern "
            "über die Steuern klagen."),
    Section("Aufgabe 2", "Aufgabe 2:",
            "Ludwig XIV regierte als absoluter Herrscher, das heißt er stand über den Gesetzen und musste "
            "niemanden fragen. Sein Leitsatz war angeblich der Staat bin ich. Am Hof in Versailles wurde "
            "der Adel an den König gebunden. Wer beim Lever dabei sein durfte, hatte Ansehen, die anderen "
            "hatten Angst ihre Gunst zu verlieren. So wurde der Adel kontrolliert und konnte keinen "
            "Aufstand mehr machen.\n\n"
            "In der Verwaltung setzte der König Intendanten ein, die nur ihm gehorchten. Die Generalstände "
            "wurden seit 1614 nicht mehr einberufen. Die Wirtschaft wurde nach dem Merkantilismus geführt. "
            "Colbert förderte Manufakturen, damit weniger Waren importiert werden mussten und mehr Geld im "
            "Land bleibt. Dadurch hatte der König genug Geld für das stehende Heer und für Versailles."),
    Section("Aufgabe 3", "Aufgabe 3:",
            "Die Aufklärer wie Montesquieu und Rousseau kritisierten den Absolutismus stark. Montesquieu "
            "forderte die Gewaltenteilung in Legislative, Exekutive und Judikative. Damit wird die Grundlage "
            "des Absolutismus angegriffen, weil der König dann nicht mehr alle Macht hat. Rousseau sagte, "
            "dass die Macht vom Volk ausgeht und nicht von Gott.\n\n"
            "Meiner Meinung nach stellte die Aufklärung den Absolutismus komplett in Frage, weil das "
            "Gottesgnadentum nicht mehr galt. Allerdings hatte die Kritik zuerst keine direkten Folgen, "
            "erst mit der Revolution von 1789 wurde sie umgesetzt."),
]
HOFFMANN_ERRORS = {
    "Aufgabe 1": [E("Die Textart ist eher eine Aufzeichnung/ein Tagebuch, kein Bericht", 0.5,
                    "Die Textart ist ein Bericht.", "underline")],
    "Aufgabe 2": [E("Wo steht das in der Quelle? Zitat nur angeblich, kein Beleg", 0,
                    "Sein Leitsatz war angeblich der Staat bin ich.", "underline", margin="?"),
                  E("Zu pauschal, der Adel behielt Privilegien", 0.5,
                    "konnte keinen Aufstand mehr machen", "underline")],
    "Aufgabe 3": [E("Urteil zu absolut, differenzieren!", 1, "komplett in Frage", "circle"),
                  E("Eigenes Urteil genauer begründen", 1)],
}

BRANDT = [
    Section("Aufgabe 1", "1)",
            "Die Quelle ist von einem Hofbeamten von Versailles und wurde 1690 geschrieben. Damals regierte "
            "Ludwig XVI in Frankreich. Es geht um den Hof und wie der König regiert.\n\n"
            "Der König steht um acht Uhr auf und alle wollen dabei sein. Die Minister sagen dem König was "
            "passiert. Es gibt Manufakturen für Tuch und Spiegel. Die Bauern beschweren sich wegen den "
            "Steuern."),
    Section("Aufgabe 2", "2)",
            "Ludwig XIV hatte die ganze Macht, er war ein absolutistischer Herrscher. Er lies das Schloss "
            "Versailles bauen wo der ganze Adel wohnen musste. Der Adel hatte dort nichts zu tun ausser zu "
            "feiern und deshalb war er abhängig vom König.\n\n"
            "Der König hatte Intendanten, die für ihn Steuern eingetrieben haben. Wirtschaftlich gab es den "
            "Merkantilismus. Das bedeutet man exportiert mehr als man importiert. Der Minister dafür war "
            "Richelieu und er hat Manufakturen gebaut. Außerdem gab es hohe Zölle auf Waren aus dem Ausland."),
    Section("Aufgabe 3", "3)",
            "Die Aufklärer wollten das die Menschen selbst denken. Kant sagte habe Mut dich deines eigenen "
            "Verstandes zu bedienen. Voltaire kritisierte die Kirche und den König. Montesquieu wollte "
            "Gewaltenteilung.\n\n"
            "Ich finde die Aufklärung war wichtig, weil sie zur Französischen Revolution geführt hat. "
            "Dadurch wurde der Absolutismus abgeschafft."),
]
BRANDT_ERRORS = {
    "Aufgabe 1": [E("falsch! Um 1690 regierte Ludwig XIV.", 1, "Damals regierte Ludwig XVI in Frankreich.",
                    "underline"),
                  E("Kernaussagen nur aufgezählt, nicht strukturiert", 1)],
    "Aufgabe 2": [E("R: ließ", 0, "Er lies das Schloss", "circle", margin="R"),
                  E("ist falsch. Der Minister war Colbert", 1, "Richelieu", "strike"),
                  E("Bezug zur Quelle M1 fehlt", 1)],
    "Aufgabe 3": [E("Gr: dass", 0, "Die Aufklärer wollten das die Menschen", "underline", margin="Gr"),
                  E("Warum? Wie stellte die Kritik die Grundlagen in Frage? Gottesgnadentum fehlt", 2,
                    "Ich finde die Aufklärung war wichtig", "underline"),
                  E("Keine Abwägung, nur Aufzählung", 1)],
}

YILMAZ = [
    Section("Aufgabe 1", "Aufgabe 1",
            "Der Text ist eine Quelle von einem Beamten am Hof von Ludwig XIV. Er beschreibt um 1690 das "
            "Leben in Versailles. Die Kernaussage ist, dass der König alles bestimmt und die Adligen um "
            "seine Gunst kämpfen."),
    Section("Aufgabe 2", "Aufgabe 2",
            "Ludwig XIV hat Versailles gebaut um den Adel zu kontrollieren. Er hat das Edikt von Nantes "
            "1685 erlassen. Die Intendanten verwalteten die Provinzen. Der Merkantilismus sollte Geld "
            "für den Staat bringen."),
    Section("Aufgabe 3", "Aufgabe 3",
            "Die Aufklärer kritisierten den König, weil ..."),
]
YILMAZ_ERRORS = {
    "Aufgabe 1": [E("Autor und Textart genauer bestimmen", 1)],
    "Aufgabe 2": [E("ist falsch. 1685 wurde das Edikt aufgehoben", 1, "Edikt von Nantes 1685 erlassen",
                    "underline"),
                  E("Erläuterung zu knapp, Hof und Wirtschaft nur genannt", 2)],
    "Aufgabe 3": [E("Aufgabe nicht bearbeitet", 7, "Die Aufklärer kritisierten den König, weil ...",
                    "strike")],
}

WAGNER = [
    Section("Aufgabe 1", "Aufgabe 1",
            "Die Quelle M1 ist eine Aufzeichnung eines Hofbeamten aus Versailles um 1690. Sie fällt in "
            "die Zeit des Absolutismus unter Ludwig XIV. Der Verfasser berichtet aus nächster Nähe über "
            "das Hofleben, die Regierungsweise des Königs und die Lage im Land.\n\n"
            "Er beschreibt erstens das Lever als Ritual, bei dem der Adel um die Gunst des Königs "
            "konkurriert. Zweitens betont er, dass der König alle Beschlüsse selbst billigt und die "
            "Intendanten die Provinzen verwalten. Drittens nennt er die Förderung von Manufakturen. "
            "Am Schluss stellt er den Glanz des Hofes der Not der Bauern gegenüber."),
    Section("Aufgabe 2", "Aufgabe 2",
            "Ludwig XIV. verstand sich als König von Gottes Gnaden. Der Hof in Versailles war ein "
            "Machtinstrument: Durch das Zeremoniell wurde der Hochadel beschäftigt und von Ämtern in "
            "den Provinzen ferngehalten. Die Verwaltung lag bei den Intendanten, die meist aus dem "
            "Bürgertum kamen und absetzbar waren.\n\n"
            "In der Wirtschaft setzte Colbert den Merkantilismus um. Rohstoffe sollten billig eingeführt, "
            "Fertigwaren teuer ausgeführt werden. Der König brauchte das Geld vor allem für das Militär. "
            "Die Steuerlast trugen fast nur die Bauern, weil der Adel und der Klerus steuerfrei waren."),
    Section("Aufgabe 3", "Aufgabe 3",
            "Die Aufklärung stellte die Vernunft über die Tradition. Locke und Montesquieu entwickelten "
            "die Idee der Gewaltenteilung, Rousseau die Volkssouveränität. Damit verlor das "
            "Gottesgnadentum seine Begründung. Allerdings wollten viele Aufklärer keinen Umsturz, "
            "sondern einen aufgeklärten Monarchen wie Friedrich II. in Preußen. Die Kritik stellte also "
            "die Begründung der Herrschaft in Frage, aber nicht sofort die Monarchie selbst."),
]
WAGNER_ERRORS = {
    "Aufgabe 2": [E("Nicht ganz richtig, auch der Adel zahlte manche Steuern", 0.5,
                    "weil der Adel und der Klerus steuerfrei waren", "underline"),
                  E("Bezug zu M1 fehlt im zweiten Absatz", 1)],
    "Aufgabe 3": [E("Eigenes Urteil am Ende zu kurz", 1)],
}

HARTMANN = [
    Section("Aufgabe 1", "A1",
            "M1 ist die Aufzeichnung eines Hofbeamten aus Versailles um 1690, also zur Zeit Ludwigs XIV. "
            "Er beschreibt, dass der Adel beim Lever um die Gunst des Königs wetteifert und dass der "
            "König alles selbst entscheidet."),
    Section("Aufgabe 2", "A2",
            "Ludwig XIV. regierte ohne die Generalstände und ohne ersten Minister. Der Adel wurde "
            "durch das Hofzeremoniel in Versailles gebunden. Colbert förderte die Manufakturen. "
            "Allerdings führte Ludwig viele teure Kriege."),
    Section("Aufgabe 3", "A3",
            "Die Aufklärer sagten, dass alle Menschen gleich sind. Montesquieu wollte die "
            "Gewaltenteilung, Voltaire schrieb den Gesellschaftsvertrag. Dadurch wurde das "
            "Gottesgnadentum in Frage gestellt."),
]
HARTMANN_ERRORS = {
    "Aufgabe 1": [E("Kernaussagen unvollständig (Intendanten, Manufakturen, Bauern fehlen)", 1.5)],
    "Aufgabe 2": [E("R: Hofzeremoniell", 0, "Hofzeremoniel", "circle", margin="R"),
                  E("Verwaltung durch Intendanten fehlt, Merkantilismus nicht erklärt", 1.5)],
    "Aufgabe 3": [E("falsch: der Gesellschaftsvertrag ist von Rousseau", 1, "Voltaire", "strike"),
                  E("Beurteilung fehlt, nur Aufzählung", 2.5, "Dadurch wurde das Gottesgnadentum in Frage gestellt.",
                    "underline")],
}


def exam() -> Exam:
    return Exam("LK-Neuzeit-2023", "ABSOLUTISMUS UND AUFKLÄRUNG - EINE QUELLE ANALYSIEREN", "pdf",
                NEUZEIT_SHEET, NEUZEIT_TASKS, [
                    Student("hoffmann-lina", "Lina Hoffmann", "pdf", "yaml", HOFFMANN, HOFFMANN_ERRORS,
                            font="dkg", ink="blue", paper="lined"),
                    Student("brandt-jonas", "Jonas Brandt", "images-photo", "loose", BRANDT, BRANDT_ERRORS,
                            font="breip", ink="black", paper="lined"),
                    Student("yilmaz-elif", "Elif Yilmaz", "png", "json", YILMAZ, YILMAZ_ERRORS,
                            font="femkeklaver", ink="blue", paper="plain"),
                    Student("wagner-paul", "Paul Wagner", "docx", "yaml", WAGNER, WAGNER_ERRORS),
                    Student("hartmann-clara", "Clara Hartmann", "pdf-photo", "yaml", HARTMANN,
                            HARTMANN_ERRORS, font="dkg", ink="royal", paper="plain"),
                ], date="12.05.2023")
