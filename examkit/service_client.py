"""The one client layer for OpenAI-compatible services (OpenAI, vLLM, llama.cpp's server, Ollama).

The vision-language OCR engine (``ocr/vlm.py``) and the training stage (fine-tuning jobs, and the
chat generator of ``train eval`` and ``annotate draft``) talk to such services through the
official SDK. Everything they have in common is decided here, once:

- **Endpoint** (:func:`resolve_base_url`): the ``--base-url`` option, else ``$OPENAI_BASE_URL``,
  else the workspace's ``examkit.toml`` (``[train] base_url``, ``ocr.vlm_base_url``), else
  OpenAI's. The environment wins over the file as it does for every tool that reads both: a
  one-off ``OPENAI_BASE_URL=... examkit ...`` need not edit the workspace.
- **Key** (:func:`api_key`): ``OPENAI_API_KEY`` (or a key handed over in code). OpenAI's own
  endpoint needs one; any other endpoint gets a placeholder when none is set, since local servers
  need none (a server that does need one answers 401, read as "the API key was rejected").
- **Errors** (:func:`service_error`, :func:`api_errors`): every SDK exception becomes one
  :class:`ExamkitError` line naming what was being done and the service; a reply that is not JSON
  (a proxy's HTML page, binary garbage) is one of them, caught by the client's response hook.
- **Redaction**: service texts pass through :func:`examkit.service_messages.redact`; the key a
  client is made with is remembered there, so it is masked even when it did not come from the
  environment.

The SDK retries what is retryable (429 with its ``retry-after``, 5xx, timeouts, dropped
connections); what is left after its retries reaches :func:`service_error`, the only function
that looks at an API error's text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from examkit.errors import ExamkitError, InputFileError, NotFoundError, ServiceError, UserInputError
from examkit.service_messages import api_message, redact, remember_secret

if TYPE_CHECKING:
    import openai

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 120.0
DEFAULT_MAX_RETRIES = 3
#: Sent as the key to compatible servers (vLLM, llama.cpp, Ollama) when no key is set.
NO_KEY = "no-key-needed"
#: How much of a reply that is not JSON a message shows.
PREVIEW = 60

KEY_ADVICE = (
    "Set your key first: export OPENAI_API_KEY=sk-... (Windows: setx OPENAI_API_KEY sk-...); "
    "create one at https://platform.openai.com/api-keys"
)
LOCAL_ADVICE = "Train an open-weights model on your own machine instead: examkit train start FILE --backend local"
URL_ADVICE = "Check --base-url (or OPENAI_BASE_URL, or examkit.toml): it must name an OpenAI-compatible API, e.g. http://127.0.0.1:8000/v1."
_LINE = re.compile(r"\b(?:line|example)\s+(\d+)", re.I)
_UNAVAILABLE = re.compile(r"not available for (?:this|your) (?:organization|account)|fine-tuning is (?:not available|disabled)"
                          r"|not (?:allowed|permitted) to (?:create|use) fine-tun", re.I)


# -- endpoint and key --------------------------------------------------------------------------
def resolve_base_url(flag: str | None, configured: str | None = None) -> str:
    """``--base-url``, else ``$OPENAI_BASE_URL``, else the workspace's configured URL, else OpenAI's."""
    url = flag or os.environ.get("OPENAI_BASE_URL") or configured or DEFAULT_BASE_URL
    return url.rstrip("/")


def host(base_url: str) -> str:
    """The host a URL names (the URL itself when it names none), for messages."""
    return urlparse(base_url).hostname or base_url


def is_openai(base_url: str) -> bool:
    return host(base_url).endswith("openai.com")


def has_key(given: str | None = None) -> bool:
    return bool(given or os.environ.get("OPENAI_API_KEY"))


def api_key(base_url: str, given: str | None = None) -> str:
    """The key to send to ``base_url``: ``given``, else ``OPENAI_API_KEY``; OpenAI's own endpoint
    needs one (:class:`UserInputError` otherwise), others get :data:`NO_KEY`."""
    key = given or os.environ.get("OPENAI_API_KEY")
    if key:
        return key
    if is_openai(base_url):
        raise UserInputError(f"no API key for {host(base_url)}: OPENAI_API_KEY is not set", advice=KEY_ADVICE)
    return NO_KEY


def make_client(base_url: str, *, key: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                max_retries: int = DEFAULT_MAX_RETRIES) -> openai.OpenAI:
    """An SDK client for ``base_url`` that refuses replies that are not JSON (see :func:`api_key`)."""
    import openai

    chosen = api_key(base_url, key)
    remember_secret(chosen)
    http = openai.DefaultHttpxClient(event_hooks={"response": [_require_json]})
    return openai.OpenAI(api_key=chosen, base_url=base_url, timeout=timeout, max_retries=max_retries,
                         http_client=http)


def _require_json(response: Any) -> None:
    """Response hook: a successful reply must be JSON. Raised as an SDK error, which the SDK passes
    on without retrying (a server that answers HTML answers HTML again)."""
    if not response.is_success:
        return  # the SDK reads error replies itself, JSON or not
    response.read()
    try:
        json.loads(response.content)
    except ValueError:  # JSONDecodeError, or UnicodeDecodeError for bytes in no text encoding
        import openai

        kind = response.headers.get("content-type", "no content type").split(";")[0]
        masked = redact(response.content[:PREVIEW * 64].decode("utf-8", "replace"))  # mask, then cut
        shown = repr(masked[:PREVIEW] + ("…" if len(masked) > PREVIEW or len(response.content) > PREVIEW * 64 else ""))
        raise openai.APIResponseValidationError(response, body=None,
                                                message=f"answered HTTP {response.status_code} with {kind}, not JSON: {shown}") from None


# -- errors ------------------------------------------------------------------------------------
def service_error(exc: Exception, action: str, *, base_url: str, file: Path | None = None,
                  model: str | None = None) -> ExamkitError:
    """The examkit error for an SDK exception met while doing ``action`` (e.g. "uploading x.jsonl").

    ``file``: the file being sent (a 400 about it names the file and line); ``model``: the model
    asked (a 404 then says the service does not serve it).
    """
    import openai

    message = api_message(exc).rstrip(".")
    where = host(base_url)
    if isinstance(exc, openai.APIResponseValidationError):
        return ServiceError(f"{action}: {where} {message}", advice=URL_ADVICE)
    if isinstance(exc, openai.APITimeoutError):
        return ServiceError(f"{action}: {base_url} did not answer in time (after retries)",
                            advice="Try again later; for slow local servers raise --timeout.")
    if isinstance(exc, openai.APIConnectionError):
        return ServiceError(f"{action}: cannot connect to {base_url}",
                            advice="Is the server running? Check the network connection and --base-url / OPENAI_BASE_URL.")
    if not isinstance(exc, openai.APIStatusError):
        return ServiceError(f"{action}: {message}")
    status = exc.status_code
    code = (exc.code or "").lower()
    if _UNAVAILABLE.search(message) or code in ("fine_tuning_not_available", "fine_tuning_disabled"):
        return ServiceError(f"{action}: fine-tuning is not available for this OpenAI organization ({message})",
                            advice=LOCAL_ADVICE)
    if isinstance(exc, openai.AuthenticationError):
        return ServiceError(f"{action}: the API key was rejected by {where} (HTTP 401: {message})",
                            advice="Check OPENAI_API_KEY; create a new key at https://platform.openai.com/api-keys")
    if isinstance(exc, openai.PermissionDeniedError):
        return ServiceError(f"{action}: permission denied (HTTP 403: {message})",
                            advice="Check that the key's project may use this model and endpoint.")
    if isinstance(exc, openai.RateLimitError):
        if code == "insufficient_quota" or "quota" in message.lower():
            return ServiceError(f"{action}: the account's quota is used up ({message})",
                                advice="Check billing at https://platform.openai.com/settings/organization/billing")
        return ServiceError(f"{action}: rate limit reached, still after retries ({message})",
                            advice="Wait a minute and run the command again; work already done is kept.")
    if isinstance(exc, openai.InternalServerError):
        return ServiceError(f"{action}: the service failed (HTTP {status}) and kept failing after retries",
                            advice="Try again later; see https://status.openai.com")
    if isinstance(exc, openai.NotFoundError):
        if model is not None:
            return ServiceError(f"{action}: {where} does not serve the model {model!r} ({message})",
                                advice="Check --model against the server's model list.")
        return NotFoundError(f"{action}: not found on {base_url} ({message})")
    if isinstance(exc, openai.BadRequestError) and file is not None and (
        "file" in code or "file" in message.lower() or exc.param in ("file", "training_file", "validation_file")
    ):
        line = _LINE.search(message)
        return InputFileError(file, f"rejected by the service: {message}", line=int(line[1]) if line else None,
                              advice="Fix that line (examkit export validate names the usual problems) and start again.")
    return ServiceError(f"{action}: HTTP {status}: {message}")


@contextmanager
def api_errors(action: str, *, base_url: str, file: Path | None = None, model: str | None = None) -> Iterator[None]:
    """Run SDK calls; their errors leave as examkit errors (one line, exit 1)."""
    import openai

    try:
        yield
    except openai.OpenAIError as exc:
        raise service_error(exc, action, base_url=base_url, file=file, model=model) from exc
