"""Prompt/completion lines → chat lines (the seed project's hand conversion, done right).

The seed's website produced ``{"prompt", "completion"}`` lines and the chat format had to be
typed by hand. Here every line is converted; a line that is not JSON, or lacks ``prompt`` or
``completion``, is named ``FILE:LINE`` and the conversion goes on, so one bad row does not hide
the next. Nothing is written when any line failed (a training file missing rows is worse than
none); the caller gets every reason at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from examkit.errors import UserInputError
from examkit.files import sha256_file
from export.formats import chat_example, read_jsonl, write_jsonl
from export.validate import Options, Report, validate_examples

if TYPE_CHECKING:
    from examkit.workspace import Workspace


@dataclass
class Conversion:
    examples: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def convert_lines(path: str | Path, *, system: str | None = None) -> Conversion:
    """Read a prompt/completion JSONL file as chat examples (``system`` prepended when given)."""
    result = Conversion()
    for item in read_jsonl(path):
        where = f"{path}:{item.line}"
        if item.error is not None:
            result.failures.append(f"{where}: {item.error}")
            continue
        value = item.value
        if isinstance(value, dict) and "messages" in value:
            result.failures.append(f"{where}: already a chat line (has `messages`)")
            continue
        if not isinstance(value, dict):
            result.failures.append(f"{where}: expected an object with prompt and completion")
            continue
        missing = [k for k in ("prompt", "completion") if not isinstance(value.get(k), str)]
        if missing:
            result.failures.append(f"{where}: no text in {' and '.join(missing)}")
            continue
        result.examples.append(chat_example(system, value["prompt"], value["completion"]))
    return result


@dataclass
class Written:
    """A converted file that was validated and written."""

    source: Path
    path: Path
    report: Report

    def record(self, ws: Workspace) -> None:
        summary = {k: v for k, v in self.report.summary().items() if k != "problems"}
        ws.runs.record_export(str(self.path.resolve()), "chat", self.report.n_examples, sha256_file(self.path),
                              {"validation": summary, "converted_from": str(self.source.resolve())})


def write_converted(
    source: Path, target: Path, *, options: Options, system: str | None = None, force: bool = False
) -> Written:
    """Convert, validate, and write ``target``; nothing is written when a line failed or validation did."""
    conversion = convert_lines(source, system=system)
    if conversion.failures:
        raise UserInputError(
            f"{len(conversion.failures)} line(s) cannot be converted: " + "; ".join(conversion.failures[:10]),
            advice="Nothing written; fix those lines and convert again.",
        )
    report = validate_examples(conversion.examples, str(target), options)
    if report.has_errors and not force:
        errors = report.errors()
        raise UserInputError(
            f"nothing written, {len(errors)} validation error(s): "
            + "; ".join(f"{p.where()}: {p.code}: {p.message}" for p in errors[:5]),
            advice="Fix the input, or pass --force to write anyway.",
        )
    write_jsonl(target, conversion.examples)
    return Written(Path(source), Path(target), report)
