"""/jobs: batch screening of an uploaded file, for files too large for one request.

Upload with ``POST /jobs`` (multipart: ``file``, and optionally ``output`` = csv | jsonl |
parquet, ``limit``, ``input_format``); poll ``GET /jobs/{id}`` until ``status`` is
``done`` or ``failed``; download ``result_url`` and ``rejects_url``. Jobs run one at a
time in the service, in the order they were uploaded.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from hermit.api import audit
from hermit.api.auth import Principal, writer
from hermit.api.deps import get_state
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.job_run import JobFiles
from hermit.api.job_store import JobRecord
from hermit.api.job_upload import MAX_LIMIT, check_file, form_choice, form_limit, receive_upload
from hermit.api.jobs import JobManager, new_job_id
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.api.wire import ErrorResponse
from hermit.api.wire_jobs import JobDeleted, JobDetail, JobList, job_model
from hermit.errors import SourceError
from hermit.screening.bulk.formats import FORMATS, OUTPUT_FORMATS, format_of
from hermit.screening.bulk.runner import DEFAULT_LIMIT

router = APIRouter(tags=["Batch jobs"], route_class=CheckedRoute)
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
                            "description": "CSV, JSON lines, Parquet or .xlsx with a name column",
                        },
                        "output": {
                            "type": "string",
                            "enum": list(OUTPUT_FORMATS),
                            "default": "csv",
                        },
                        "limit": {
                            "type": "integer",
                            "default": DEFAULT_LIMIT,
                            "maximum": MAX_LIMIT,
                        },
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
#: How many of the newest jobs a listing looks through for one key's own.
JOB_LISTING_SCAN = 5000
Writer = Annotated[Principal, Depends(writer)]


def _detail(jobs: JobManager, job: JobRecord) -> dict[str, Any]:
    return {
        **job_model(job),
        "queue_position": jobs.queue_position(job.id) if job.status == "queued" else None,
        "run": job.run_record,
    }


def _yours(job: JobRecord, who: Principal) -> bool:
    """A job's files hold the screened customers: its owner (the key that uploaded it,
    by id: another key of the same name is someone else) and administrators see it,
    nobody else."""
    if who.role == "admin":
        return True
    return job.owner_key_id is not None and job.owner_key_id == who.key_id


def _found(jobs: JobManager, job_id: str, who: Principal, request: Request) -> JobRecord:
    """The job, when it is the asking key's (or the key is an administrator's); else
    404 as for no job at all (the audit entry says which it was)."""
    job = jobs.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    if not _yours(job, who):
        audit.note(request, f"job {job_id} is another key's")
        raise NotFound(f"no job {job_id!r}")
    return job


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
            input_format = format_of(Path(file_name), form_choice(upload.fields, "input_format"))
        except SourceError as exc:
            raise BadRequest(f"{file_name}: {exc.problem} (or give input_format)") from None
        output_format = form_choice(upload.fields, "output") or "csv"
        files = JobFiles(folder, file_name, input_format, output_format)
        (folder / "upload").rename(files.input)
        await run_in_threadpool(check_file, files)
        job = JobRecord(
            id=job_id,
            created_at=datetime.now(UTC),
            created_by=who.name,
            owner_key_id=who.key_id,
            file_name=file_name,
            input_format=input_format,
            output_format=output_format,
            candidate_limit=form_limit(upload.fields),
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
    jobs: Jobs, who: Writer, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, Any]:
    """Your jobs (an administrator: everyone's), newest first, with their status and
    counts (a running job's counts as of now). Jobs need a key with the write role."""
    if who.role == "admin":
        return {"jobs": [job_model(j) for j in jobs.listed(limit)]}
    mine = [j for j in jobs.listed(JOB_LISTING_SCAN) if _yours(j, who)]
    return {"jobs": [job_model(j) for j in mine[:limit]]}


@router.get("/jobs/{job_id}", response_model=JobDetail, responses=ERRORS, summary="A job")
def get_job(job_id: str, request: Request, jobs: Jobs, who: Writer) -> dict[str, Any]:
    """A job's status and counts: `rows_read` (screened or rejected so far), `screened`,
    `with_warnings` (screened with a field set aside), `clear`, `rejected`, `progress`
    (0..1), `alerts`, `error` when it failed, `queue_position` while it waits; once
    done, `result_url`, `rejects_url` and `run` (the run record: algorithm, threshold,
    list versions, input sha256, counts, the first rejected and warned rows with their
    reasons, times)."""
    return _detail(jobs, _found(jobs, job_id, who, request))


def _finished(
    jobs: JobManager, job_id: str, who: Principal, request: Request
) -> tuple[JobRecord, JobFiles]:
    job = _found(jobs, job_id, who, request)
    if job.status != "done":
        why = f": {job.error}" if job.error else ""
        raise ApiError(409, f"job {job_id} is {job.status}{why}; files are ready once it is done")
    return job, jobs.files(job)


def _present(path: Path, job_id: str) -> None:
    if not path.is_file():
        raise ApiError(410, f"job {job_id}: the file is no longer in the service's job folder")


@router.get(
    "/jobs/{job_id}/result",
    response_class=FileResponse,
    responses={**ERRORS, 409: {"model": ErrorResponse}, 410: {"model": ErrorResponse}},
    summary="Download a job's results",
)
def job_result(job_id: str, request: Request, jobs: Jobs, who: Writer) -> FileResponse:
    """The results in the job's output format, in input order: one row per (query,
    candidate) at or above the report floor and one row of status `clear` for a query
    with none, `query_id, query_name, status, rank, entity_id, caption, schema,
    datasets, score, is_match, suppressed, lapsed, explanation, warnings` (what was set
    aside or assumed in reading the row)."""
    job, files = _finished(jobs, job_id, who, request)
    _present(files.result, job_id)
    return FileResponse(
        files.result, media_type=MEDIA_TYPES[job.output_format], filename=files.result_name
    )


@router.get(
    "/jobs/{job_id}/rejects",
    response_class=FileResponse,
    responses={**ERRORS, 409: {"model": ErrorResponse}, 410: {"model": ErrorResponse}},
    summary="Download a job's rejected rows",
)
def job_rejects(job_id: str, request: Request, jobs: Jobs, who: Writer) -> FileResponse:
    """Every row that was not screened (no usable name, or not readable), as CSV:
    `file, row, line, field, reason, text`."""
    _, files = _finished(jobs, job_id, who, request)
    _present(files.rejects, job_id)
    return FileResponse(files.rejects, media_type="text/csv", filename=files.rejects_name)


@router.delete(
    "/jobs/{job_id}",
    response_model=JobDeleted,
    responses={**ERRORS, 403: {"model": ErrorResponse}},
    summary="Delete a job and its files",
)
def delete_job(job_id: str, request: Request, jobs: Jobs, who: Writer) -> JobDeleted:
    """Remove the job and every file of it (upload, results, rejects); a running job is
    stopped first, a queued one never runs. Needs a key with the write role."""
    job = _found(jobs, job_id, who, request)
    jobs.delete(job)
    audit.note(request, f"job {job_id} deleted ({job.file_name!r}, was {job.status})")
    return JobDeleted(id=job_id)
