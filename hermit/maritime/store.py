"""The AIS store: one DuckDB file beside the list store (``<store>.ais.duckdb``), kept
apart like the registry store so that position loads never lock the list store.

Each ``load`` is a version: the files read (with their layout and row counts), the
positions kept (one per MMSI and time, with their file and row and the jump flag), the
vessels seen (MMSI, flag from the MID, names, IMOs), and every problem found with its
file, row, value and reason (hermit/maritime/validate.py). A load is one transaction:
a file that cannot be read stores nothing of the load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from hermit.dbfiles import connect
from hermit.errors import StoreError
from hermit.maritime import params, validate
from hermit.maritime.geo import add_macros
from hermit.maritime.read import stage_files
from hermit.maritime.reference import load_reference
from hermit.maritime.stages import StageClock, stage

SCHEMA_VERSION = "2"
DDL = """
CREATE TABLE IF NOT EXISTS ais_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS ais_loads (
  load_id INTEGER PRIMARY KEY, loaded_at TIMESTAMP, algorithm VARCHAR, files JSON);
CREATE TABLE IF NOT EXISTS ais_positions (
  load_id INTEGER, file_id INTEGER, row BIGINT, mmsi BIGINT, ts TIMESTAMP,
  lat DOUBLE, lon DOUBLE, sog DOUBLE, cog DOUBLE, heading DOUBLE, vessel_name VARCHAR,
  imo VARCHAR, call_sign VARCHAR, vessel_type SMALLINT, jump BOOLEAN, conflict BOOLEAN);
CREATE TABLE IF NOT EXISTS ais_vessels (
  load_id INTEGER, mmsi BIGINT, flag VARCHAR, names VARCHAR[], imos VARCHAR[],
  call_signs VARCHAR[], vessel_type SMALLINT, n_positions BIGINT,
  first_ts TIMESTAMP, last_ts TIMESTAMP);
CREATE TABLE IF NOT EXISTS ais_problems (
  load_id INTEGER, kind VARCHAR, file_id INTEGER, row BIGINT, mmsi BIGINT, ts TIMESTAMP,
  field VARCHAR, value VARCHAR, n_rows BIGINT, reason VARCHAR);
