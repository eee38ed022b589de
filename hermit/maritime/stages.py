"""CPU and wall seconds by stage of an AIS load or event run, for the benchmarks: a
caller passes a ``StageClock`` and reads ``cpu`` and ``wall`` after (stage name ->
seconds, summed when a stage runs again). CPU seconds are the process's user + system
time (``time.process_time``: DuckDB's threads included)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(slots=True)
class StageClock:
    cpu: dict[str, float] = field(default_factory=dict)
    wall: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        c0, w0 = time.process_time(), time.perf_counter()
        try:
            yield
        finally:
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c0
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - w0


@contextmanager
def stage(clock: StageClock | None, name: str) -> Iterator[None]:
    """``clock.stage(name)``, or nothing when there is no clock."""
    if clock is None:
        yield
        return
    with clock.stage(name):
        yield
