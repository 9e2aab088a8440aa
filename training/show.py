"""How ``examkit train`` shows jobs, plans and evaluation reports as text (``--json`` prints the data)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from examkit.runs import JobRecord
from training.scoring import METRICS
from training.start import Plan


def job_lines(job: JobRecord) -> list[str]:
    lines = [f"job       {job.id}", f"backend   {job.backend}", f"model     {job.model}", f"status    {job.status}"]
    if job.result_model:
        lines.append(f"result    {job.result_model}")
    error = job.data.get("error")
    if error:
        lines.append(f"error     {error.get('message') if isinstance(error, dict) else error}")
    if job.data.get("endpoint"):
        lines.append(f"endpoint  {job.data['endpoint']}")
    lines += [f"created   {job.created_at}", f"updated   {job.updated_at}"]
    return lines


def jobs_table(jobs: list[JobRecord]) -> list[str]:
    rows = [("JOB", "BACKEND", "STATUS", "MODEL", "RESULT", "CREATED")]
    rows += [(j.id, j.backend, j.status, j.model, j.result_model or "", j.created_at) for j in jobs]
    return _table(rows)


def plan_lines(plan: Plan) -> list[str]:
    lines = [f"backend    {plan.backend}" + (f" at {plan.endpoint}" if plan.endpoint else ""), f"model      {plan.model}"]
    for f in plan.files:
        upload = f"already uploaded as {f.file_id}" if f.file_id else "would be uploaded"
        if plan.endpoint is None:  # the backend sends nothing anywhere
            upload = "read locally"
        lines.append(f"{f.role:<11}{f.path}: {f.examples} examples, {f.tokens:,} tokens, sha256 {f.sha256[:16]}…, {upload}")
    lines += [f"cost       {line}" for line in plan.cost.get("lines", [])] or [f"cost       {plan.cost.get('note', '')}"]
    lines.append("request    " + json.dumps(plan.request, ensure_ascii=False, indent=2).replace("\n", "\n           "))
    lines.append("(dry run: nothing was sent)")
    return lines


def metrics_only(report: dict[str, Any]) -> dict[str, Any]:
    """Exactly the keys ``train eval --json`` promises."""
    return {key: report[key] for key in (*METRICS, "items")}


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f} %" if percent else f"{value:.2f}"


def _eval_rows(reports: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    rows = [("metric", *[r["model"] for r in reports]), ("records", *[str(r["n"]) for r in reports])]
    for key, label, pct in (("parsed_rate", "parsed", True), ("total_points_mae", "total points MAE", False),
                            ("percent_mae", "percent MAE", False), ("grade_exact_rate", "grade exact", True),
                            ("task_points_mae", "task points MAE", False), ("quote_recall", "quote recall", True)):
        rows.append((label, *[_fmt(r[key], pct) for r in reports]))
    return rows


def eval_table(reports: list[dict[str, Any]]) -> list[str]:
    """Models side by side, one row per metric."""
    return _table(_eval_rows(reports))


def eval_markdown(reports: list[dict[str, Any]]) -> str:
    rows = _eval_rows(reports)
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]]) + "\n"


def _table(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
