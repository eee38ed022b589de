"""What a bulk run did: its counts, files, timing and the screening run's identity.
``BulkSummary.as_dict`` is the run record written beside the output (``.run.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import hermit
from hermit.screening.bulk.rows import Rejected, Warned
from hermit.screening.bulk.work import ChunkResult
from hermit.screening.result import RunInfo

#: How many rejected and warned rows a summary keeps to show (the run record holds
#: them; all rejected rows are in the rejects file, all warnings in the results file).
SHOWN_ROWS = 50


@dataclass(slots=True)
class Counts:
    """Running totals: ``read == screened + rejected`` once a run is done; ``clear``
    and ``with_warnings`` count screened queries."""

    read: int = 0
    screened: int = 0
    rejected: int = 0
    with_warnings: int = 0  # screened with a field set aside or read with an assumption
    clear: int = 0  # screened, nothing at or above the report floor
    with_alerts: int = 0
    candidates: int = 0  # result rows written for candidates (clear rows not counted)
    matches: int = 0
    suppressed: int = 0
    lapsed: int = 0
    #: Screened queries answered as an identical earlier one by the memo of the process
    #: that screened them (hermit.screening.memo): depends on how rows were shared among
    #: workers, so not among the counts that as_dict gives (the run record's ``memo``).
    repeated: int = 0
    #: Warnings by query field (``row`` for a record's own: extra or missing cells).
    warnings_by_field: dict[str, int] = field(default_factory=dict)
    first_rejects: list[Rejected] = field(default_factory=list)
    first_warned: list[Warned] = field(default_factory=list)

    def add(self, chunk: ChunkResult, result_rows: int | None = None) -> None:
        """Add a chunk's counts; ``result_rows``: how many result rows it gave, when
        its ``rows`` were written elsewhere (an engine's executors) and are not in it."""
        self.read += chunk.read
        self.screened += chunk.screened
        self.rejected += len(chunk.rejected)
        self.with_warnings += len(chunk.warned)
        self.clear += chunk.clear
        self.with_alerts += chunk.with_alerts
        self.candidates += (len(chunk.rows) if result_rows is None else result_rows) - chunk.clear
        self.matches += chunk.matches
        self.suppressed += chunk.suppressed
        self.lapsed += chunk.lapsed
        self.repeated += chunk.repeated
        for warned in chunk.warned:
            for w in warned.warnings:
                self.warnings_by_field[w.field] = self.warnings_by_field.get(w.field, 0) + 1
        room = SHOWN_ROWS - len(self.first_rejects)
        if room > 0:
            self.first_rejects.extend(chunk.rejected[:room])
        room = SHOWN_ROWS - len(self.first_warned)
        if room > 0:
            self.first_warned.extend(chunk.warned[:room])

    def as_dict(self) -> dict[str, object]:
        return {
            "queries_read": self.read,
            "screened": self.screened,
            "rejected": self.rejected,
            "with_warnings": self.with_warnings,
            "clear": self.clear,
            "with_alerts": self.with_alerts,
            "candidates": self.candidates,
            "matches": self.matches,
            "suppressed": self.suppressed,
            "lapsed": self.lapsed,
            "warnings_by_field": dict(sorted(self.warnings_by_field.items())),
        }

    def shown_rows(self) -> dict[str, list[dict[str, object]]]:
        """The first rejected and warned rows with their reasons (the run record's
        ``first_rows``, which the web batch page shows)."""
        return {
            "rejected": [
                {"row": r.row, "line": r.line, "field": r.field, "reason": r.reason}
                for r in self.first_rejects
            ],
            "warned": [
                {
                    "row": w.row,
                    "line": w.line,
                    "query_id": w.query_id,
                    "name": w.name,
                    "warnings": [x.as_dict() for x in w.warnings],
                }
                for w in self.first_warned
            ],
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
    removed: tuple[Path, ...] = ()  # temporary files a run that did not finish left
    engine: str = "duckdb"  # what ran it: this machine (duckdb), or spark (hermit.engine)

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
            "removed_leftovers": [str(p) for p in self.removed],
            "counts": self.counts.as_dict(),
            "memo": {"repeated": self.counts.repeated},
            "first_rows": self.counts.shown_rows(),
            "limit": self.limit,
            "workers": self.workers,
            "engine": self.engine,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "screening_seconds": round(self.screening_seconds, 3),
        }
