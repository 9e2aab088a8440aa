"""Checks a training file before anyone pays for it: format, content, tokens, cost.

The format checks are those of OpenAI's chat fine-tuning data-preparation guide (types, keys,
roles, empty content, a missing assistant message, ``weight``), plus OpenAI's minimum of 10
examples; the content checks are this project's: duplicates, the Fehleranalyse audit of every
assistant message, a consistent stop marker, names left in the text. Tokens are counted exactly
(:mod:`examkit.tokens`) and compared with the model's per-example limit; the summary says what a
training run would bill. A line that is not JSON is named ``FILE:LINE`` and the rest still checked.

The audit is handed in as a function (:data:`AuditFn`), so validation does not need a workspace
and a test can pass its own.

A file's role matters: the minimum of 10 examples and the cost bind the training file only; a
validation file (``--split`` writes one) is evaluated, not trained on, so it needs one example
and costs nothing here.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from examkit import openai_finetuning as finetuning
from examkit import tokens
from examkit.models import STOP_MARKER
from export.formats import JsonLine, read_jsonl

Severity = Literal["error", "warning"]
Role = Literal["training", "validation", "sheet"]
ROLES = ("system", "user", "assistant", "tool", "function")
MESSAGE_KEYS = ("role", "content", "name", "function_call", "tool_calls", "tool_call_id", "weight")
#: A filled-in name field: ``Name: Anna Müller``. A blank form field (``Name: ____``) or a printed
#: header whose next field follows (``Name: Bearbeitungszeit: 135 Minuten``) is no name.
NAME_LINE = re.compile(
    r"^[ \t]*(Name|Vorname|Nachname|Schüler(?:in)?|Schueler(?:in)?)[ \t]*:[ \t]*"
    r"([A-ZÄÖÜ][\w\-]+(?:[ \t]+[A-ZÄÖÜ][\w\-]+)?)(?![\w\-]*[ \t]*:)",
    re.M,
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    code: str
    severity: Severity
    message: str

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "code": self.code, "severity": self.severity, "message": self.message}


class AuditProblem(Protocol):
    code: str
    severity: str
    message: str


#: ``audit(assistant_text, student_text, record) -> problems`` (annotate's audit, adapted).
AuditFn = Callable[[str, "str | None", int], Iterable[AuditProblem]]
#: ``find_names(text) -> names found`` (a roster's names, see :mod:`export.privacy`).
NameFinder = Callable[[str], Iterable[str]]


@dataclass
class Options:
    model: str = "gpt-4o-mini-2024-07-18"
    stop_marker: str = STOP_MARKER
    audit: AuditFn | None = None
    find_names: NameFinder | None = None
    min_examples: int = finetuning.MIN_EXAMPLES
    epochs: int | None = None
    token_limits: Mapping[str, int] = field(default_factory=dict)
    prices: Mapping[str, float] = field(default_factory=dict)
    role: Role = "training"


@dataclass
class Report:
    file: str
    model: str
    encoding: str
    exact_tokens: bool
    token_counts: list[int]
    token_limit: int
    cost: finetuning.CostEstimate
    problems: list[Problem]
    lines: list[int] = field(default_factory=list)
    role: Role = "training"
    #: records with text nobody confirmed, from the export manifest (None: not known)
    ocr_only: int | None = None

    @property
    def billed(self) -> bool:
        """Whether training bills this file's tokens (a validation file's are not)."""
        return self.role == "training"

    @property
    def n_examples(self) -> int:
        return len(self.token_counts)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self) -> dict[str, Any]:
        counts = self.token_counts
        billed = self.billed
        return {
            "file": self.file,
            "role": self.role,
            "model": self.model,
            "encoding": self.encoding,
            "exact_tokens": self.exact_tokens,
            "n_examples": self.n_examples,
            "total_tokens": sum(counts),
            "min_tokens": min(counts, default=0),
            "median_tokens": statistics.median(counts) if counts else 0,
            "max_tokens": max(counts, default=0),
            "token_limit": self.token_limit,
            "billed_tokens_per_epoch": self.cost.billed_tokens_per_epoch if billed else 0,
            "epochs": self.cost.epochs if billed else 0,
            "billed_tokens": self.cost.billed_tokens if billed else 0,
            "price_per_million_usd": self.cost.price_per_million,
            "prices_date": finetuning.PRICES_DATE,
            "cost_usd": (round(self.cost.usd, 4) if self.cost.usd is not None else None) if billed else 0.0,
            "ocr_only_records": self.ocr_only,
            "ocr_only_share": round(self.ocr_only / max(1, self.n_examples), 4) if self.ocr_only is not None else None,
            "errors": len(self.errors()),
            "warnings": len(self.problems) - len(self.errors()),
            "ok": not self.has_errors,
            "problems": [p.to_dict() for p in self.problems],
        }

    def summary_lines(self) -> list[str]:
        """The summary for people (stderr); the cost only for a training file (a validation
        file's examples are evaluated, not trained on)."""
        s = self.summary()
        kind = "exact" if self.exact_tokens else f"ESTIMATE: {self.model} does not use {self.encoding}, or its file is missing"
        price = s["price_per_million_usd"]
        price_text = (
            f"≈ ${s['cost_usd']:.2f} at ${price:.2f} per 1M training tokens (price list of {finetuning.PRICES_DATE}: check the current one)"
            if price is not None
            else f"unknown: no training price for {self.model} (set [export] training_prices)"
        )
        if not self.exact_tokens and price is not None:
            price_text = "estimate " + price_text
        lines = [
            f"{self.file}: {s['n_examples']} examples; tokens per example min {s['min_tokens']:,} / median "
            f"{s['median_tokens']:,} / max {s['max_tokens']:,} (limit {self.token_limit:,}; {self.encoding}, {kind})",
        ]
        if self.ocr_only is not None:
            share = 100 * self.ocr_only / max(1, s["n_examples"])
            lines.append(f"OCR-only text (pages nobody reviewed): {self.ocr_only} of {s['n_examples']} records ({share:.0f}%)")
        if self.billed:
            lines += [
                f"billed tokens: {s['billed_tokens_per_epoch']:,} per epoch × {s['epochs']} epochs = {s['billed_tokens']:,}",
                f"cost for {self.model}: {price_text}",
            ]
        return lines + [f"problems: {s['errors']} errors, {s['warnings']} warnings"]


# -- the guide's format checks ------------------------------------------------------------------
def format_problems(example: Any) -> list[tuple[str, Severity, str]]:
    """The data-preparation guide's checks of one example, as ``(code, severity, message)``."""
    if not isinstance(example, dict):
        return [("data-type", "error", f"an example must be a JSON object, not {type(example).__name__}")]
    messages = example.get("messages")
    if not messages or not isinstance(messages, list):
        return [("missing-messages", "error", "no `messages` list")]
    found: list[tuple[str, Severity, str]] = []
    for i, message in enumerate(messages, start=1):
        if not isinstance(message, dict):
            found.append(("data-type", "error", f"message {i} must be an object"))
            continue
        if "role" not in message or "content" not in message:
            missing = [k for k in ("role", "content") if k not in message]
            found.append(("message-missing-key", "error", f"message {i} has no {' or '.join(missing)}"))
        unknown = [k for k in message if k not in MESSAGE_KEYS]
        if unknown:
            found.append(("message-unrecognized-key", "error", f"message {i} has unknown key(s) {', '.join(unknown)}"))
        role = message.get("role")
        if role not in ROLES:
            found.append(("unrecognized-role", "error", f"message {i} has role {role!r} (allowed: {', '.join(ROLES)})"))
        content = message.get("content")
        calls = message.get("function_call") or message.get("tool_calls")
        if (not content and not calls) or (content is not None and not isinstance(content, str)) or (content is None and not calls):
            code = "missing-assistant" if role == "assistant" else "missing-content"
            found.append((code, "error", f"message {i} ({role}) has empty or non-text content"))
        if "weight" in message:
            weight = message["weight"]
            if role != "assistant":
                found.append(("bad-weight", "error", f"message {i}: `weight` is only allowed on assistant messages"))
            elif isinstance(weight, bool) or weight not in (0, 1):
                found.append(("bad-weight", "error", f"message {i}: `weight` must be 0 or 1, not {weight!r}"))
    roles = [m.get("role") for m in messages if isinstance(m, dict)]
    if "assistant" not in roles:
        found.append(("missing-assistant", "error", "no assistant message (the answer to learn)"))
    elif roles[-1] != "assistant":
        found.append(("last-not-assistant", "warning", "the last message is not the assistant's"))
    if "user" not in roles:
        found.append(("missing-user", "warning", "no user message"))
    if "system" not in roles:
        found.append(("missing-system", "warning", "no system message"))
    return found


def _as_chat(value: Any) -> tuple[Any, bool]:
    """A prompt/completion line as a chat example (for the same checks); ``True`` if it was one."""
    if isinstance(value, dict) and "messages" not in value and ("prompt" in value or "completion" in value):
        prompt, completion = value.get("prompt"), value.get("completion")
        return {"messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": completion}]}, True
    return value, False


