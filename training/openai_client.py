"""One way to build an OpenAI client and one place that turns its errors into one-line messages.

Both the fine-tuning backend and the chat generator (``train eval``, ``annotate draft``) go through
here, so ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` and ``--base-url`` behave the same everywhere and
an error reads the same whichever command met it. The SDK retries what is retryable (429 with its
``retry-after``, 5xx, timeouts, dropped connections); what is left after its retries is classified
by :func:`service_error`, the only function that looks at the API's error text.

The API key is read by the SDK from the environment and is never printed, logged or stored:
messages that could echo it are redacted, and the workspace records only the endpoint URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from examkit.errors import ExamkitError, InputFileError, NotFoundError, ServiceError
from examkit.service_messages import api_message

if TYPE_CHECKING:
    import openai

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 3
#: Sent as the key to compatible local servers (vLLM, llama.cpp, Ollama) that need none.
NO_KEY = "no-key-needed"

KEY_ADVICE = (
    "Set your key first: export OPENAI_API_KEY=sk-... (Windows: setx OPENAI_API_KEY sk-...); "
    "create one at https://platform.openai.com/api-keys"
)
LOCAL_ADVICE = "Train an open-weights model on your own machine instead: examkit train start FILE --backend local"
_LINE = re.compile(r"\b(?:line|example)\s+(\d+)", re.I)
_UNAVAILABLE = re.compile(r"not available for (?:this|your) (?:organization|account)|fine-tuning is (?:not available|disabled)"
                          r"|not (?:allowed|permitted) to (?:create|use) fine-tun", re.I)


def resolve_base_url(flag: str | None, configured: str | None = None) -> str:
    """``--base-url``, else ``$OPENAI_BASE_URL``, else ``[train] base_url``, else OpenAI's."""
    url = flag or os.environ.get("OPENAI_BASE_URL") or configured or DEFAULT_BASE_URL
    return url.rstrip("/")


def is_openai(base_url: str) -> bool:
    return (urlparse(base_url).hostname or "").endswith("openai.com")


def has_key() -> bool:
    return bool(os.environ.get("OPENAI_API_KEY"))


def make_client(base_url: str, *, timeout: float = DEFAULT_TIMEOUT, max_retries: int = DEFAULT_MAX_RETRIES) -> openai.OpenAI:
    """A client for ``base_url``; OpenAI's own endpoint needs ``OPENAI_API_KEY``, others may not."""
    import openai

    key = os.environ.get("OPENAI_API_KEY")
    if not key and is_openai(base_url):
        raise ServiceError("OPENAI_API_KEY is not set", advice=KEY_ADVICE)
    return openai.OpenAI(api_key=key or NO_KEY, base_url=base_url, timeout=timeout, max_retries=max_retries)


def service_error(exc: Exception, action: str, *, base_url: str, file: Path | None = None) -> ExamkitError:
    """The examkit error for an SDK exception met while doing ``action`` (e.g. "uploading x.jsonl")."""
    import openai

    message = api_message(exc)
    if isinstance(exc, openai.APITimeoutError):
        return ServiceError(f"{action}: {base_url} did not answer in time (after retries)",
                            advice="Try again later; for slow local servers raise --timeout.")
    if isinstance(exc, openai.APIConnectionError):
        return ServiceError(f"{action}: cannot connect to {base_url}",
                            advice="Check the network connection and --base-url / OPENAI_BASE_URL.")
    if not isinstance(exc, openai.APIStatusError):
        return ServiceError(f"{action}: {message}")
    status = exc.status_code
    code = (exc.code or "").lower()
    if _UNAVAILABLE.search(message) or code in ("fine_tuning_not_available", "fine_tuning_disabled"):
        return ServiceError(f"{action}: fine-tuning is not available for this OpenAI organization ({message.rstrip('.')})",
                            advice=LOCAL_ADVICE)
    if isinstance(exc, openai.AuthenticationError):
        return ServiceError(f"{action}: the API key was rejected (HTTP 401: {message.rstrip('.')})",
                            advice="Check OPENAI_API_KEY; create a new key at https://platform.openai.com/api-keys")
    if isinstance(exc, openai.PermissionDeniedError):
        return ServiceError(f"{action}: permission denied (HTTP 403: {message.rstrip('.')})",
                            advice="Check that the key's project may use this model and endpoint.")
    if isinstance(exc, openai.RateLimitError):
        if code == "insufficient_quota" or "quota" in message.lower():
            return ServiceError(f"{action}: the account's quota is used up ({message.rstrip('.')})",
                                advice="Check billing at https://platform.openai.com/settings/organization/billing")
        return ServiceError(f"{action}: rate limit reached, still after retries ({message.rstrip('.')})",
                            advice="Wait a minute and run the command again; `train eval --workers 1` sends less at once.")
    if isinstance(exc, openai.InternalServerError):
        return ServiceError(f"{action}: the service failed (HTTP {status}) and kept failing after retries",
                            advice="Try again later; see https://status.openai.com")
    if isinstance(exc, openai.NotFoundError):
        return NotFoundError(f"{action}: not found on {base_url} ({message.rstrip('.')})")
    if isinstance(exc, openai.BadRequestError) and file is not None and (
        "file" in code or "file" in message.lower() or exc.param in ("file", "training_file", "validation_file")
    ):
        line = _LINE.search(message)
        return InputFileError(file, f"rejected by the service: {message.rstrip('.')}",
                              line=int(line[1]) if line else None,
                              advice="Fix that line (examkit export validate names the usual problems) and start again.")
    return ServiceError(f"{action}: HTTP {status}: {message.rstrip('.')}")


@contextmanager
def api_errors(action: str, *, base_url: str, file: Path | None = None) -> Iterator[None]:
    """Run SDK calls; their errors leave as examkit errors (one line, exit 1)."""
    import openai

    try:
        yield
    except openai.OpenAIError as exc:
        raise service_error(exc, action, base_url=base_url, file=file) from exc
