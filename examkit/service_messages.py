"""The text of an error from an OpenAI-compatible service, fit to show a person.

Both stages that talk to such services (training jobs and the vision-language OCR engine) show the
service's own message in their one-line errors. It is read here once, in one way, and the API key
is masked out of it: a service may echo the key back, and examkit never prints it.
"""

from __future__ import annotations

import os


def redact(text: str) -> str:
    """``text`` with the value of ``OPENAI_API_KEY`` replaced by ``***``."""
    key = os.environ.get("OPENAI_API_KEY")
    if key and len(key) >= 8:
        text = text.replace(key, "***")
    return text


def api_message(exc: Exception) -> str:
    """The service's message in an SDK exception (``{"message"}`` or ``{"error": {"message"}}``
    bodies), else the exception's first line; always redacted."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return redact(inner["message"])
    return redact(str(getattr(exc, "message", None) or exc).splitlines()[0])