"""


def ais_store_path(store_path: Path) -> Path:
    """The AIS store beside a list store: hermit.duckdb -> hermit.ais.duckdb."""
    return store_path.with_name(store_path.stem + ".ais.duckdb")


@dataclass(slots=True)
class LoadSummary:
    """What one load holds: files, positions, vessels, problems per kind."""

    load_id: int
    loaded_at: dt.datetime
    algorithm: str
    files: list[dict[str, Any]]
    rows_read: int
    positions: int
    vessels: int
    first_ts: dt.datetime | None
    last_ts: dt.datetime | None
    # kind -> {"problems": rows of the problem table, "mmsis": distinct MMSIs,
    #          "values": distinct values, "rows": position rows concerned}
    problems: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "loaded_at": self.loaded_at.isoformat(),
            "algorithm": self.algorithm,
            "files": self.files,
            "rows_read": self.rows_read,
            "positions": self.positions,
            "vessels": self.vessels,
            "first_ts": None if self.first_ts is None else self.first_ts.isoformat(),
            "last_ts": None if self.last_ts is None else self.last_ts.isoformat(),
            "problems": self.problems,
        }


class AisStore:
    """An open AIS store; use as a context manager."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"{path}: no AIS loaded yet (hermit ais load FILES)")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = connect(path, read_only=read_only)
            self.con.execute("SET TimeZone = 'UTC'")
            if not read_only:
                self.con.execute(DDL)
                self.con.execute(
                    "INSERT OR IGNORE INTO ais_meta VALUES ('schema_version', ?)",
                    [SCHEMA_VERSION],
                )
            found = self.con.execute(
                "SELECT value FROM ais_meta WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a hermit AIS store or locked: {exc}") from None
        if found is None or found[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{path}: AIS store schema {found}, this hermit needs {SCHEMA_VERSION}"
            )
        add_macros(self.con)
        load_reference(self.con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> AisStore:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def load(
        self, paths: list[Path], nmea_decoder: str = "hermit", clock: StageClock | None = None
    ) -> LoadSummary:
        """Read, check and store the files as one new load; all or nothing (raw NMEA
        through ``nmea_decoder``: ``hermit``, or ``pyais`` for the reference reader;
        ``clock``: the CPU and wall seconds of each stage, for the benchmarks)."""
        p = params.validation()
        row = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM ais_loads").fetchone()
        assert row is not None
        load_id = int(row[0])
        self.con.execute("BEGIN TRANSACTION")
        try:
            with stage(clock, "load: stage files"):
                read = stage_files(self.con, paths, nmea_decoder)
            files = [
                {
                    "file_id": i,
                    "path": r.path,
                    "layout": r.layout,
                    "rows": r.rows,
                    **({"nmea": r.nmea} if r.nmea else {}),
                    **({"reader": r.reader} if r.reader else {}),
                }
                for i, r in enumerate(read, start=1)
            ]
            self.con.execute(
                "INSERT INTO ais_loads VALUES (?, ?, ?, ?)",
                [
                    load_id,
                    dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    p.algorithm,
                    orjson.dumps(files).decode(),
                ],
            )
            with stage(clock, "load: positions and jump flags"):
                validate.insert_positions(self.con, load_id, p)
            with stage(clock, "load: row problems"):
                validate.row_problems(self.con, load_id, p)
            with stage(clock, "load: vessel problems"):
                validate.vessel_problems(self.con, load_id, p)
                validate.stage_problems(self.con, load_id)
            with stage(clock, "load: vessels"):
                self._vessels(load_id)
            with stage(clock, "load: commit"):
                self.con.execute("DROP TABLE _stage")
                self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        with stage(clock, "load: summary"):
            return self.summary(load_id)

    def _vessels(self, load_id: int) -> None:
        self.con.execute(
            """
            INSERT INTO ais_vessels
            SELECT ?, v.mmsi, m.allocated_to, names, imos, call_signs, vessel_type, n, f, l
            FROM (SELECT mmsi, list_sort(list_distinct(list(vessel_name))) AS names,
                    list_sort(list_distinct(list(imo))) AS imos,
                    list_sort(list_distinct(list(call_sign))) AS call_signs,
                    mode(vessel_type) AS vessel_type, count(*) AS n, min(ts) AS f, max(ts) AS l
                  FROM ais_positions WHERE load_id = ? GROUP BY mmsi) v
            LEFT JOIN ref_mids m
              ON v.mmsi BETWEEN 200000000 AND 799999999 AND m.mid = v.mmsi // 1000000
            """,
            [load_id, load_id],
        )

    def latest_load(self) -> int:
        row = self.con.execute("SELECT max(load_id) FROM ais_loads").fetchone()
        if row is None or row[0] is None:
            raise StoreError(f"{self.path}: no AIS loaded yet (hermit ais load FILES)")
        return int(row[0])

    def load_id(self, load_id: int | None = None) -> int:
        """The load asked for (default: the latest), checked to exist by its row of
        ``ais_loads`` alone (``summary`` counts every position of the load)."""
        if load_id is None:
            return self.latest_load()
        row = self.con.execute("SELECT 1 FROM ais_loads WHERE load_id = ?", [load_id]).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no AIS load {load_id}")
        return load_id

    def summary(self, load_id: int | None = None) -> LoadSummary:
        """The summary of a load (default: the latest)."""
        if load_id is None:
            load_id = self.latest_load()
        head = self.con.execute(
            "SELECT loaded_at, algorithm, files FROM ais_loads WHERE load_id = ?", [load_id]
        ).fetchone()
        if head is None:
            raise StoreError(f"{self.path}: no AIS load {load_id}")
        files = orjson.loads(head[2])
        counts = self.con.execute(
            "SELECT count(*), min(ts), max(ts) FROM ais_positions WHERE load_id = ?", [load_id]
        ).fetchone()
        vessels = self.con.execute(
            "SELECT count(*) FROM ais_vessels WHERE load_id = ?", [load_id]
        ).fetchone()
        assert counts is not None and vessels is not None
        problems = {
            str(kind): {"problems": int(n), "mmsis": int(m), "values": int(v), "rows": int(r)}
            for kind, n, m, v, r in self.con.execute(
                """
                SELECT kind, count(*), count(DISTINCT mmsi), count(DISTINCT value), sum(n_rows)
                FROM ais_problems WHERE load_id = ? GROUP BY kind ORDER BY kind
                """,
                [load_id],
            ).fetchall()
        }
        return LoadSummary(
            load_id=load_id,
            loaded_at=head[0],
            algorithm=str(head[1]),
            files=files,
            rows_read=sum(int(f["rows"]) for f in files),
            positions=int(counts[0]),
            vessels=int(vessels[0]),
            first_ts=counts[1],
            last_ts=counts[2],
            problems=problems,
        )
