"""Bookkeeping of exports, uploads, training jobs and cached model answers.

Uploads are remembered per content hash and endpoint so the same file is never uploaded twice;
jobs (OpenAI jobs and local runs alike) are remembered so ``train status`` without an id means
the newest; the cache keeps model answers so a re-score costs nothing. A job's texts come from a
service (its error, model names, the endpoint) and are stored with the API key masked.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from examkit.clock import now
from examkit.errors import NotFoundError
from examkit.service_messages import redact, redact_data

if TYPE_CHECKING:
    from examkit.workspace import Workspace


class JobRecord(BaseModel):
    id: str
    backend: str
    model: str
    status: str
    result_model: str | None = None
    data: dict[str, Any] = {}
    created_at: str
    updated_at: str


class Runs:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    # -- uploads ----------------------------------------------------------------------------
    def find_upload(self, content_hash: str, endpoint: str) -> str | None:
        """The file id this content was uploaded as to ``endpoint`` before, if any."""
        row = self.ws.db.execute(
            "SELECT file_id FROM uploads WHERE content_hash = ? AND endpoint = ?", (content_hash, endpoint)
        ).fetchone()
        return row[0] if row else None

    def record_upload(self, content_hash: str, endpoint: str, file_id: str, filename: str) -> None:
        with self.ws.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO uploads (content_hash, endpoint, file_id, filename, created_at) VALUES (?, ?, ?, ?, ?)",
                (content_hash, endpoint, file_id, filename, now()),
            )

    # -- jobs -------------------------------------------------------------------------------
    def save_job(
        self,
        job_id: str,
        *,
        backend: str,
        model: str,
        status: str,
        result_model: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> JobRecord:
        """Insert a job or update its status (jobs are machine state, not a person's writing)."""
        stamp = now()
        model, status, data = redact(model), redact(status), redact_data(data or {})
        result_model = redact(result_model) if result_model else None
        with self.ws.transaction() as db:
            db.execute(
                """INSERT INTO jobs (id, backend, model, status, result_model, data, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET status=excluded.status,
                     result_model=COALESCE(excluded.result_model, jobs.result_model),
                     data=excluded.data, updated_at=excluded.updated_at""",
                (job_id, backend, model, status, result_model, json.dumps(data, ensure_ascii=False), stamp, stamp),
            )
        return self.job(job_id)

    def job(self, job_id: str | None = None) -> JobRecord:
        """A job by id, or the newest one when ``job_id`` is None."""
        if job_id is None:
            row = self.ws.db.execute("SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT 1").fetchone()
            if row is None:
                raise NotFoundError("no training job in this workspace yet", advice="Start one with `examkit train start`.")
        else:
            row = self.ws.db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no job {job_id!r} in this workspace", advice="See `examkit train list`.")
        return _job(row)

    def jobs(self) -> list[JobRecord]:
        return [_job(r) for r in self.ws.db.execute("SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC")]

    # -- exports ----------------------------------------------------------------------------
    def record_export(self, path: str, fmt: str, n_records: int, sha256: str, data: dict[str, Any] | None = None) -> None:
        with self.ws.transaction() as db:
            db.execute(
                "INSERT INTO exports (path, format, n_records, sha256, data, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (path, fmt, n_records, sha256, json.dumps(data or {}, ensure_ascii=False), now()),
            )

    def exports(self) -> list[dict[str, Any]]:
        rows = self.ws.db.execute("SELECT * FROM exports ORDER BY id")
        return [{**dict(r), "data": json.loads(r["data"])} for r in rows]

    # -- cache ------------------------------------------------------------------------------
    def cache_get(self, namespace: str, key: str) -> Any | None:
        row = self.ws.db.execute("SELECT value FROM cache WHERE namespace = ? AND key = ?", (namespace, key)).fetchone()
        return json.loads(row[0]) if row else None

    def cache_put(self, namespace: str, key: str, value: Any) -> None:
        with self.ws.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO cache (namespace, key, value, created_at) VALUES (?, ?, ?, ?)",
                (namespace, key, json.dumps(value, ensure_ascii=False), now()),
            )


def _job(row) -> JobRecord:
    data = dict(row)
    data["data"] = json.loads(data["data"])
    return JobRecord(**data)
