"""/compliance: labour records checked against the sanctions provisions over HTTP, as
``hermit compliance check`` and ``hermit report compliance`` do.

The records come as one upload (multipart, a form field named ``file``): a ZIP archive
of the record files, named as the column mapping names them (work_permits.csv.gz,
visas.csv ...; hermit/resources/compliance/columns.yaml), at the archive's top level.
A member with another name, a folder or a path is refused (400), as is an archive over
the upload limit. The check runs in process with the built-in provisions and mapping
(hermit-compliance@1); the caller needs a key that may write (the records are data the
service processes), and each request is in the audit log with what it checked.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from hermit.api import audit
from hermit.api.auth import Principal, writer
from hermit.api.errors import BadRequest
from hermit.api.job_upload import receive_upload
from hermit.api.routing import CheckedRoute
from hermit.api.wire import ErrorResponse
from hermit.errors import SourceError

router = APIRouter(tags=["Compliance"], route_class=CheckedRoute)
#: The largest archive taken, and the most its files may hold uncompressed.
MAX_UPLOAD = 512 * 1024 * 1024
MAX_UNPACKED = 4 * 1024 * 1024 * 1024
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    401: {"model": ErrorResponse},
    403: {"model": ErrorResponse},
}


def _known_names() -> set[str]:
    from hermit.compliance.columns import load_columns

    return {name for spec in load_columns().kinds.values() for name in spec.files}


def unpack(archive: Path, folder: Path) -> list[str]:
    """The archive's record files into ``folder``; their names. BadRequest for an
    archive that is not a ZIP, a member the mapping does not name, or too much."""
    known = _known_names()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            names = [m.filename for m in members]
            unknown = sorted(n for n in names if n not in known)
            if unknown:
                raise BadRequest(
                    "file: archive members the column mapping does not name (record files "
                    f"at the top level, e.g. work_permits.csv.gz): {', '.join(unknown[:5])}"
                )
            if len(set(names)) != len(names):
                raise BadRequest("file: the archive holds a file twice")
            if sum(m.file_size for m in members) > MAX_UNPACKED:
                raise BadRequest(f"file: the records unpack to more than {MAX_UNPACKED:,} bytes")
            for m in members:
                with zf.open(m) as src, (folder / m.filename).open("wb") as dst:
                    shutil.copyfileobj(src, dst)
    except zipfile.BadZipFile:
        raise BadRequest("file: not a ZIP archive of labour record files") from None
    if not names:
        raise BadRequest("file: the archive holds no record file")
    return sorted(names)


async def _received(request: Request, work: Path) -> tuple[Path, list[str], dict[str, str]]:
    upload = await receive_upload(request, work / "upload.zip", MAX_UPLOAD)
    folder = work / "records"
    folder.mkdir()
    names = await run_in_threadpool(unpack, work / "upload.zip", folder)
    return folder, names, upload.fields


def _check(folder: Path, rules: set[str] | None) -> dict[str, Any]:
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import ALGORITHM, run_checks, validate
    from hermit.compliance.provisions import load_provisions
    from hermit.compliance.violations import check_parts

    prov = load_provisions()
    validate(prov)
    if rules is not None:
        unknown = sorted(rules - {r.id for r in prov.rules})
        if unknown:
            raise BadRequest(f"rule: no such rule: {', '.join(unknown)}")
    data = read_folder(folder, load_columns())
    runs = run_checks(prov, data, rules)
    return {
        "algorithm": ALGORITHM,
        "read": data.summary.to_dict(),
        **check_parts(data.problems, runs),
        "violations": [v.to_dict() for run in runs for v in run.violations],
    }


def _dashboard(folder: Path) -> dict[str, Any]:
    from hermit.compliance import dashboard
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import ALGORITHM, run_checks, validate
    from hermit.compliance.provisions import load_provisions

    prov = load_provisions()
    validate(prov)
    data = read_folder(folder, load_columns())
    return {"algorithm": ALGORITHM, **dashboard.build(data, run_checks(prov, data))}


def _report(folder: Path) -> bytes:
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import run_checks, validate
    from hermit.compliance.provisions import load_provisions
    from hermit.report import compliance as report
    from hermit.report.render import render
    from hermit.report.stamp import Stamp

    prov = load_provisions()
    validate(prov)
    data = read_folder(folder, load_columns())
    runs = run_checks(prov, data)
    return render(report.build(folder, data, runs, prov, Stamp(), False), ".json")


def _failed(exc: SourceError) -> BadRequest:
    return BadRequest(f"file: {exc}")


@router.post("/compliance/check", responses=RESPONSES)
async def compliance_check(
    request: Request,
    who: Annotated[Principal, Depends(writer)],
    rule: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> JSONResponse:
    """Check the uploaded labour records (`file`: a ZIP of the record files) against
    every provision that has a check (or the rules given as `?rule=ID`, repeatable):
    each violation with its rule, pattern, the records it rests on (file, line, id)
    and its reason; every rejected row and set-aside value; the counts by file."""
    with tempfile.TemporaryDirectory(prefix="hermit-compliance-") as tmp:
        folder, names, _ = await _received(request, Path(tmp))
        rules = set(rule) if rule else None
        try:
            body = await run_in_threadpool(_check, folder, rules)
        except SourceError as exc:
            raise _failed(exc) from None
    found = sum(r["violations"] for r in body["rules"].values())
    audit.note(
        request,
        f"compliance check by {who.name} of {', '.join(names)}: {found} violations",
    )
    return JSONResponse(body)


@router.post("/compliance/report", responses=RESPONSES)
async def compliance_report(
    request: Request, who: Annotated[Principal, Depends(writer)]
) -> Response:
    """The member-state implementation report's data (schema hermit-report/1, as
    `hermit report compliance --out r.json` writes it) for the uploaded labour records
    (`file`: a ZIP of the record files): every figure with the records it cites."""
    with tempfile.TemporaryDirectory(prefix="hermit-compliance-") as tmp:
        folder, names, _ = await _received(request, Path(tmp))
        try:
            body = await run_in_threadpool(_report, folder)
        except SourceError as exc:
            raise _failed(exc) from None
    audit.note(request, f"compliance report by {who.name} of {', '.join(names)}")
    return Response(body, media_type="application/json")


@router.post("/compliance/dashboard", responses=RESPONSES)
async def compliance_dashboard(
    request: Request, who: Annotated[Principal, Depends(writer)]
) -> JSONResponse:
    """What the compliance dashboard (/ui/compliance) shows for the uploaded labour
    records (`file`: a ZIP of the record files), checked against every provision that
    has a check: each violation with its region (the one its records name, "several
    regions" or "no region on record") and month, the rules, and every record a
    violation rests on with the values it was read with."""
    with tempfile.TemporaryDirectory(prefix="hermit-compliance-") as tmp:
        folder, names, _ = await _received(request, Path(tmp))
        try:
            body = await run_in_threadpool(_dashboard, folder)
        except SourceError as exc:
            raise _failed(exc) from None
    audit.note(
        request,
        f"compliance dashboard by {who.name} of {', '.join(names)}: "
        f"{len(body['violations'])} violations",
    )
    return JSONResponse(body)
