"""Batch screening jobs: uploaded files screened one at a time, by one job runner.

Where the runner is (``JobManager``'s ``mode``):

- ``thread``: a thread of the service process (a service started in-process, as the
  tests do): jobs use the service's own Screener (``state.snapshot.screener``);
- ``runner`` and ``client``: ``hermit serve`` runs the jobs in a process of their own
  (hermit.api.job_process, ``runner``), so a job's screening never takes CPU time from
  the processes answering /match; the service's processes (``client``) only record
  uploads and read the jobs' state. The runner has its own Screener over the same
  published list version and suppressions (hermit.api.state), swapped in the same way.

Jobs do not run side by side (on a small machine a second job would only slow both and
the requests around them).

Every job is a row of the ``jobs`` table of the store's state database (``job_store``),
written when it is queued, started, every couple of seconds while it runs, and when it
ends, so the list of jobs survives a restart: a job that was ``running`` when the
runner stopped is ``failed`` ("interrupted") when it starts again, and ``queued`` jobs
are queued again. A client deletes a job by deleting its row; the runner stops a job
whose row is gone at its next chunk. Its files live in ``settings.job_root/<id>/``.
"""

from __future__ import annotations

import logging
import queue
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from hermit.api import job_store
from hermit.api.job_run import JobFiles, JobStopped, screen_file, user_message
from hermit.api.job_store import JobRecord
from hermit.api.state import ServiceState
from hermit.errors import HermitError
from hermit.screening.bulk.summary import Counts

log = logging.getLogger("hermit.api.jobs")

#: How often a running job's counts are written to the store (the live counts are
#: answered from memory in between).
SAVE_EVERY_S = 2.0
#: A job's id (and its folder's name): when it was uploaded, and six random hex digits.
JOB_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")
STOPPED = "interrupted: the service stopped while the job was running; upload it again"


def new_job_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


#: Where jobs run: in a thread here, in this job process, or elsewhere (see above).
MODES = ("thread", "runner", "client")


