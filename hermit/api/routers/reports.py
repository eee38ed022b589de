"""/reports: the KIMS port report, the labour compliance report and the entity dossier
over HTTP, as jobs (hermit.api.report_jobs: a report may take minutes), each made by
``hermit report KIND`` in a process of its own and kept as JSON, HTML and PDF.

Who: the KIMS report and the dossier read the service's stores, so a key that may read
asks for them (anyone on a service with open reads); the compliance report is made of
records the caller uploads (a ZIP, as POST /compliance/report takes), so it needs a key
that may write. A report is its asker's: the key that asked (by id) and administrators
see it; one asked for without a key, on a service with open reads, anyone who may read.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from hermit.api import audit
from hermit.api.auth import Principal, reader, writer
from hermit.api.errors import BadRequest, NotFound
from hermit.api.report_jobs import FORMATS, ReportJob, ReportJobError, ReportJobs
from hermit.api.routing import CheckedRoute
from hermit.api.wire import ErrorResponse
from hermit.api.wire_reports import ReportJobList, ReportJobModel

router = APIRouter(prefix="/reports", tags=["Reports"], route_class=CheckedRoute)
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
}
#: The stylesheet a report's HTML links when shown in the browser (the web router
#: serves it): the pages' policy refuses the inline styles of the self-contained file.
BROWSER_STYLESHEET = "/ui/reports/report.css"


def report_jobs(request: Request) -> ReportJobs:
    jobs = getattr(request.app.state, "reports", None)
    if jobs is None:
        settings = request.app.state.hermit.settings
        jobs = ReportJobs(settings.job_root / "reports", settings.store_path)
        request.app.state.reports = jobs
    assert isinstance(jobs, ReportJobs)
    return jobs


Jobs = Annotated[ReportJobs, Depends(report_jobs)]
GeneratedAt = Annotated[
    str | None,
    Query(
        alias="generated_at",
        description="The generation time stamped in the report (ISO; default: now). "
        "Fix it and the same inputs give the same bytes.",
    ),
]
Load = Annotated[int | None, Query(ge=1, description="An AIS load's number (default: latest).")]


def _common(generated_at: str | None, load: int | None) -> list[str]:
    args: list[str] = []
    if generated_at is not None:
        from hermit.report.stamp import parse_generated_at

        try:
            parse_generated_at(generated_at)
        except ValueError:
            raise BadRequest(f"generated_at: not an ISO date-time: {generated_at!r}") from None
        args += ["--generated-at", generated_at]
    if load is not None:
        args += ["--load", str(load)]
    return args


def _asked(request: Request, jobs: ReportJobs, job: ReportJob, args: list[str]) -> dict[str, Any]:
    jobs.submit(job, args)
    audit.note(request, f"report {job.kind} {job.id} asked by {job.owner}: {' '.join(args)}")
    return job.to_dict()


def _new(jobs: ReportJobs, kind: str, who: Principal) -> ReportJob:
    anonymous = who.role == "anonymous"
    return jobs.new(kind, None if anonymous else who.key_id, who.name)


@router.post(
    "/kims",
    status_code=202,
    response_model=ReportJobModel,
    responses=RESPONSES,
    summary="Ask for the KIMS report",
)
def ask_kims(
    request: Request,
    jobs: Jobs,
    who: Annotated[Principal, Depends(reader)],
    start: Annotated[dt.date, Query(alias="from", description="First day (ISO date).")],
    end: Annotated[dt.date, Query(alias="to", description="Last day (ISO date).")],
    load: Load = None,
    generated_at: GeneratedAt = None,
) -> dict[str, Any]:
    """The KIMS Act port report (22 U.S.C. 9225(b)) of a period over the AIS store
    beside the service's store (``hermit report kims``), as a job: 202 with its
    address; poll ``GET /reports/{id}`` until ``done``, then fetch its files."""
    if end < start:
        raise BadRequest("to is before from")
    args = ["--from", start.isoformat(), "--to", end.isoformat(), *_common(generated_at, load)]
    return _asked(request, jobs, _new(jobs, "kims", who), args)


@router.post(
    "/dossier",
    status_code=202,
    response_model=ReportJobModel,
    responses=RESPONSES,
    summary="Ask for an entity's dossier",
)
def ask_dossier(
    request: Request,
    jobs: Jobs,
    who: Annotated[Principal, Depends(reader)],
    entity: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description="A list entry's id (unsc-kpi-024), an IMO number (IMO9066540), a "
            "list's record id (KPi.024) or a registry record id.",
        ),
    ],
    as_of: Annotated[
        dt.date | None, Query(description="The date of the network and the 50% rule.")
    ] = None,
    load: Load = None,
    generated_at: GeneratedAt = None,
) -> dict[str, Any]:
    """The dossier of one person, company or vessel (``hermit report dossier``) over the
    service's stores (the registry and AIS stores beside it, when there are), as a job."""
    if entity.strip() != entity or entity.startswith("-"):
        raise BadRequest(f"entity: not an id: {entity!r}")
    args = [entity, *_common(generated_at, load)]
    if as_of is not None:
        args += ["--as-of", as_of.isoformat()]
    return _asked(request, jobs, _new(jobs, "dossier", who), args)


