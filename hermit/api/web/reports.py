"""The reports page (/ui/reports): ask for the KIMS report, a dossier or the labour
compliance report (POST /reports/...), follow the job, then read the report in the page
and download its PDF, HTML or JSON. The report is shown in a sandboxed frame (no script
may run in it) from its browser HTML, which links the report's stylesheet
(/ui/reports/report.css) instead of holding it inline, so the pages' policy holds."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from hermit.api.routing import CheckedRoute
from hermit.api.web.router import State, page

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)


@router.get("/ui/reports", response_class=HTMLResponse)
def reports_page(state: State) -> HTMLResponse:
    """Ask for a report, follow it, read it and download it."""
    return page(state, "reports.html", "reports", "Reports")


@router.api_route("/ui/reports/report.css", methods=["GET", "HEAD"])
def report_stylesheet() -> FileResponse:
    """The reports' stylesheet, as the PDF and the self-contained HTML hold it."""
    from hermit.report.render import stylesheet_path

    return FileResponse(
        stylesheet_path(), media_type="text/css", headers={"Cache-Control": "no-cache"}
    )