class JobManager:
    """The queue, the worker thread and the live state of the running job (``client``:
    none of them, the rows only)."""

    def __init__(self, state: ServiceState, mode: str = "thread", poll_s: float = 1.0) -> None:
        assert mode in MODES, mode
        self.mode = mode
        self.poll_s = poll_s
        self.state = state
        self.root = state.settings.job_root
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._live: JobRecord | None = None  # the running job, counts up to date
        self._cancel: set[str] = set()
        self._stopping = threading.Event()
        self._idle = threading.Condition(self._lock)
        self._thread: threading.Thread | None = None
        self._queued: set[str] = set()  # every id put on the queue
        #: ``runner``: called between jobs when a newer list version was published (the
        #: job process starts again on it: hermit.api.job_process); never returns.
        self.renew: Callable[[], None] | None = None

    # -- lifecycle
    def start(self) -> None:
        """Fail the jobs an earlier process left running, queue the queued ones again,
        start the worker."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.mode == "client":
            return
        with self.state.state() as db:
            interrupted = job_store.fail_interrupted(db, datetime.now(UTC))
            waiting = job_store.queued(db)
            known = job_store.ids(db)
        if interrupted:
            log.warning("%d job(s) were interrupted by the last stop: marked failed", interrupted)
        for folder in self.root.iterdir():  # uploads cut off by a stop, never recorded
            if folder.is_dir() and JOB_ID.match(folder.name) and folder.name not in known:
                log.warning("removing %s: a job folder with no job", folder)
                shutil.rmtree(folder, ignore_errors=True)
        for job in waiting:
            self._put(job.id)
        self._thread = threading.Thread(target=self._work, name="hermit-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the worker: a running job stops at its next chunk and is recorded as
        failed ("interrupted"); queued jobs stay queued for the next start."""
        self._stopping.set()
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)

    # -- what routes call
    def files(self, job: JobRecord) -> JobFiles:
        return JobFiles(self.root / job.id, job.file_name, job.input_format, job.output_format)

    def _put(self, job_id: str) -> None:
        self._queued.add(job_id)
        self._queue.put(job_id)

    def submit(self, job: JobRecord) -> None:
        with self.state.state() as db:
            job_store.insert(db, job)
        if self.mode == "thread":
            self._put(job.id)

    def get(self, job_id: str) -> JobRecord | None:
        with self._lock:
            live = self._live
            if live is not None and live.id == job_id:
                return replace(live, lists=list(live.lists))
        with self.state.state() as db:
            return job_store.get(db, job_id)

    def listed(self, limit: int) -> list[JobRecord]:
        with self.state.state() as db:
            jobs = job_store.listed(db, limit)
        with self._lock:
            live = self._live
            if live is not None:
                jobs = [replace(live) if j.id == live.id else j for j in jobs]
        return jobs

    def queue_position(self, job_id: str) -> int | None:
        """1 for the next job to run; None when the job is not waiting."""
        if self.mode == "client":
            with self.state.state() as db:
                waiting = [j.id for j in job_store.queued(db)]
            return waiting.index(job_id) + 1 if job_id in waiting else None
        with self._queue.mutex:
            waiting = [j for j in self._queue.queue if j is not None and j not in self._cancel]
        return waiting.index(job_id) + 1 if job_id in waiting else None

    def delete(self, job: JobRecord, wait_s: float = 60.0) -> None:
        """Remove a job and its files; a running job is stopped first (at its next
        chunk), a queued one never starts."""
        if self.mode == "client":  # the runner stops a job whose row is gone
            with self.state.state() as db:
                job_store.delete(db, job.id)
            shutil.rmtree(self.root / job.id, ignore_errors=True)
            return
        with self._lock:
            self._cancel.add(job.id)
            deadline = time.monotonic() + wait_s
            while self._live is not None and self._live.id == job.id:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise HermitError(f"job {job.id} did not stop within {wait_s:.0f} s")
                self._idle.wait(left)
        with self.state.state() as db:
            job_store.delete(db, job.id)
        shutil.rmtree(self.root / job.id, ignore_errors=True)

    # -- the worker
    def _work(self) -> None:
        while not self._stopping.is_set():
            if self.renew is not None and self.state.ready and self.state.outdated():
                self.renew()  # between jobs: none is running
            try:
                job_id = self._queue.get(timeout=self.poll_s if self.mode == "runner" else None)
            except queue.Empty:  # uploads recorded by the service's processes
                self._take_uploads()
                continue
            if job_id is None:
                return
            with self._lock:
                if job_id in self._cancel:
                    self._cancel.discard(job_id)
                    continue
            try:
                self._run(job_id)
            except Exception:  # a bug: the worker must go on with the next job
                log.exception("job %s: unexpected error in the job worker", job_id)

    def _take_uploads(self) -> None:
        with self.state.state() as db:
            waiting = job_store.queued(db)
        for job in waiting:
            if job.id not in self._queued:
                self._put(job.id)

    def _gone(self, job_id: str) -> bool:
        """Whether a client deleted the job (its row is gone)."""
        if self.mode != "runner":
            return False
        with self.state.state() as db:
            return job_store.get(db, job_id) is None

    def _wait_ready(self) -> bool:
        while not self.state.ready:
            if self._stopping.wait(0.2):
                return False
        return True

    def _run(self, job_id: str) -> None:
        with self.state.state() as db:
            job = job_store.get(db, job_id)
        if job is None or job.status != "queued" or not self._wait_ready():
            return
        screener = self.state.snapshot.screener
        job.status = "running"
        job.started_at = datetime.now(UTC)
        job.algorithm = screener.info.algorithm
        job.lists = [
            {"dataset": v.dataset, "seq": v.seq, "title": v.title, "sha256": v.content_sha256}
            for v in screener.info.lists
        ]
        self._save(job)
        with self._lock:
            self._live = job
        files = self.files(job)
        saved = time.monotonic()

        def on_chunk(counts: Counts, estimated_rows: int | None) -> None:
            nonlocal saved
            with self._lock:
                job.count(counts, estimated_rows)
            if time.monotonic() - saved >= SAVE_EVERY_S:
                saved = time.monotonic()
                self._save(job)

        def stop() -> bool:
            if self._stopping.is_set() or job.id in self._cancel:
                return True
            if self._gone(job.id):
                with self._lock:
                    self._cancel.add(job.id)
                return True
            return False

        try:
            summary = screen_file(files, screener, job.candidate_limit, on_chunk, stop)
        except JobStopped:
            self._end(job, "failed", None if job.id in self._cancel else STOPPED)
            return
        except Exception as exc:
            if not isinstance(exc, HermitError):
                log.exception("job %s failed", job.id)
            self._end(job, "failed", user_message(exc, files))
            return
        with self._lock:
            job.count(summary.counts, job.estimated_rows)
            job.run_record = summary.as_dict()
        self._end(job, "done", None)

    def _end(self, job: JobRecord, status: str, error: str | None) -> None:
        with self._lock:
            job.status = status
            job.error = error
            job.finished_at = datetime.now(UTC)
            cancelled = job.id in self._cancel
        if not cancelled:
            self._save(job)
        elif self.mode == "runner":  # deleted by a client: its files go too
            shutil.rmtree(self.root / job.id, ignore_errors=True)
        with self._lock:
            self._live = None
            self._cancel.discard(job.id)
            self._idle.notify_all()

    def _save(self, job: JobRecord) -> None:
        with self._lock:
            snapshot = replace(job, lists=list(job.lists))
        with self.state.state() as db:
            job_store.save(db, snapshot)
