"""Timestamps stored in the workspace: UTC, ISO 8601, microseconds, so they sort as text."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
