"""Batch jobs as rows of the ``jobs`` table of the store's state database
(hermit.store.state): what was uploaded, by whom, where the job stands and what it
found. Plain SQL; nothing here knows HTTP or threads (``jobs.JobManager`` runs them)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

import orjson

from hermit.screening.bulk.summary import Counts
from hermit.store.state import StateDB, from_text, to_text

STATUSES = ("queued", "running", "done", "failed")
INTERRUPTED = "interrupted: the service stopped while the job was running; upload it again"


@dataclass(slots=True)
class JobRecord:
    """One job as stored (times in UTC)."""

    id: str
    created_at: datetime
    created_by: str
    file_name: str
    input_format: str
    output_format: str
    candidate_limit: int
    upload_bytes: int
    status: str = "queued"
    estimated_rows: int | None = None
    rows_read: int = 0
    screened: int = 0
    rejected: int = 0
    alerts: int = 0
    matches: int = 0
    candidates: int = 0
    with_warnings: int = 0
    clear: int = 0
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    algorithm: str | None = None
    lists: list[dict[str, Any]] = field(default_factory=list)
    run_record: dict[str, Any] | None = None
    #: The id of the key that uploaded it (None for a job of an older store whose
    #: creator's name several keys had: an administrator's only).
    owner_key_id: str | None = None

    def count(self, counts: Counts, estimated_rows: int | None) -> None:
        """Take a running count (rows read, screened, rejected, queries with alerts)."""
        self.rows_read = counts.read
        self.screened = counts.screened
        self.rejected = counts.rejected
        self.with_warnings = counts.with_warnings
        self.clear = counts.clear
        self.alerts = counts.with_alerts
        self.matches = counts.matches
        self.candidates = counts.candidates
        self.estimated_rows = estimated_rows


COLUMNS = tuple(f.name for f in fields(JobRecord))
_JSON = ("lists", "run_record")


def _params(job: JobRecord) -> list[Any]:
    out: list[Any] = []
    for name in COLUMNS:
        value = getattr(job, name)
        if name in _JSON:
            value = None if value is None else orjson.dumps(value).decode()
        elif isinstance(value, datetime):
            value = to_text(value)
        out.append(value)
    return out


def _record(row: tuple[Any, ...]) -> JobRecord:
    values = dict(zip(COLUMNS, row, strict=True))
    for name in _JSON:
        raw = values[name]
        values[name] = orjson.loads(raw) if isinstance(raw, str | bytes) else raw
    if values["lists"] is None:
        values["lists"] = []
    for name in ("created_at", "started_at", "finished_at"):
        values[name] = from_text(values[name])
    for name in ("with_warnings", "clear"):  # NULL in rows written before the columns
        values[name] = values[name] or 0
    return JobRecord(**values)


def insert(db: StateDB, job: JobRecord) -> None:
    marks = ", ".join("?" for _ in COLUMNS)
    db.con.execute(f"INSERT INTO jobs ({', '.join(COLUMNS)}) VALUES ({marks})", _params(job))


def save(db: StateDB, job: JobRecord) -> None:
    """Write every field of ``job`` over its row."""
    names = [c for c in COLUMNS if c != "id"]
    sets = ", ".join(f"{c} = ?" for c in names)
    params = _params(job)
    db.con.execute(f"UPDATE jobs SET {sets} WHERE id = ?", [*params[1:], job.id])


def get(db: StateDB, job_id: str) -> JobRecord | None:
    row = db.con.execute(f"SELECT {', '.join(COLUMNS)} FROM jobs WHERE id = ?", [job_id]).fetchone()
    return None if row is None else _record(row)


def listed(db: StateDB, limit: int = 100) -> list[JobRecord]:
    """The newest jobs first."""
    rows = db.con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [_record(r) for r in rows]


def ids(db: StateDB) -> set[str]:
    return {str(r[0]) for r in db.con.execute("SELECT id FROM jobs").fetchall()}


def queued(db: StateDB) -> list[JobRecord]:
    """Jobs waiting to run, oldest first."""
    rows = db.con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM jobs WHERE status = 'queued' ORDER BY created_at, id"
    ).fetchall()
    return [_record(r) for r in rows]


def delete(db: StateDB, job_id: str) -> None:
    db.con.execute("DELETE FROM jobs WHERE id = ?", [job_id])


def fail_interrupted(db: StateDB, now: datetime) -> int:
    """Jobs left ``running`` by a service that stopped without finishing them become
    ``failed`` (said why); returns how many."""
    found = db.con.execute(
        "UPDATE jobs SET status = 'failed', error = ?, finished_at = ? WHERE status = 'running'",
        [INTERRUPTED, to_text(now)],
    )
    return int(found.rowcount)
