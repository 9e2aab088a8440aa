"""The teacher's commands speak German where the locale is German, English otherwise (issue 28, item 12)."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
import pytest

from examkit.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = LOCALE_DIR / "de" / "LC_MESSAGES" / "examkit.po"
#: Values shown through _() that are not literals at the call (states, kinds, severities).
SHOWN_VALUES = {"English", "student", "task", "reviewed", "nothing read", "ocr'd", "partly ocr'd", "not read", "error",
                "warning"}


def literal_messages() -> set[str]:
    found = set()
    for stage in ("examkit", "examkit_app", "ocr", "annotate", "export", "training"):
        for path in (ROOT / stage).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_" and node.args
                        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                    found.add(node.args[0].value)
    return found


def test_every_message_has_its_german_and_the_compiled_catalogue_is_current():
    catalogue = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOGUE))}
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(CATALOGUE.with_suffix(".mo"))) if e.msgid}
    assert compiled == catalogue, "run python scripts/compile_catalogue.py"
    missing = sorted((literal_messages() | SHOWN_VALUES) - {k for k, v in catalogue.items() if v})
    assert missing == []


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "C.UTF-8"])
def test_ocr_status_and_annotate_check_in_both_languages(cli, ws_path, tmp_path, monkeypatch, lang):
    monkeypatch.setenv("LANG", lang)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "bad.txt").write_text("Fehleranalyse:\n\tA (5 von 8 Punkte)\n\n\tInsgesamt:\n\t\tPunkte: 7 von 8, das "
                                      "entspricht einer Leistung von: 87%\n\t\tVorgeschlagene Note: 1- ENDSTOP", "utf-8")
    status = cli("ocr", "status", "-w", ws_path)
    check = cli("annotate", "check", tmp_path / "bad.txt")
    german = lang.startswith("de")
    assert ("0 Arbeiten, 0 Seiten" in status.output) == german
    assert ("0 documents, 0 pages" in status.output) == (not german)
    assert ("1 Fehleranalysen: 0 einwandfrei" in check.output) == german
    assert ("1 records: 0 clean" in check.output) == (not german)
    assert ("Fehler total-mismatch" in check.output) == german  # the audit's own German sentence follows
