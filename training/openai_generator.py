"""The ``openai`` generator: a (tuned) model's answer through any OpenAI-compatible chat endpoint.

Used by ``train eval`` and ``annotate draft``. Answers are deterministic as far as the service
allows (temperature 0) and end at the stop marker the training records end with, so the model
writes one Fehleranalyse and stops. Works with OpenAI and with locally served models (vLLM,
llama.cpp's server, Ollama) through ``base_url``. The client is thread-safe, so ``train eval``
shares one generator across its worker threads.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from examkit.errors import ServiceError
from examkit.service_client import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, api_errors, make_client
from examkit.service_messages import redact

if TYPE_CHECKING:
    import openai


class OpenAIGenerator:
    """:class:`training.backend.Generator` over ``POST /chat/completions``."""

    def __init__(self, model: str, *, base_url: str, timeout: float = DEFAULT_TIMEOUT,
                 max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        self.model = model
        self.endpoint = base_url
        self.timeout = timeout
        self.max_retries = max_retries

    @cached_property
    def client(self) -> openai.OpenAI:
        return make_client(self.endpoint, timeout=self.timeout, max_retries=self.max_retries)

    def generate(self, messages: list[dict[str, str]], *, stop: str | None, max_tokens: int = 2048) -> str:
        with api_errors(f"asking {self.model}", base_url=self.endpoint, model=self.model):
            response = self.client.chat.completions.create(  # type: ignore[call-overload]  # plain dicts are the SDK's message params at run time
                model=self.model, messages=messages, temperature=0, max_tokens=max_tokens,
                **({"stop": [stop]} if stop else {}),
            )
        if not response.choices:
            raise ServiceError(f"asking {self.model}: the service returned no answer")
        text = redact(response.choices[0].message.content or "")  # stored: drafts, the answer cache
        if stop and stop in text:  # servers that ignore `stop` still end where the marker is
            text = text[: text.index(stop)]
        return text.rstrip()
