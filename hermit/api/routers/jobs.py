"""/jobs: batch screening of an uploaded file, for files too large for one request.

Upload with ``POST /jobs`` (multipart: ``file``, and optionally ``output`` = csv | jsonl |
parquet, ``limit``, ``input_format``); poll ``GET /jobs/{id}`` until ``status`` is
``done`` or ``failed``; download ``result_url`` and ``rejects_url``. Jobs run one at a
time in the service, in the order they were uploaded.
"""

from __future__ import annotations

import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from hermit.api import audit
from hermit.api.auth import Principal, reader, writer
from hermit.api.deps import get_state
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.job_run import JobFiles
from hermit.api.job_store import JobRecord
from hermit.api.job_upload import receive_upload
from hermit.api.jobs import JobManager, user_message
from hermit.api.state import ServiceState
from hermit.api.wire import ErrorResponse
from hermit.api.wire_jobs import JobDeleted, JobDetail, JobList
from hermit.errors import SourceError
from hermit.screening.bulk.formats import FORMATS, format_of, open_reader
from hermit.screening.bulk.runner import DEFAULT_LIMIT

router = APIRouter(tags=["Batch jobs"])
MAX_LIMIT = 50
MEDIA_TYPES = {
    "csv": "text/csv",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
}
_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV, JSON lines or Parquet with a name column",
                        },
                        "output": {"type": "string", "enum": list(FORMATS), "default": "csv"},
                        "limit": {"type": "integer", "default": DEFAULT_LIMIT, "maximum": 50},
                        "input_format": {
                            "type": "string",
                            "enum": list(FORMATS),
                            "description": "When the file's extension does not say",
                        },
                    },
                }
            }
        },
    }
}


def get_jobs(request: Request) -> JobManager:
    jobs = request.app.state.jobs
    assert isinstance(jobs, JobManager)
    return jobs


Jobs = Annotated[JobManager, Depends(get_jobs)]
Reader = Annotated[Principal, Depends(reader)]
Writer = Annotated[Principal, Depends(writer)]


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


def _detail(jobs: JobManager, job: JobRecord) -> dict[str, Any]:
    return {
        **job_model(job),
        "queue_position": jobs.queue_position(job.id) if job.status == "queued" else None,
        "run": job.run_record,
    }


def _found(jobs: JobManager, job_id: str) -> JobRecord:
    job = jobs.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    return job


def _form_choice(fields: dict[str, str], name: str) -> str | None:
    value = fields.get(name, "").strip().lower()
    if not value:
        return None
    if value not in FORMATS:
        raise BadRequest(f"{name}: {value!r} is not a format (one of {', '.join(FORMATS)})")
    return value


def _form_limit(fields: dict[str, str]) -> int:
    raw = fields.get("limit", "").strip()
    if not raw:
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"limit: {raw!r} is not a whole number") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit: {limit} is not between 1 and {MAX_LIMIT}")
    return limit


def _check_file(files: JobFiles) -> None:
    """Open the reader once: a CSV without a name column or a file that is not Parquet
    is refused at upload (400), before the job is queued."""
    try:
        open_reader(files.input, files.input_format)
    except SourceError as exc:
        raise BadRequest(user_message(exc, files)) from None