# -- the whole file ---------------------------------------------------------------------------------
def validate_lines(items: Iterable[JsonLine], file: str, options: Options) -> Report:
    """Validate parsed JSONL lines (see :func:`validate_file`)."""
    problems: list[Problem] = []

    def add(line: int | None, code: str, severity: Severity, message: str) -> None:
        problems.append(Problem(file, line, code, severity, message))

    good: list[tuple[int, list[dict[str, Any]]]] = []
    legacy = 0
    for item in items:
        if item.error is not None:
            add(item.line, "not-json", "error", item.error)
            continue
        example, was_legacy = _as_chat(item.value)
        legacy += was_legacy
        found = format_problems(example)
        if was_legacy:
            found = [f for f in found if f[0] != "missing-system"]
        for code, severity, message in found:
            add(item.line, code, severity, message)
        if not any(sev == "error" for _, sev, _ in found):
            good.append((item.line, example["messages"]))
    if legacy:
        add(None, "legacy-format", "warning",
            f"{legacy} prompt/completion lines: chat models train on chat lines (`examkit export convert`)")
    with ThreadPoolExecutor(max_workers=1) as pool:  # tiktoken encodes without the GIL: beside the audit
        counting = pool.submit(tokens.count_chat_tokens_many, [list(m) for _, m in good], options.model)
        _content_checks(good, options, add)
        counts = counting.result()
    limit = finetuning.token_limit(options.model, options.token_limits)
    for (line, _), n in zip(good, counts):
        if n > limit:
            add(line, "too-long", "error", f"{n:,} tokens, more than the {limit:,} {options.model} trains on")
    n_all = len(good) + sum(1 for p in problems if p.code == "not-json")
    if n_all < options.min_examples:
        add(None, "too-few-examples", "error", f"{n_all} examples; fine-tuning needs at least {options.min_examples}")
    encoding, exact = tokens.encoding_for(options.model)
    cost = finetuning.estimate_cost(counts, options.model, epochs=options.epochs, limits=options.token_limits, prices=options.prices)
    problems.sort(key=lambda p: (p.line is not None, p.line or 0))
    return Report(file, options.model, encoding, exact, counts, limit, cost, problems, [line for line, _ in good],
                  role=options.role)


