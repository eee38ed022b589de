"""Report jobs: the three reports of ``hermit report`` made for the API, one at a time,
each in a process of its own.

A report may take minutes (a dossier over the whole registry, the KIMS report over a
month of AIS the first time its events are found), far past the request bound
(``max_request_seconds``), so a request only asks for one: the job runs ``python -m
hermit --store STORE report KIND ARGS --out report.json --out report.html --out
report.pdf`` in a child process, which is what the command line does, so the API's
report is the command's, byte for byte with the same ``--generated-at``; the child's
memory is given back when it ends, and the stores are opened read-only there, as the
command opens them. Its CPU time (user + system) is recorded with the job.

Each job is a folder under ``<job_root>/reports/<id>/`` with ``job.json`` (its state,
written atomically), the inputs it was given (an uploaded folder) and the three
renderings. Any of the service's processes answers for any job (the folder is the
state); a job ``queued`` or ``running`` in a process that is gone is ``failed``
("interrupted") when read. Jobs stay until deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hermit.errors import HermitError

KINDS = ("kims", "dossier", "compliance")
#: The renderings of a report, by the name its address ends with.
FORMATS = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
REPORT_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
INTERRUPTED = "interrupted: the service process making it stopped; ask for it again"
#: The last lines of a failed command's error output kept as the job's error.
ERROR_LINES = 12
#: The frame rich draws round a command's error message, taken out of the job's error.
FRAME = str.maketrans("", "", "│╭╮╰╯─")


class ReportJobError(HermitError):
    """A report job that does not exist or is not done."""


@dataclass
class ReportJob:
    """One report asked for: what, by whom, and how it went."""

    id: str
    kind: str
    args: list[str]
    owner_key_id: str | None
    owner: str
    status: str = "queued"  # queued | running | done | failed
    created_at: str = ""
    started_at: str | None = None
    ended_at: str | None = None
    error: str | None = None
    cpu_s: float | None = None
    wall_s: float | None = None
    pid: int = field(default_factory=os.getpid)

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body.pop("pid")
        body["files"] = (
            {fmt: f"/reports/{self.id}/report.{fmt}" for fmt in FORMATS}
            if self.status == "done"
            else {}
        )
        return body


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ReportJobs:
    """The report jobs under ``root`` and the one thread of this process running them."""

    def __init__(self, root: Path, store_path: Path) -> None:
        self.root = root
        self.store_path = store_path
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- the jobs' folders
    def folder(self, job_id: str) -> Path:
        if REPORT_ID.match(job_id) is None:
            raise ReportJobError(f"no report {job_id!r}")
        return self.root / job_id

    def new(self, kind: str, owner_key_id: str | None, owner: str) -> ReportJob:
        """A new job's record and folder (its inputs go there before ``submit``)."""
        assert kind in KINDS, kind
        job_id = f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        self.folder(job_id).mkdir(parents=True)
        return ReportJob(job_id, kind, [], owner_key_id, owner, created_at=_now())

    def _save(self, job: ReportJob) -> None:
        path = self.folder(job.id) / "job.json"
        tmp = path.with_name("job.json.part")
        tmp.write_text(json.dumps(asdict(job), indent=2), encoding="utf-8")
        tmp.replace(path)

    def get(self, job_id: str) -> ReportJob:
        """A job as its folder says (ReportJobError: there is none)."""
        path = self.folder(job_id) / "job.json"
        try:
            job = ReportJob(**json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ReportJobError(f"no report {job_id!r}") from None
        if job.status in ("queued", "running") and not _alive(job.pid):
            job.status, job.error, job.ended_at = "failed", INTERRUPTED, _now()
            self._save(job)
        return job

    def jobs(self) -> list[ReportJob]:
        """Every job, newest first."""
        if not self.root.exists():
            return []
        found = []
        for path in sorted(self.root.iterdir(), reverse=True):
            if REPORT_ID.match(path.name) and (path / "job.json").exists():
                found.append(self.get(path.name))
        return found

    def file(self, job_id: str, fmt: str) -> Path:
        """A done job's rendering (``json``, ``html`` or ``pdf``)."""
        job = self.get(job_id)
        if job.status != "done":
            raise ReportJobError(f"report {job_id} is {job.status}, not done")
        return self.folder(job_id) / f"report.{fmt}"

    def delete(self, job_id: str) -> None:
        self.get(job_id)
        self.discard(job_id)

    def discard(self, job_id: str) -> None:
        """A job's folder removed, whatever it holds (a job never submitted, too)."""
        shutil.rmtree(self.folder(job_id), ignore_errors=True)

    # -- running
    def submit(self, job: ReportJob, args: list[str]) -> ReportJob:
        """Queue ``job`` to run ``hermit report KIND ARGS`` (this process's thread)."""
        job.args = list(args)
        self._save(job)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="hermit-report-jobs", daemon=True
                )
                self._thread.start()
        self._queue.put(job.id)
        return job

    def stop(self) -> None:
        with self._lock:
            thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=5)

    def _work(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            try:
                self.run(self.get(job_id))
            except ReportJobError:  # deleted while queued
                continue

    def command(self, job: ReportJob) -> list[str]:
        out = self.folder(job.id)
        return [
            sys.executable,
            "-m",
            "hermit",
            "--store",
            str(self.store_path),
            "report",
            job.kind,
            *job.args,
            *(x for fmt in FORMATS for x in ("--out", str(out / f"report.{fmt}"))),
        ]

    def run(self, job: ReportJob) -> ReportJob:
        """Run one job to its end: ``done`` with its files, or ``failed`` with the
        command's own error."""
        job.status, job.started_at = "running", _now()
        self._save(job)
        began = time.monotonic()
        errors = self.folder(job.id) / "stderr.txt"
        with errors.open("wb") as err:
            proc = subprocess.Popen(
                self.command(job), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
            )
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        job.wall_s = round(time.monotonic() - began, 3)
        job.cpu_s = round(usage.ru_utime + usage.ru_stime, 3)
        job.ended_at = _now()
        if not self.folder(job.id).exists():  # deleted while it ran
            return job
        if proc.returncode == 0:
            job.status = "done"
        else:
            text = errors.read_text("utf-8", errors="replace").translate(FRAME)
            lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
            job.status = "failed"
            job.error = "\n".join(lines[-ERROR_LINES:]) or f"exit status {proc.returncode}"
        self._save(job)
        return job
