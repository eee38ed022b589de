"""The rate limit's token buckets, shared by every worker process of a service.

``hermit serve --workers N`` answers requests in N processes; buckets held in each
process's memory let a client make N times its limit (one bucket per worker it reaches).
The buckets live instead in a small SQLite file beside the store (``hermit.duckdb`` ->
``hermit.duckdb.rates.sqlite``), one row per client, and every request takes its token
in one statement (an upsert that refills the bucket, takes a token if there is one and
returns what it did), so two workers never both spend the same token: SQLite runs one
writer at a time and the others wait their turn (``busy_timeout``).

Not the store's DuckDB file (one writing process per file) nor the service's state
database (hermit.store.state): buckets are written at every request, need no
durability (a bucket lost in a crash is a full bucket again) and so run without syncing
to disk (``synchronous=OFF``), which the audit log must not. Times are wall-clock
seconds (``time.time``), which every process reads alike.

When the file cannot be written (a full disk, a lock held past ``BUSY_S``) the request is
let through and the failure logged: the limit protects the service from overload, it
does not decide who may read.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("hermit.api")

SUFFIX = ".rates.sqlite"
#: How long a worker waits for another's write before letting the request through.
BUSY_S = 2.0
#: A bucket not touched for this long is full again and is forgotten.
IDLE_S = 60.0

_TABLE = """
CREATE TABLE IF NOT EXISTS buckets (
    client TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    at REAL NOT NULL,
    allowed INTEGER NOT NULL
)
"""
#: Refill (at most ``:cap``), take one token when there is one; the row as it is after.
_TAKE = """
INSERT INTO buckets (client, tokens, at, allowed) VALUES (:client, :cap - 1.0, :now, 1)
ON CONFLICT (client) DO UPDATE SET
    tokens = CASE
        WHEN min(:cap, tokens + max(0.0, :now - at) * :rate) >= 1.0
        THEN min(:cap, tokens + max(0.0, :now - at) * :rate) - 1.0
        ELSE min(:cap, tokens + max(0.0, :now - at) * :rate)
    END,
    allowed = min(:cap, tokens + max(0.0, :now - at) * :rate) >= 1.0,
    at = max(at, :now)
RETURNING tokens, allowed
"""


def rates_path(store_path: Path) -> Path:
    """The buckets' file beside ``store_path``."""
    return store_path.with_name(store_path.name + SUFFIX)


class RateLimiter:
    """Token buckets per client: each holds up to ``per_minute`` requests and refills at
    ``per_minute / 60`` a second, kept in the SQLite file ``path`` (every process that
    opens it shares the buckets), or in memory for this process alone when ``path`` is
    None."""

    def __init__(
        self,
        per_minute: int,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if per_minute < 1:
            raise ValueError(f"a rate limit of {per_minute} requests a minute allows none")
        self.capacity = float(per_minute)
        self.refill_per_s = per_minute / 60.0
        self.clock = clock
        self.path = path
        self._lock = threading.Lock()
        self._con = sqlite3.connect(
            ":memory:" if path is None else str(path),
            timeout=BUSY_S,
            isolation_level=None,  # autocommit: each take is its own transaction
            check_same_thread=False,
        )
        if path is not None:
            self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA synchronous=OFF")
        self._con.execute(_TABLE)
        self._next_prune = clock() + IDLE_S

    def take(self, client: str) -> float | None:
        """Spend one request of ``client``'s; None when allowed, else the seconds to
        wait."""
        now = self.clock()
        params = {"client": client, "cap": self.capacity, "now": now, "rate": self.refill_per_s}
        try:
            with self._lock:
                if now >= self._next_prune:
                    self._prune(now)
                row = self._con.execute(_TAKE, params).fetchone()
        except sqlite3.Error as exc:
            log.warning("rate limit not counted (%s: %s): request let through", self.path, exc)
            return None
        tokens, allowed = float(row[0]), bool(row[1])
        return None if allowed else (1.0 - tokens) / self.refill_per_s

    def _prune(self, now: float) -> None:
        """Forget clients whose bucket has refilled (IDLE_S idle): the file stays bounded
        by the clients of the last minute."""
        self._next_prune = now + IDLE_S
        self._con.execute("DELETE FROM buckets WHERE at < ?", (now - IDLE_S,))

    def clients(self) -> set[str]:
        """The clients with a bucket (the others' are full)."""
        with self._lock:
            return {str(r[0]) for r in self._con.execute("SELECT client FROM buckets")}

    def close(self) -> None:
        with self._lock:
            self._con.close()