def _content_checks(good: list[tuple[int, list[dict[str, Any]]]], options: Options, add: Callable[..., None]) -> None:
    seen: dict[Any, int] = {}
    prompts: dict[Any, tuple[int, str]] = {}
    marker = options.stop_marker
    with_marker = sum(1 for _, m in good if marker and _assistant(m).rstrip().endswith(marker))
    if marker and good and not with_marker:
        add(None, "stop-marker-missing", "warning", f"no assistant message ends with the stop marker {marker!r}")
    for line, messages in good:
        key = _key(messages)
        if key in seen:
            add(line, "duplicate", "warning", f"the same example as line {seen[key]}")
        else:
            seen[key] = line
        answer = _assistant(messages)
        context = _key([m for m in messages if m.get("role") != "assistant"])
        if context in prompts and prompts[context][1] != answer:
            add(line, "conflicting", "warning", f"the same prompt as line {prompts[context][0]} with another answer")
        prompts.setdefault(context, (line, answer))
        if marker:
            _marker_checks(line, answer, marker, with_marker, len(good), add)
        student = "\n".join(m["content"] for m in messages if m.get("role") == "user" and isinstance(m.get("content"), str))
        if options.audit is not None:
            for p in options.audit(answer, student or None, line):
                if p.code != "stop-marker-missing":
                    add(line, p.code, "error" if p.severity == "error" else "warning", p.message)
        _name_checks(line, messages, options.find_names, add)


def _key(messages: list[dict[str, Any]]) -> Any:
    """A hashable identity of messages (cheap for the usual plain-text messages)."""
    key = tuple(tuple(sorted(m.items())) for m in messages)
    try:
        hash(key)
        return key
    except TypeError:  # unhashable values (tool calls): fall back to their JSON
        return json.dumps(messages, sort_keys=True, ensure_ascii=False)


def _assistant(messages: list[dict[str, Any]]) -> str:
    """The last assistant message's text (what the model learns to write)."""
    for message in reversed(messages):
        if message.get("role") == "assistant" and isinstance(message.get("content"), str):
            return message["content"]
    return ""


def _marker_checks(line: int, answer: str, marker: str, with_marker: int, n: int, add: Callable[..., None]) -> None:
    stripped = answer.rstrip()
    if not stripped.endswith(marker):
        if with_marker:
            add(line, "stop-marker-inconsistent", "error",
                f"does not end with {marker!r} like {with_marker} of {n} examples; the model would not learn where to stop")
    elif stripped != answer:
        add(line, "stop-marker-trailing", "warning", f"text after {marker!r} (whitespace): the answer should end with it")
    if answer.count(marker) > 1:
        add(line, "stop-marker-repeated", "warning", f"{marker!r} occurs {answer.count(marker)} times")


def _name_checks(line: int, messages: list[dict[str, Any]], find_names: NameFinder | None, add: Callable[..., None]) -> None:
    for message in messages:
        content = message.get("content")
        if not isinstance(content, str) or message.get("role") == "system":
            continue
        for match in NAME_LINE.finditer(content):
            add(line, "likely-name", "warning", f"{message['role']} message has a `{match.group(1)}:` line ({match.group(0).strip()[:60]!r})")
        if find_names is not None:
            names = sorted(set(find_names(content)))
            if names:
                add(line, "likely-name", "warning", f"{message['role']} message names {', '.join(names)} (from the roster)")


def validate_file(path: str | Path, options: Options) -> Report:
    """Validate a chat (or prompt/completion) JSONL file; never stops at a bad line."""
    return validate_lines(read_jsonl(path), str(path), options)


def validate_examples(examples: list[dict[str, Any]], name: str, options: Options) -> Report:
    """Validate examples about to be written (line numbers are the lines they will have)."""
    return validate_lines((JsonLine(i, value=e) for i, e in enumerate(examples, start=1)), name, options)
