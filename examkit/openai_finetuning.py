"""What OpenAI's fine-tuning makes of token counts: per-example limits, epochs, minimum, price.

These are the published figures of OpenAI's fine-tuning guide and price list (dated below),
overridable in ``examkit.toml`` (``[export] token_limits``, ``training_prices``, ``epochs``).
They are used by the export stage's validation (``export validate`` shows what a file would
cost to train on its target model) and by the ``openai`` training backend (its minimum of
examples). They live in examkit's core beside the OpenAI client layer rather than in
``training/``: the export stage sits below training and must not import it.
Counting the tokens themselves is :mod:`examkit.tokens`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from examkit.tokens import base_model, encoding_for

#: The fewest examples a fine-tuning file may have.
MIN_EXAMPLES = 10

#: Per-example token limit of fine-tuning (training context length), by model name prefix.
#: From OpenAI's fine-tuning guide; override with ``[export] token_limits`` in examkit.toml.
TOKEN_LIMITS: dict[str, int] = {
    "gpt-4o-mini": 65_536,
    "gpt-4o": 65_536,
    "gpt-4.1-nano": 65_536,
    "gpt-4.1-mini": 65_536,
    "gpt-4.1": 65_536,
    "gpt-3.5-turbo": 16_385,
}
DEFAULT_TOKEN_LIMIT = 16_385  # the data-preparation guide's MAX_TOKENS_PER_EXAMPLE

#: Training price in US dollars per 1M trained tokens, by model name prefix.
PRICES_DATE = "2025-06"
TRAINING_PRICES: dict[str, float] = {
    "gpt-4o-mini": 3.00,
    "gpt-4o": 25.00,
    "gpt-4.1-nano": 1.50,
    "gpt-4.1-mini": 5.00,
    "gpt-4.1": 25.00,
    "gpt-3.5-turbo": 8.00,
}

# The guide's default-epoch rule.
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


def _lookup(table: Mapping[str, Any], model: str) -> Any | None:
    """The entry for ``model``: an exact key, else the longest key that is a prefix of it."""
    name = base_model(model)
    if name in table:
        return table[name]
    prefixes = [k for k in table if name.startswith(k)]
    return table[max(prefixes, key=len)] if prefixes else None


def token_limit(model: str, overrides: Mapping[str, int] | None = None) -> int:
    """The per-example token limit for fine-tuning ``model`` (overrides first)."""
    found = _lookup(overrides or {}, model)
    if found is None:
        found = _lookup(TOKEN_LIMITS, model)
    return int(found) if found is not None else DEFAULT_TOKEN_LIMIT


def training_price(model: str, overrides: Mapping[str, float] | None = None) -> float | None:
    """US dollars per 1M training tokens for ``model``, or None when no price is known."""
    found = _lookup(overrides or {}, model)
    if found is None:
        found = _lookup(TRAINING_PRICES, model)
    return float(found) if found is not None else None


def default_epochs(n_examples: int) -> int:
    """The number of epochs OpenAI picks when none is given (the guide's rule)."""
    if n_examples <= 0:
        return TARGET_EPOCHS
    if n_examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // n_examples)
    if n_examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // n_examples)
    return TARGET_EPOCHS


@dataclass(frozen=True)
class CostEstimate:
    model: str
    billed_tokens_per_epoch: int
    epochs: int
    price_per_million: float | None
    exact_tokens: bool

    @property
    def billed_tokens(self) -> int:
        return self.billed_tokens_per_epoch * self.epochs

    @property
    def usd(self) -> float | None:
        if self.price_per_million is None:
            return None
        return self.billed_tokens * self.price_per_million / 1_000_000


def estimate_cost(
    example_tokens: Iterable[int],
    model: str,
    *,
    epochs: int | None = None,
    limits: Mapping[str, int] | None = None,
    prices: Mapping[str, float] | None = None,
) -> CostEstimate:
    """Billed tokens (each example capped at the model's limit) × epochs × the price."""
    lengths = list(example_tokens)
    cap = token_limit(model, limits)
    _, exact = encoding_for(model)
    return CostEstimate(
        model=model,
        billed_tokens_per_epoch=sum(min(cap, n) for n in lengths),
        epochs=epochs if epochs is not None else default_epochs(len(lengths)),
        price_per_million=training_price(model, prices),
        exact_tokens=exact,
    )