@router.post(
    "/compliance",
    status_code=202,
    response_model=ReportJobModel,
    responses={**RESPONSES, 403: {"model": ErrorResponse}},
    summary="Ask for the labour compliance report of uploaded records",
)
async def ask_compliance(
    request: Request,
    jobs: Jobs,
    who: Annotated[Principal, Depends(writer)],
    generated_at: GeneratedAt = None,
) -> dict[str, Any]:
    """The labour compliance report (``hermit report compliance``) of the uploaded
    records (``file``: a ZIP of the record files, as POST /compliance/report takes),
    founders screened against the service's lists, as a job."""
    from hermit.api.routers.compliance import _received

    args = _common(generated_at, None)
    job = _new(jobs, "compliance", who)
    folder = jobs.folder(job.id)
    try:
        with tempfile.TemporaryDirectory(prefix="hermit-report-") as tmp:
            records, _, _ = await _received(request, Path(tmp))
            await run_in_threadpool(records.rename, folder / "records")
    except BaseException:
        await run_in_threadpool(jobs.discard, job.id)
        raise
    return _asked(request, jobs, job, ["--labour", str(folder / "records"), *args])


def _yours(job: ReportJob, who: Principal) -> bool:
    if who.role == "admin" or job.owner_key_id is None:
        return True
    return job.owner_key_id == who.key_id


def _found(jobs: ReportJobs, job_id: str, who: Principal, request: Request) -> ReportJob:
    try:
        job = jobs.get(job_id)
    except ReportJobError:
        raise NotFound(f"no report {job_id!r}") from None
    if not _yours(job, who):
        audit.note(request, f"report {job_id} is another key's")
        raise NotFound(f"no report {job_id!r}")
    return job


@router.get("", response_model=ReportJobList, summary="Your reports")
def list_reports(
    request: Request, jobs: Jobs, who: Annotated[Principal, Depends(reader)]
) -> dict[str, Any]:
    """The reports the asking key asked for (an administrator: every one), newest first."""
    return {"reports": [j.to_dict() for j in jobs.jobs() if _yours(j, who)]}


@router.get(
    "/{job_id}", response_model=ReportJobModel, responses=RESPONSES, summary="A report job's state"
)
def report_state(
    job_id: str, request: Request, jobs: Jobs, who: Annotated[Principal, Depends(reader)]
) -> dict[str, Any]:
    """queued, running, done (with the addresses of its JSON, HTML and PDF) or failed
    (with the command's error); its CPU and wall time once ended."""
    return _found(jobs, job_id, who, request).to_dict()


@router.get(
    "/{job_id}/report.{fmt}",
    responses={**RESPONSES, 409: {"model": ErrorResponse}},
    summary="A done report as JSON, HTML or PDF",
    response_model=None,
)
def report_file(
    job_id: str,
    fmt: str,
    request: Request,
    jobs: Jobs,
    who: Annotated[Principal, Depends(reader)],
    browser: Annotated[
        bool,
        Query(
            description="HTML only: link the report's stylesheet instead of holding it "
            "inline, for the web pages (whose policy refuses inline styles)."
        ),
    ] = False,
) -> Response:
    """The report as ``hermit report`` wrote it: ``report.json`` (the data, schema
    hermit-report/1), ``report.html`` (one self-contained page) or ``report.pdf``."""
    if fmt not in FORMATS:
        raise NotFound(f"a report is served as {', '.join('report.' + f for f in FORMATS)}")
    job = _found(jobs, job_id, who, request)
    if job.status != "done":
        from hermit.api.errors import ApiError

        raise ApiError(409, f"report {job_id} is {job.status}, not done")
    path = jobs.file(job_id, fmt)
    if fmt == "html" and browser:
        import orjson

        from hermit.report.render import html

        page = html(orjson.loads(path.with_suffix(".json").read_bytes()), BROWSER_STYLESHEET)
        return Response(page, media_type=FORMATS["html"])
    name = f"hermit-{job.kind}-{job.id}.{fmt}"
    return FileResponse(path, media_type=FORMATS[fmt], filename=name)


@router.delete("/{job_id}", status_code=204, responses=RESPONSES, summary="Delete a report")
def delete_report(
    job_id: str, request: Request, jobs: Jobs, who: Annotated[Principal, Depends(reader)]
) -> Response:
    """The report and its files removed (a running one ends unkept)."""
    _found(jobs, job_id, who, request)
    jobs.delete(job_id)
    audit.note(request, f"report {job_id} deleted by {who.name}")
    return Response(status_code=204)
