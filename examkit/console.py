"""Where output goes: data to stdout, everything meant for people to stderr.

``examkit ... --json | jq`` must always work, so progress, warnings and notes never touch stdout.
Progress bars appear only on a terminal; in CI and pipes long work reports plain lines instead.
Everything printed passes :func:`examkit.service_messages.redact`: a service's text (an error, a
job's event, a model name) may echo the API key, and examkit never prints it.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from examkit.i18n import _
from examkit.service_messages import redact

T = TypeVar("T")

#: For people: notes, warnings, progress, tables shown on a terminal.
err = Console(stderr=True, highlight=False)


#: Characters that would break a line or reorder what is shown: controls, line and paragraph
#: separators, and the bidirectional overrides that can make ``exe.pdf`` look like ``fdp.exe``.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character :func:`shown` escapes (a file name with a line break...)."""
    return bool(_UNPRINTABLE.search(text))


def shown(text: object) -> str:
    """``text`` (a file name, a path) for one line of output: control characters escaped as ``\\n``,
    ``\\x07``, ``\\u202e``, so a name with a line break never splits its message."""
    return _UNPRINTABLE.sub(_escape, str(text))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\n\r\t":
        return repr(char)[1:-1]
    return f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"


def out(text: str) -> None:
    """Write data to stdout, exactly as given plus a newline (an API key masked)."""
    text = redact(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def out_json(data: Any) -> None:
    """Write one JSON document to stdout (UTF-8, not ASCII-escaped, indented for humans)."""
    out(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    """A warning line on stderr."""
    labelled(_("warning:"), "yellow", message)


def labelled(label: str, colour: str, message: str) -> None:
    """``label message`` on stderr, the label coloured. The message is printed as it is: file names
    and service messages may contain ``[...]``, which must never be read as markup."""
    err.print(Text(label, style=colour), Text(redact(message)), highlight=False, soft_wrap=True)


def note(message: str) -> None:
    """An informational line on stderr."""
    err.print(redact(message), markup=False, highlight=False, soft_wrap=True)


class _Rate(ProgressColumn):
    """Items per second, in the unit the caller names ("2.1 pages/s")."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.2f} {task.fields.get('unit', 'items')}/s" if task.speed else "")


def progress(items: Iterable[T], *, total: int | None = None, description: str = "", unit: str = "items") -> Iterator[T]:
    """Iterate over ``items`` with a progress bar (rate, time left) on a terminal, and plain lines elsewhere.

    Off a terminal it prints ``description: i/total (rate, time left)`` about ten times in all, so
    logs stay short.
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    if err.is_terminal:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), _Rate(),
                   TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(description, total=total, unit=unit)
            for item in items:
                yield item
                bar.advance(task)
        return
    step = max(1, (total or 10) // 10)
    done = 0
    started = time.monotonic()
    for item in items:
        yield item
        done += 1
        if description and (done % step == 0 or done == total):
            note(f"{description}: {done}/{total if total is not None else '?'}{_pace(done, total, started, unit)}")


def _pace(done: int, total: int | None, started: float, unit: str) -> str:
    """`` (2.10 pages/s, about 3 min left)`` for a plain progress line."""
    seconds = max(time.monotonic() - started, 1e-9)
    rate = done / seconds
    if total is None or done >= total:
        return f" ({rate:.2f} {unit}/s)"
    left = (total - done) / rate
    when = f"{left:.0f} s" if left < 90 else f"{left / 60:.0f} min" if left < 5400 else f"{left / 3600:.1f} h"
    return f" ({rate:.2f} {unit}/s, about {when} left)"
