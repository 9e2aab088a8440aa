"""Where audited texts come from: loose ``.txt`` files, training ``.jsonl``, ``.csv``, folders.

Training files are what ends up at the fine-tuning service, so the audit reads them the way it
does: a chat record's last assistant message is the analysis and its user messages the student's
answer; a prompt/completion record the same with its two fields. One bad line must not hide the
other 9,999, so a line that is not JSON becomes a ``not-parsed`` record naming the line and the
audit goes on; in a folder, a file that cannot be audited at all becomes one such record too. Spreadsheet exports from Windows are often cp1252: read with a warning.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotate.audit import AuditRecord, audit_text, problem
from annotate.textfiles import read_text
from examkit.errors import InputFileError, UserInputError

SUFFIXES = (".txt", ".jsonl", ".csv")


def _content(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):  # content parts
        return "\n".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return content if isinstance(content, str) else ""


def split_record(data: Any) -> tuple[str | None, str | None, str]:
    """A training record → (assistant answer, student side, whole text for counting tokens).

    Raises ``ValueError`` when the record is neither chat (``messages``) nor prompt/completion.
    """
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        messages = [m for m in data["messages"] if isinstance(m, dict)]
        answers = [_content(m) for m in messages if m.get("role") == "assistant"]
        user = "\n".join(_content(m) for m in messages if m.get("role") == "user")
        whole = "\n".join(_content(m) for m in messages)
        return (answers[-1] if answers else None), user, whole
    if isinstance(data, dict) and ("prompt" in data or "completion" in data):
        prompt = data.get("prompt") if isinstance(data.get("prompt"), str) else ""
        completion = data.get("completion") if isinstance(data.get("completion"), str) else None
        return completion, prompt, f"{prompt}\n{completion or ''}"
    raise ValueError("neither a chat record (`messages`) nor prompt/completion")


def _json_line(line: str) -> Any:
    """One JSONL record; JSON too deep or a number too long for Python to read is a ``ValueError``."""
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        raise
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    except ValueError as exc:  # a whole number of more than 4,300 digits
        raise ValueError("a number with thousands of digits") from exc


def _jsonl(path: Path, audit: Callable[..., AuditRecord], on_warning) -> Iterator[AuditRecord]:
    for number, line in enumerate(read_text(path, on_warning).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            answer, student, whole = split_record(_json_line(line))
        except (json.JSONDecodeError, ValueError) as exc:
            reason = f"line {number} is not JSON ({exc.msg})" if isinstance(exc, json.JSONDecodeError) else f"line {number}: {exc}"
            yield AuditRecord(source=str(path), record=number, parsed=False, problems=[problem("not-parsed", reason=reason)])
            continue
        yield audit(answer, student_text=student, source=str(path), record=number, record_text=whole)


def _csv(path: Path, audit: Callable[..., AuditRecord], on_warning) -> Iterator[AuditRecord]:
    text = read_text(path, on_warning)
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)  # German Excel writes `;`
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if "completion" not in header:
        raise InputFileError(path, f"no `completion` column (columns: {', '.join(header) or 'none'})",
                             advice="Name the columns `prompt` and `completion`.")
    answer_col, prompt_col = header.index("completion"), header.index("prompt") if "prompt" in header else None
    start = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            answer = row[answer_col] if answer_col < len(row) else None
            prompt = row[prompt_col] if prompt_col is not None and prompt_col < len(row) else None
            yield audit(answer, student_text=prompt, source=str(path), record=start,
                        record_text=f"{prompt or ''}\n{answer or ''}")
        start = reader.line_num + 1


def _looks_like_analysis(path: Path) -> bool:
    """In a folder, a ``.txt`` is an analysis when its name says so (``x.fehleranalyse.txt``) or it
    begins with a (possibly misspelt) ``Fehleranalyse`` heading. Exam folders also hold task sheets and
    typed answers as ``.txt``; auditing those would only report noise."""
    if path.name.lower().endswith(".fehleranalyse.txt"):
        return True
    from rapidfuzz import fuzz

    with path.open("rb") as fh:
        head = fh.read(200).decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n").lower()
    first = head.split(maxsplit=1)[0].rstrip(":") if head.strip() else ""
    return fuzz.ratio(first, "fehleranalyse") >= 80


def _files(path: Path, on_warning: Callable[[str], None] | None = None) -> list[Path]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        texts = [p for p in found if p.suffix.lower() == ".txt" and not _looks_like_analysis(p)]
        if texts and on_warning:
            on_warning(f"{path}: skipped {len(texts)} .txt files that are not analyses (task sheets, typed answers); "
                       "name a file explicitly to audit it anyway")
        return [p for p in found if p not in texts]
    if not path.exists():
        raise InputFileError(path, "no such file or folder")
    return [path]


def audit_path(
    path: Path,
    *,
    on_warning: Callable[[str], None] | None = None,
    **options: Any,
) -> list[AuditRecord]:
    """Audit a file, or every ``.jsonl``/``.csv`` and analysis ``.txt`` under a folder; ``options``
    go to :func:`audit_text`."""

    def audit(text: str | None, **kw: Any) -> AuditRecord:
        return audit_text(text, **options, **kw)

    records: list[AuditRecord] = []
    for file in _files(Path(path), on_warning):
        suffix = file.suffix.lower()
        done = len(records)
        try:
            if suffix == ".jsonl":
                records.extend(_jsonl(file, audit, on_warning))
            elif suffix == ".csv":
                records.extend(_csv(file, audit, on_warning))
            else:
                records.append(audit(read_text(file, on_warning), source=str(file), record=1))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others; it is reported
            if isinstance(exc, UserInputError):
                reason = exc.reason if isinstance(exc, InputFileError) else exc.message
            else:
                reason = f"cannot be audited ({type(exc).__name__}: {exc})"
            records.append(AuditRecord(source=str(file), record=len(records) - done + 1, parsed=False,
                                       problems=[problem("not-parsed", reason=reason)]))
    return records
