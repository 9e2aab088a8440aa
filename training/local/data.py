"""Training files read into the conversational prompt/completion form TRL trains on.

Chat lines (``{"messages": [...]}``, what ``examkit export chat`` writes) become a prompt (every
message before the last) and a completion (the last, the assistant's analysis); legacy
prompt/completion lines become a user message and an assistant message. Kept in this form, TRL
renders both with the base model's own chat template and computes the loss on the completion
alone: the model learns to write the analysis, not to repeat the student's text. Only the last
assistant turn of a multi-turn record is trained on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from examkit.errors import InputFileError
from examkit.files import sha256_file

Message = dict[str, str]
ROLES = {"system", "user", "assistant"}


@dataclass(frozen=True)
class Record:
    """One training example: 1-based line number, the prompt messages and the answer message."""

    line: int
    prompt: list[Message]
    completion: list[Message]

    def as_row(self) -> dict[str, Any]:
        return {"prompt": self.prompt, "completion": self.completion}


def read_records(path: Path) -> list[Record]:
    """Every record of a chat or prompt/completion JSONL file; the first bad line raises.

    The error names the file and line and how many other lines are bad too, so one run of
    ``examkit export validate`` can show them all.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFileError(path, f"cannot read ({exc.strerror})") from exc
    records: list[Record] = []
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append((number, f"not valid UTF-8 JSON ({exc})"))
            continue
        try:
            records.append(_record(number, value))
        except ValueError as exc:
            problems.append((number, str(exc)))
    if problems:
        first, reason = problems[0]
        more = f" ({len(problems) - 1} more bad lines)" if len(problems) > 1 else ""
        raise InputFileError(path, reason + more, line=first, advice=f"Check the file with `examkit export validate {path}`.")
    if not records:
        raise InputFileError(path, "holds no training records", advice="Export some with `examkit export chat`.")
    return records


def _record(number: int, value: Any) -> Record:
    if not isinstance(value, dict):
        raise ValueError("a line must be a JSON object")
    if "messages" in value:
        messages = value["messages"]
        if not isinstance(messages, list) or len(messages) < 2:
            raise ValueError('"messages" must list at least a user and an assistant message')
        clean = [_message(m) for m in messages]
        if clean[-1]["role"] != "assistant":
            raise ValueError("the last message must be the assistant's answer")
        return Record(number, clean[:-1], clean[-1:])
    prompt, completion = value.get("prompt"), value.get("completion")
    if isinstance(prompt, str) and isinstance(completion, str) and completion.strip():
        return Record(number, [{"role": "user", "content": prompt}], [{"role": "assistant", "content": completion}])
    raise ValueError('expected {"messages": [...]} or {"prompt": "...", "completion": "..."}')


def _message(message: Any) -> Message:
    if not isinstance(message, dict) or message.get("role") not in ROLES or not isinstance(message.get("content"), str):
        raise ValueError('each message needs "role" (system, user or assistant) and "content" (text)')
    return {"role": message["role"], "content": message["content"]}


def describe(path: Path, records: list[Record]) -> dict[str, Any]:
    """What run.json keeps about a data file: where it was, its content hash, its size."""
    return {"path": str(Path(path).resolve()), "sha256": sha256_file(path), "records": len(records)}
