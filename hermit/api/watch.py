"""What another process changed: each service process looks every ``poll_s``
(resources/sharing.yaml) for a list version published by the command line or another of
the service's processes (hermit.store.published), and for keys and suppressions written
by them (their revisions in the state database), and swaps in the new Snapshot, KeyRing
or decisions; requests in flight keep the ones they started with."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hermit.api.keys import KeyRing
from hermit.api.state import ServiceState

log = logging.getLogger("hermit.api")


class Watcher:
    """A daemon thread that calls ``check`` every ``poll_s`` until stopped."""

    def __init__(
        self,
        state: ServiceState,
        keys: Callable[[], KeyRing],
        set_keys: Callable[[KeyRing], None],
        poll_s: float,
        *,
        rebuild: bool = True,
    ) -> None:
        #: Whether a new list version is built and swapped in here (the job runner
        #: starts again instead: hermit.api.job_process).
        self.rebuild = rebuild
        self.state = state
        self._keys = keys
        self._set_keys = set_keys
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hermit-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.check()
            except Exception:  # the next round tries again; the service stays up
                log.exception("looking for changes by other processes failed")

    def check(self) -> None:
        """Reload what changed since this process last read it."""
        with self.state.state() as db:
            keys = db.revision("keys")
            decisions = db.revision("suppressions")
        if keys != self._keys().revision:
            with self.state.state() as db:
                self._set_keys(KeyRing.load(db))
            log.info("keys changed: reloaded")
        ready = self.state.ready
        snapshot = self.state.build_if_outdated() if ready and self.rebuild else None
        if snapshot is not None:  # its suppressions read afresh too
            log.info(
                "new list version: index ready, %d entities from %s in %.1f s",
                len(snapshot.entities),
                ", ".join(f"{v.dataset} v{v.seq}" for v in snapshot.versions) or "no lists",
                snapshot.build_seconds,
            )
        elif ready and decisions != self.state.suppressions_revision:
            self.state.refresh_suppressions()
            log.info("suppressions changed: reloaded")
