"""What a bulk run did: its counts, files, timing and the screening run's identity.
``BulkSummary.as_dict`` is the run record written beside the output (``.run.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import hermit
from hermit.screening.bulk.rows import Rejected
from hermit.screening.bulk.work import ChunkResult
from hermit.screening.result import RunInfo

#: How many rejected rows a summary keeps to show (all are in the rejects file).
SHOWN_REJECTS = 20


@dataclass(slots=True)
class Counts:
    """Running totals: ``read == screened + rejected`` once a run is done."""

    read: int = 0
    screened: int = 0
    rejected: int = 0
    with_alerts: int = 0
    candidates: int = 0  # result rows written
    matches: int = 0
    suppressed: int = 0
    lapsed: int = 0
    first_rejects: list[Rejected] = field(default_factory=list)

    def add(self, chunk: ChunkResult) -> None:
        self.read += chunk.read
        self.screened += chunk.screened
        self.rejected += len(chunk.rejected)
        self.with_alerts += chunk.with_alerts
        self.candidates += len(chunk.rows)
        self.matches += chunk.matches
        self.suppressed += chunk.suppressed
        self.lapsed += chunk.lapsed
        room = SHOWN_REJECTS - len(self.first_rejects)
        if room > 0:
            self.first_rejects.extend(chunk.rejected[:room])

    def as_dict(self) -> dict[str, int]:
        return {
            "queries_read": self.read,
            "screened": self.screened,
            "rejected": self.rejected,
            "with_alerts": self.with_alerts,
            "candidates": self.candidates,
            "matches": self.matches,
            "suppressed": self.suppressed,
            "lapsed": self.lapsed,
        }


@dataclass(frozen=True, slots=True)
class BulkSummary:
    """A finished run: where it read and wrote, what it found, how long it took."""

    input: Path
    input_format: str
    input_sha256: str
    output: Path
    output_format: str
    rejects: Path
    run_record: Path
    run: RunInfo
    counts: Counts
    unknown_columns: tuple[str, ...]
    workers: int
    limit: int
    started_at: datetime
    screening_from: datetime  # when the Screener was ready and the first row was read
    finished_at: datetime

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def screening_seconds(self) -> float:
        return (self.finished_at - self.screening_from).total_seconds()

    def as_dict(self) -> dict[str, object]:
        return {
            "hermit_version": hermit.__version__,
            "run": self.run.as_dict(),
            "input": {
                "path": str(self.input),
                "format": self.input_format,
                "sha256": self.input_sha256,
                "ignored_columns": list(self.unknown_columns),
            },
            "output": {
                "path": str(self.output),
                "format": self.output_format,
                "rejects": str(self.rejects),
            },
            "counts": self.counts.as_dict(),
            "limit": self.limit,
            "workers": self.workers,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "screening_seconds": round(self.screening_seconds, 3),
        }
