"""What the batch job endpoints send: a job's status, counts and links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from hermit.api.job_store import JobRecord


class JobModel(BaseModel):
    """A batch screening job. Times are ISO 8601 in UTC; counts grow while it runs."""

    id: str = Field(..., examples=["20261123-111500-3fa2c1"])
    status: str = Field(..., description="queued | running | done | failed")
    file_name: str = Field(..., description="The uploaded file's name", examples=["clients.csv"])
    created_at: str
    created_by: str = Field(..., description="The name of the API key that uploaded it")
    started_at: str | None = None
    finished_at: str | None = None
    input_format: str = Field(..., examples=["csv"])
    output_format: str = Field(..., examples=["csv"])
    limit: int = Field(..., description="Candidates per query at most")
    upload_bytes: int
    estimated_rows: int | None = Field(None, description="About how many rows the file has")
    rows_read: int = Field(0, description="Rows done so far (screened or rejected)")
    screened: int = 0
    rejected: int = Field(
        0, description="Rows not screened: no usable name, or unreadable (the rejects file)"
    )
    with_warnings: int = Field(
        0,
        description="Rows screened with a field set aside or read with an assumption "
        "(the results' warnings column)",
    )
    clear: int = Field(0, description="Rows screened where nothing reached the report floor")
    alerts: int = Field(0, description="Queries with at least one match not suppressed")
    matches: int = Field(0, description="(query, candidate) pairs at or above the threshold")
    candidates: int = Field(0, description="Result rows written")
    progress: float | None = Field(
        None, description="0..1 (1 when done); null while the size of the file is unknown"
    )
    elapsed_seconds: float | None = Field(None, description="Since it started running")
    error: str | None = Field(None, description="Why it failed, naming the row or column")
    algorithm: str | None = None
    lists: list[dict[str, Any]] = Field(
        default_factory=list, description="The list versions it was screened against"
    )
    url: str = Field(..., examples=["/jobs/20261123-111500-3fa2c1"])
    result_url: str | None = Field(None, description="Download of the results, once done")
    rejects_url: str | None = Field(None, description="Download of the rejected rows, once done")


class JobDetail(JobModel):
    queue_position: int | None = Field(None, description="1: the next job to run")
    run: dict[str, Any] | None = Field(
        None, description="The run record (as hermit screen --file writes it), once done"
    )


class JobList(BaseModel):
    jobs: list[JobModel]


class JobDeleted(BaseModel):
    id: str
    status: str = "deleted"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _progress(job: JobRecord) -> float | None:
    if job.status == "done":
        return 1.0
    if job.status == "queued":
        return 0.0
    if not job.estimated_rows:
        return None
    return round(min(job.rows_read / job.estimated_rows, 0.99), 4)


def _elapsed(job: JobRecord) -> float | None:
    if job.started_at is None:
        return None
    end = job.finished_at or datetime.now(UTC)
    return round((end - job.started_at).total_seconds(), 3)


def job_model(job: JobRecord) -> dict[str, Any]:
    done = job.status == "done"
    url = f"/jobs/{job.id}"
    return {
        "id": job.id,
        "status": job.status,
        "file_name": job.file_name,
        "created_at": _iso(job.created_at),
        "created_by": job.created_by,
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
        "input_format": job.input_format,
        "output_format": job.output_format,
        "limit": job.candidate_limit,
        "upload_bytes": job.upload_bytes,
        "estimated_rows": job.estimated_rows,
        "rows_read": job.rows_read,
        "screened": job.screened,
        "rejected": job.rejected,
        "with_warnings": job.with_warnings,
        "clear": job.clear,
        "alerts": job.alerts,
        "matches": job.matches,
        "candidates": job.candidates,
        "progress": _progress(job),
        "elapsed_seconds": _elapsed(job),
        "error": job.error,
        "algorithm": job.algorithm,
        "lists": job.lists,
        "url": url,
        "result_url": f"{url}/result" if done else None,
        "rejects_url": f"{url}/rejects" if done else None,
    }
