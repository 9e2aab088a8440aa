"""Compile the German catalogue: examkit/locale/de/LC_MESSAGES/examkit.po -> examkit.mo (polib).

Run after editing the .po file; tests/core/test_i18n.py fails while the two disagree.
"""

from __future__ import annotations

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "examkit" / "locale" / "de" / "LC_MESSAGES" / "examkit.po"

if __name__ == "__main__":
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    print(CATALOGUE.with_suffix(".mo"))
