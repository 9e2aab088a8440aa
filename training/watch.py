"""Follow a job until it ends: poll with backoff, report new events and the training metrics.

Instead of waiting for OpenAI's e-mail, ``train watch`` prints each new event once and a progress
line whenever a metrics event arrives (step, train loss, validation loss). Polling starts fast and
slows down while nothing happens (``interval`` × ``factor`` up to ``max_interval``), and is fast
again as soon as something new arrives. Works with any :class:`training.backend.Backend`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from examkit.errors import ServiceError
from examkit.runs import JobRecord
from training.backend import Backend, JobEvent

TERMINAL = ("succeeded", "failed", "cancelled")


@dataclass(frozen=True)
class Backoff:
    interval: float = 5.0
    factor: float = 1.5
    max_interval: float = 60.0

    def next(self, current: float, news: bool) -> float:
        return self.interval if news else min(self.max_interval, current * self.factor)


def progress_line(event: JobEvent) -> str:
    """``step 12  train loss 0.512  valid loss 0.601`` from a metrics event."""
    parts = [f"step {event.step}"]
    if event.train_loss is not None:
        parts.append(f"train loss {event.train_loss:.4f}")
    if event.valid_loss is not None:
        parts.append(f"valid loss {event.valid_loss:.4f}")
    return "  ".join(parts)


def event_line(event: JobEvent) -> str:
    if event.step is not None:
        return progress_line(event)
    return event.message if event.level == "info" else f"{event.level}: {event.message}"


def _key(event: JobEvent) -> tuple[str, str, int | None]:
    return (event.created_at, event.message, event.step)


def watch(backend: Backend, job_id: str, *, report: Callable[[str], None], backoff: Backoff = Backoff(),
          sleep: Callable[[float], None] = time.sleep) -> JobRecord:
    """Poll until the job reaches a terminal state; ``report`` gets each line for people."""
    seen: set[tuple[str, str, int | None]] = set()
    status = ""
    delay = backoff.interval
    while True:
        job = backend.status(job_id)
        news = False
        for event in backend.events(job_id):
            if _key(event) not in seen:
                seen.add(_key(event))
                report(event_line(event))
                news = True
        if job.status != status:
            report(f"status: {job.status}")
            status, news = job.status, True
        if job.status in TERMINAL:
            return job
        delay = backoff.next(delay, news)
        sleep(delay)


def outcome(job: JobRecord) -> str:
    """The line that ends a watch: the tuned model's name, or raise with the service's reason."""
    if job.status == "succeeded":
        return job.result_model or job.id
    error = job.data.get("error")
    reason = error.get("message") if isinstance(error, dict) else error
    if job.status == "cancelled":
        raise ServiceError(f"job {job.id} was cancelled" + (f": {reason}" if reason else ""))
    raise ServiceError(f"job {job.id} failed: {reason or 'the service gave no reason'}",
                       advice="Fix the cause and start a new job (examkit train start).")
