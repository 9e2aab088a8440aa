"""Service texts fit to show a person or to store: the API key never appears in them.

Both stages that talk to OpenAI-compatible services (training and the vision-language OCR engine)
print and store what a service says: its error messages, job errors, event texts, model names.
A service may echo the key back (``Incorrect API key provided: sk-...``), and examkit never
prints or stores it. :func:`redact` is the one function that masks it; it is applied where text
leaves examkit (``examkit/console.py`` for everything printed, the ``--verbose`` traceback in
``examkit/cli.py``) and where service text is stored (``jobs.data`` in ``examkit/runs.py``,
failures in ``examkit/documents.py``).
"""

from __future__ import annotations

import os
import re
from typing import Any

#: Keys shorter than this are not masked: a placeholder such as ``local`` would blank out words.
MIN_SECRET = 8
#: A known key's first this many characters count as the key: a reply cut short mid-key shows
#: no part of it.
MIN_PREFIX = 8
#: Anything shaped like an OpenAI-style key (``sk-...``, ``sk-proj-...``), configured or not.
_KEY_SHAPED = re.compile(r"(?<![A-Za-z0-9])sk-[A-Za-z0-9_\-]{6,}")
_secrets: set[str] = set()


def remember_secret(key: str | None) -> None:
    """Mask ``key`` too (a key handed to a client in code rather than through ``OPENAI_API_KEY``)."""
    if key and len(key) >= MIN_SECRET:
        _secrets.add(key)


def redact(text: str) -> str:
    """``text`` with every key replaced by ``***``: the value of ``OPENAI_API_KEY`` and every
    remembered key, whole or cut (any run of ``MIN_PREFIX`` or more of its first characters), and
    anything key-shaped (``sk-...``). Mask before cutting a text short; this masks cut keys too."""
    env = os.environ.get("OPENAI_API_KEY")
    for key in sorted(({env} if env and len(env) >= MIN_SECRET else set()) | _secrets, key=len, reverse=True):
        text = _mask_prefixes(text, key)
    return _KEY_SHAPED.sub("***", text)


def _mask_prefixes(text: str, key: str) -> str:
    """``text`` with each occurrence of ``key`` or of a prefix of it (``MIN_PREFIX`` characters or
    more) replaced by ``***``."""
    start = key[:MIN_PREFIX]
    parts, at = [], 0
    while (found := text.find(start, at)) >= 0:
        end = found + MIN_PREFIX
        while end < len(text) and end - found < len(key) and text[end] == key[end - found]:
            end += 1
        parts += [text[at:found], "***"]
        at = end
    return "".join(parts) + text[at:]


def redact_data(value: Any) -> Any:
    """:func:`redact` applied to every string in nested dicts and lists (JSON-like data)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(item) for item in value]
    return value


def api_message(exc: Exception) -> str:
    """The service's message in an SDK exception (``{"message"}`` or ``{"error": {"message"}}``
    bodies), else the exception's first line; always redacted."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return redact(inner["message"])
    return redact((str(getattr(exc, "message", None) or exc).splitlines() or [""])[0])