def new_job_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobDetail,
    responses={**ERRORS, 403: {"model": ErrorResponse}, 413: {"model": ErrorResponse}},
    summary="Upload a file of queries to screen as a job",
    openapi_extra=_UPLOAD_BODY,
)
async def create_job(
    request: Request,
    who: Writer,
    jobs: Jobs,
    state: Annotated[ServiceState, Depends(get_state)],
) -> JSONResponse:
    """Upload a CSV, JSON lines or Parquet file with the columns of `hermit screen
    --file` (`name`, and any of `id`, `schema`, `birth_date`/`dob`, `nationality`,
    `country`, `passport`, `registration_number`, `imo`, `mmsi`, `gender`; the format
    from the extension or `input_format`). Optional form fields: `output` (csv, jsonl or
    parquet; default csv), `limit` (candidates per query, 1-50, default 10). The file
    is streamed to disk (at most `max_upload_bytes`, else 413) and checked (a CSV or
    Parquet file without a `name` column is refused with 400 naming the columns found);
    the answer is 202 with the job, queued. Needs a key with the write role."""
    job_id = new_job_id()
    folder = jobs.root / job_id
    folder.mkdir(parents=True)
    try:
        upload = await receive_upload(request, folder / "upload", state.settings.max_upload_bytes)
        file_name = upload.file_name or "upload"
        try:
            input_format = format_of(Path(file_name), _form_choice(upload.fields, "input_format"))
        except SourceError as exc:
            raise BadRequest(f"{file_name}: {exc.problem} (or give input_format)") from None
        output_format = _form_choice(upload.fields, "output") or "csv"
        files = JobFiles(folder, file_name, input_format, output_format)
        (folder / "upload").rename(files.input)
        await run_in_threadpool(_check_file, files)
        job = JobRecord(
            id=job_id,
            created_at=datetime.now(UTC),
            created_by=who.name,
            file_name=file_name,
            input_format=input_format,
            output_format=output_format,
            candidate_limit=_form_limit(upload.fields),
            upload_bytes=upload.size,
        )
        await run_in_threadpool(jobs.submit, job)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    audit.note(request, f"job {job_id} queued: {file_name!r}, {upload.size} bytes")
    return JSONResponse(
        _detail(jobs, job), status_code=202, headers={"Location": f"/jobs/{job_id}"}
    )


@router.get("/jobs", response_model=JobList, responses=ERRORS, summary="List jobs")
def list_jobs(
    jobs: Jobs, _who: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, Any]:
    """The newest jobs first, with their status and counts (a running job's counts as
    of now)."""
    return {"jobs": [job_model(j) for j in jobs.listed(limit)]}


@router.get("/jobs/{job_id}", response_model=JobDetail, responses=ERRORS, summary="A job")
def get_job(job_id: str, jobs: Jobs, _who: Reader) -> dict[str, Any]:
    """A job's status and counts: `rows_read` (screened or rejected so far), `progress`
    (0..1), `alerts`, `error` when it failed, `queue_position` while it waits; once
    done, `result_url`, `rejects_url` and `run` (the run record: algorithm, threshold,
    list versions, input sha256, counts, times)."""
    return _detail(jobs, _found(jobs, job_id))


def _finished(jobs: JobManager, job_id: str) -> tuple[JobRecord, JobFiles]:
    job = _found(jobs, job_id)
    if job.status != "done":
        why = f": {job.error}" if job.error else ""
        raise ApiError(409, f"job {job_id} is {job.status}{why}; files are ready once it is done")
    return job, jobs.files(job)


@router.get(
    "/jobs/{job_id}/result",
    response_class=FileResponse,
    responses={**ERRORS, 409: {"model": ErrorResponse}},
    summary="Download a job's results",
)
def job_result(job_id: str, jobs: Jobs, _who: Reader) -> FileResponse:
    """The results in the job's output format: one row per (query, candidate) at or
    above the report floor, `query_id, query_name, rank, entity_id, caption, schema,
    datasets, score, is_match, suppressed, explanation`, in input order."""
    job, files = _finished(jobs, job_id)
    return FileResponse(
        files.result, media_type=MEDIA_TYPES[job.output_format], filename=files.result_name
    )


@router.get(
    "/jobs/{job_id}/rejects",
    response_class=FileResponse,
    responses={**ERRORS, 409: {"model": ErrorResponse}},
    summary="Download a job's rejected rows",
)
def job_rejects(job_id: str, jobs: Jobs, _who: Reader) -> FileResponse:
    """Every row that was not screened, as CSV: `file, row, line, field, reason, text`."""
    _, files = _finished(jobs, job_id)
    return FileResponse(files.rejects, media_type="text/csv", filename=files.rejects_name)


@router.delete(
    "/jobs/{job_id}",
    response_model=JobDeleted,
    responses={**ERRORS, 403: {"model": ErrorResponse}},
    summary="Delete a job and its files",
)
def delete_job(job_id: str, request: Request, jobs: Jobs, _who: Writer) -> JobDeleted:
    """Remove the job and every file of it (upload, results, rejects); a running job is
    stopped first, a queued one never runs. Needs a key with the write role."""
    job = _found(jobs, job_id)
    jobs.delete(job)
    audit.note(request, f"job {job_id} deleted ({job.file_name!r}, was {job.status})")
    return JobDeleted(id=job_id)
