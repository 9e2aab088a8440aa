"""``train eval``: run a model on held-out records and score its answers against the teacher's.

Each record's system and user messages go to the model (temperature 0, the stop marker as stop
sequence); the record's assistant text is the reference. Answers are cached in the workspace by
(endpoint, model, messages, stop, max_tokens), so scoring again — after a parser fix, with another
scale — costs nothing. Requests run in a small thread pool; the SDK waits out 429s as the
service's ``retry-after`` says. A request that fails is reported and left out of the figures
(the command then exits 3); if the first requests all fail (no key, unknown model), it stops.
Scoring itself is :mod:`training.scoring`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotate.parse import AnalysisParseError, parse_text
from annotate.sheets import settings_from
from examkit.errors import ExamkitError, InputFileError
from examkit.service_client import DEFAULT_TIMEOUT
from export.formats import read_jsonl
from training.backend import Generator
from training.backends import endpoint_of, get_generator
from training.scoring import aggregate, score

if TYPE_CHECKING:
    from examkit.workspace import Workspace

CACHE_NAMESPACE = "eval-answers"
MAX_TOKENS = 2048
#: Stop when this many of the first requests failed and none succeeded.
GIVE_UP_AFTER = 3


@dataclass(frozen=True)
class EvalRecord:
    line: int
    prompt: list[dict[str, str]]
    reference: str


def load_records(path: Path) -> list[EvalRecord]:
    """Chat records: the messages before the last assistant message, and that message."""
    records = []
    for item in read_jsonl(path):
        if item.error:
            raise InputFileError(path, item.error, line=item.line)
        messages = item.value.get("messages") if isinstance(item.value, dict) else None
        if not isinstance(messages, list) or not messages or messages[-1].get("role") != "assistant":
            raise InputFileError(path, "not a chat record ending with an assistant message", line=item.line,
                                 advice="Use a file from `examkit export chat` (prompt/completion: `examkit export convert`).")
        prompt = [{"role": m["role"], "content": m["content"]} for m in messages[:-1] if m.get("role") != "assistant"]
        records.append(EvalRecord(item.line, prompt, messages[-1]["content"]))
    if not records:
        raise InputFileError(path, "no records", advice="Evaluate on a file from `examkit export chat --split`.")
    return records


def cache_key(endpoint: str, model: str, prompt: list[dict[str, str]], stop: str | None, max_tokens: int) -> str:
    blob = json.dumps([endpoint, model, prompt, stop, max_tokens], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def evaluate(
    ws: Workspace,
    generator: Generator,
    records: list[EvalRecord],
    *,
    model: str,
    endpoint: str,
    workers: int = 4,
    refresh: bool = False,
    on_answer: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """The report of ``training.scoring.aggregate`` plus ``failed`` (requests that failed) and ``cached``."""
    settings = settings_from(ws.config.analysis, ws.root)
    stop = settings.stop_marker
    answers: dict[int, str] = {}
    keys = {r.line: cache_key(endpoint, model, r.prompt, stop, MAX_TOKENS) for r in records}
    if not refresh:
        for r in records:
            hit = ws.runs.cache_get(CACHE_NAMESPACE, keys[r.line])
            if hit is not None:
                answers[r.line] = hit
    cached = len(answers)
    failed = _ask(ws, generator, [r for r in records if r.line not in answers], answers, keys, stop, workers, on_answer)
    items = []
    for r in records:
        if r.line not in answers:
            continue
        try:
            reference = parse_text(r.reference, stop_marker=stop)
        except AnalysisParseError as exc:
            failed[r.line] = f"the reference analysis is not readable: {exc.message}"
            continue
        item = score(answers[r.line], reference, scale=settings.scale, rounding=settings.rounding, stop_marker=stop)
        items.append({"record": r.line, **item, "answer_text": answers[r.line]})
    report = aggregate(items)
    return {**report, "failed": [{"record": line, "error": why} for line, why in sorted(failed.items())],
            "cached": cached, "model": model}


def _ask(ws: Workspace, generator: Generator, todo: list[EvalRecord], answers: dict[int, str], keys: dict[int, str],
         stop: str | None, workers: int, on_answer: Callable[[], None] | None) -> dict[int, str]:
    """Fill ``answers`` from the model; cache each as it arrives (SQLite stays in this thread)."""
    failed: dict[int, str] = {}
    if not todo:
        return failed
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="eval") as pool:
        pending: dict[Future[str], EvalRecord] = {
            pool.submit(generator.generate, r.prompt, stop=stop, max_tokens=MAX_TOKENS): r for r in todo}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                record = pending.pop(future)
                try:
                    answers[record.line] = future.result()
                except ExamkitError as exc:
                    failed[record.line] = exc.one_line()
                    if not answers and len(failed) >= min(GIVE_UP_AFTER, len(todo)):
                        for other in pending:
                            other.cancel()
                        raise exc
                    continue
                ws.runs.cache_put(CACHE_NAMESPACE, keys[record.line], answers[record.line])
                if on_answer:
                    on_answer()
    return failed


def evaluate_models(ws: Workspace, models: list[str], data: Path, *, backend: str | None = None,
                    base_url: str | None = None, workers: int = 4, refresh: bool = False,
                    timeout: float = DEFAULT_TIMEOUT, on_answer: Callable[[], None] | None = None) -> list[dict[str, Any]]:
    """One report per model, on the records of ``data`` (see :func:`evaluate`)."""
    records = load_records(data)
    endpoint = endpoint_of(ws, backend, base_url)
    reports = []
    for model in models:
        generator = get_generator(ws, model, backend, base_url=base_url, timeout=timeout)
        reports.append(evaluate(ws, generator, records, model=model, endpoint=endpoint, workers=workers,
                                refresh=refresh, on_answer=on_answer))
    return reports
