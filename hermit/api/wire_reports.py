"""What the /reports endpoints send: a report job's state, its times and the addresses
of its renderings (hermit.api.report_jobs.ReportJob.to_dict, field for field)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ReportJobModel(BaseModel):
    """A report asked for (``hermit report KIND ARGS`` in a process of its own). Times
    are ISO 8601 in UTC, to the second."""

    id: str = Field(..., examples=["20261204-051500-3fa2c1"])
    kind: str = Field(..., description="kims | dossier | compliance", examples=["kims"])
    args: list[str] = Field(
        ...,
        description="The arguments of ``hermit report KIND`` it runs with (a compliance "
        "report's uploaded records as the service keeps them)",
        examples=[["--from", "2026-11-01", "--to", "2026-11-30"]],
    )
    owner_key_id: str | None = Field(
        None, description="The id of the key that asked for it (null: asked without a key)"
    )
    owner: str = Field(..., description="The name of the key that asked for it")
    status: str = Field(..., description="queued | running | done | failed")
    created_at: str = Field(..., examples=["2026-12-04T05:15:00Z"])
    started_at: str | None = None
    ended_at: str | None = None
    error: str | None = Field(
        None, description="Why it failed: the last lines of the command's error output"
    )
    cpu_s: float | None = Field(
        None, description="CPU seconds (user + system) of the report's process, once ended"
    )
    wall_s: float | None = Field(None, description="Wall-clock seconds it ran, once ended")
    files: dict[str, str] = Field(
        ...,
        description="Once done: the addresses of its renderings by format (json, html, "
        "pdf); empty before",
        examples=[{"json": "/reports/20261204-051500-3fa2c1/report.json"}],
    )


class ReportJobList(BaseModel):
    reports: list[ReportJobModel] = Field(..., description="Newest first")
