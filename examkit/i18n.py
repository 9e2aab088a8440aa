"""The command line in the reader's language: German where the locale is German, English otherwise.

As git and apt do: gettext with the standard environment (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``), the catalogue ``examkit/locale/de/LC_MESSAGES/examkit.po`` compiled
to ``examkit.mo`` beside it (``python scripts/compile_catalogue.py``; a test checks the two agree).
What the commands a teacher runs say to people is translated; data (``--json``, files, codes) is
never. The language is chosen when a message is shown, so a test can set the locale.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "examkit"


def _(message: str) -> str:
    """``message`` in the reader's language (itself where there is no translation)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, fallback=True).gettext(message)


def german() -> bool:
    """Whether the reader's language is German (for texts kept in German tables, like the audit's)."""
    return _("English") == "Deutsch"
