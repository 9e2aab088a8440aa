"""The German content of the sample set, as data: task sheets, answers, the teacher's grading.

Everything here was written for examkit: the sources in the task sheets are invented (and say
so), the students and their names are invented, and the answers contain the kind of mistakes
real students make (spelling, wrong dates, vague claims). Quotes in the grading are verbatim
phrases of the answers; `model.validate` checks that.
"""

from __future__ import annotations

from model import Error as E
from model import Exam, Section, Student, TaskDef

# ---------------------------------------------------------------------------------------------
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

# ---------------------------------------------------------------------------------------------
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

# ---------------------------------------------------------------------------------------------
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


def exams() -> list[Exam]:
    """The three sample exams with their students, in the order the generator writes them."""
    neuzeit = Exam("LK-Neuzeit-2023", "ABSOLUTISMUS UND AUFKLÄRUNG - EINE QUELLE ANALYSIEREN", "pdf",
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
    reformation = Exam("GK-Reformation-2024", "DIE REFORMATION - EINE QUELLE ANALYSIEREN", "txt",
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
    weimar = Exam("LK-Weimar-2024", "DIE WEIMARER REPUBLIK - DAS KRISENJAHR 1923", "docx",
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
    return [neuzeit, reformation, weimar]
