"""The batch-job runner of ``hermit serve``: a process of its own, so that screening a
job's file never takes CPU time from the processes answering /match.

It holds what a service process holds (hermit.api.state: the newest published list
version, its Screener, the suppressions, decisions swapped in when another process
records them; on a newer list version it starts again, between jobs, with the same pid:
os.execv), takes the jobs the service's processes record as ``queued`` in the state
database, and runs them one at a time (hermit.api.jobs, ``runner`` mode). It stops on
SIGTERM or SIGINT (a running job is then ``failed``, "interrupted", as before), or when
the process that started it is gone.

    python -m hermit.api.job_process SETTINGS_JSON SERVICE_PID
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

from hermit.api.jobs import JobManager
from hermit.api.keys import KeyRing
from hermit.api.served import settings_from_json
from hermit.api.state import ServiceState
from hermit.api.watch import Watcher
from hermit.store.sharing import sharing

log = logging.getLogger("hermit.api.jobs")


def run(settings_json: str, parent: int) -> None:
    """Run jobs until stopped or until the process ``parent`` (the service) is gone."""
    settings = settings_from_json(settings_json)
    stop = threading.Event()
    poll_s = sharing().poll_s

    def orphaned() -> None:  # the service gone (even killed): end, from any stage
        while os.getppid() == parent:
            time.sleep(poll_s)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=orphaned, name="hermit-parent", daemon=True).start()
    state = ServiceState(settings)  # until here SIGTERM ends the process at once
    rings = [KeyRing([])]  # jobs need no keys; kept current all the same (cheap)

    def set_ring(ring: KeyRing) -> None:
        rings[0] = ring

    # a new list version: the process starts again on it, between jobs, instead of
    # building it beside the one in use (two snapshots at once, and memory the old one
    # leaves behind: BENCHMARKS.md "The service's memory across a list load")
    watcher = Watcher(state, lambda: rings[0], set_ring, poll_s, rebuild=False)
    manager = JobManager(state, mode="runner", poll_s=poll_s)

    def renew() -> None:
        log.info("new list version: the job runner starts again to read it")
        logging.shutdown()  # its lines written before the process image goes
        with state.state():  # no other thread amid a write to the state database
            argv = [sys.executable, "-m", "hermit.api.job_process", settings_json, str(parent)]
            os.execv(sys.executable, argv)

    manager.renew = renew

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    try:
        state.build()
        # from here a stop lets a running job end as "interrupted"
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        log.info("job runner ready (pid %d)", os.getpid())
        watcher.start()
        manager.start()
        while not stop.wait(poll_s):
            pass
    finally:
        manager.stop()
        watcher.stop()
        state.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    run(sys.argv[1], int(sys.argv[2]))
