"""How processes share one store, from ``resources/sharing.yaml`` (each value is
explained there)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Sharing:
    lock_wait_s: float  # how long opening the DuckDB store waits for another process
    busy_timeout_ms: int  # how long a state write waits for another process's write
    poll_s: float  # how often a service process looks for changes by others
    keep_versions: int  # published list versions kept besides the current one


@cache
def sharing() -> Sharing:
    import yaml

    path = resources.files("hermit") / "resources" / "sharing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    wait = os.environ.get("HERMIT_STORE_LOCK_WAIT")  # the operator's own, in seconds
    return Sharing(
        lock_wait_s=float(wait) if wait else float(data["store"]["lock_wait_s"]),
        busy_timeout_ms=int(data["state"]["busy_timeout_ms"]),
        poll_s=float(data["service"]["poll_s"]),
        keep_versions=int(data["service"]["keep_versions"]),
    )
