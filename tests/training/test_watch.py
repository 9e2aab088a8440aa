"""``training.watch`` with a scripted backend: backoff, events reported once, the outcome."""

from __future__ import annotations

import pytest

from examkit.errors import ServiceError
from examkit.runs import JobRecord
from training.backend import JobEvent
from training.watch import Backoff, outcome, watch


def record(status: str, **kw) -> JobRecord:
    return JobRecord(id="job-1", backend="stub", model="m", status=status, created_at="t", updated_at="t", **kw)


class Scripted:
    """Each poll returns the next status; events accumulate as the list says."""

    name = "stub"

    def __init__(self, script: list[tuple[str, list[JobEvent]]]) -> None:
        self.script = script
        self.polls = 0
        self.events_so_far: list[JobEvent] = []

    def status(self, job_id: str) -> JobRecord:
        status, new = self.script[min(self.polls, len(self.script) - 1)]
        self.polls += 1
        self.events_so_far += new
        return record(status, result_model="ft:m:done" if status == "succeeded" else None)

    def events(self, job_id: str):
        return iter(list(self.events_so_far))


def test_backoff_grows_while_quiet_and_resets_on_news():
    step = JobEvent(created_at="2", message="Step 1", step=1, train_loss=0.5, valid_loss=0.75)
    backend = Scripted([("queued", [JobEvent(created_at="1", message="created")]), ("queued", []), ("queued", []),
                        ("running", [step]), ("succeeded", [])])
    lines: list[str] = []
    sleeps: list[float] = []
    job = watch(backend, "job-1", report=lines.append, backoff=Backoff(1, 2, 3), sleep=sleeps.append)
    assert sleeps == [1, 2, 3, 1]
    assert lines == ["created", "status: queued", "step 1  train loss 0.5000  valid loss 0.7500", "status: running",
                     "status: succeeded"]
    assert outcome(job) == "ft:m:done"


def test_outcome_of_failed_and_cancelled_jobs():
    with pytest.raises(ServiceError, match="failed: bad line 3"):
        outcome(record("failed", data={"error": {"message": "bad line 3"}}))
    with pytest.raises(ServiceError, match="was cancelled"):
        outcome(record("cancelled"))
    with pytest.raises(ServiceError, match="killed"):  # the local backend keeps its error as text
        outcome(record("failed", data={"error": "the training process was killed"}))
