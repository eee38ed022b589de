"""The registry store: one DuckDB file beside the list store (``<store>.registry.duckdb``),
kept apart so that registry loads never lock or migrate the list store.

Each ``load`` is a version: the files it read, every record (entity JSON with its
provenance and validity dates), every rejected row and refused value with its reason,
and every identifier checked (scheme, value, valid, reason). A load is one transaction:
a file that cannot be read at all stores nothing of the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from hermit.dbfiles import connect
from hermit.errors import StoreError
from hermit.registry.records import Item, RegistryRecord, Rejected

SCHEMA_VERSION = "1"
DDL = """
CREATE TABLE IF NOT EXISTS registry_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS registry_loads (
  load_id INTEGER PRIMARY KEY, loaded_at TIMESTAMP, files VARCHAR[]);
CREATE TABLE IF NOT EXISTS registry_records (
  load_id INTEGER, record_id VARCHAR, schema VARCHAR, registry VARCHAR, file VARCHAR,
  row INTEGER, valid_from VARCHAR, valid_to VARCHAR, entity JSON);
CREATE TABLE IF NOT EXISTS registry_problems (
  load_id INTEGER, kind VARCHAR, file VARCHAR, row INTEGER, record_id VARCHAR,
  prop VARCHAR, value VARCHAR, reason VARCHAR);
CREATE TABLE IF NOT EXISTS registry_identifiers (
  load_id INTEGER, record_id VARCHAR, scheme VARCHAR, raw VARCHAR, value VARCHAR,
  valid BOOLEAN, reason VARCHAR);
"""


def registry_store_path(store_path: Path) -> Path:
    """The registry store beside a list store: hermit.duckdb -> hermit.registry.duckdb."""
    return store_path.with_name(store_path.stem + ".registry.duckdb")


@dataclass(frozen=True, slots=True)
class LoadCounts:
    load_id: int
    records: int
    rejected: int
    refused: int


class RegistryStore:
    """An open registry store; use as a context manager."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path = path
        if read_only and not path.exists():
            raise StoreError(f"{path}: no registry loaded yet (hermit registry load FILES)")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = connect(path, read_only=read_only)
            if not read_only:
                self.con.execute(DDL)
                self.con.execute(
                    "INSERT OR IGNORE INTO registry_meta VALUES ('schema_version', ?)",
                    [SCHEMA_VERSION],
                )
            found = self.con.execute(
                "SELECT value FROM registry_meta WHERE key = 'schema_version'"
            ).fetchone()
        except duckdb.Error as exc:
            raise StoreError(f"{path}: not a hermit registry store or locked: {exc}") from None
        if found is None or found[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{path}: registry store schema {found}, this hermit needs {SCHEMA_VERSION}"
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> RegistryStore:
        return self

    def __exit__(
        self, t: type[BaseException] | None, v: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def load(self, files: list[str], items: Iterable[Item], batch: int = 50_000) -> LoadCounts:
        """Store every item as a new load; all or nothing."""
        found = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM registry_loads")
        row = found.fetchone()
        assert row is not None
        load_id = int(row[0])
        buffers: dict[str, list[tuple[Any, ...]]] = {"records": [], "problems": [], "ids": []}
        counts = {"records": 0, "rejected": 0, "refused": 0}
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                "INSERT INTO registry_loads VALUES (?, ?, ?)",
                [load_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), files],
            )
            for item in items:
                self._buffer(load_id, item, buffers, counts)
                if sum(len(b) for b in buffers.values()) >= batch:
                    self._flush(buffers)
            self._flush(buffers)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return LoadCounts(load_id, counts["records"], counts["rejected"], counts["refused"])

    @staticmethod
    def _buffer(
        load_id: int, item: Item, buffers: dict[str, list[tuple[Any, ...]]], counts: dict[str, int]
    ) -> None:
        if isinstance(item, RegistryRecord):
            p = item.provenance
            buffers["records"].append(
                (
                    load_id,
                    p.record_id,
                    item.schema,
                    p.registry,
                    p.file,
                    p.row,
                    item.valid_from,
                    item.valid_to,
                    orjson.dumps(item.entity).decode(),
                )
            )
            for c in item.identifiers:
                buffers["ids"].append(
                    (load_id, p.record_id, c.scheme, c.raw, c.value, c.valid, c.reason)
                )
            counts["records"] += 1
        elif isinstance(item, Rejected):
            buffers["problems"].append(
                (load_id, "rejected", item.file, item.row, item.record_id, None, None, item.reason)
            )
            counts["rejected"] += 1
        else:
            buffers["problems"].append(
                (
                    load_id,
                    "refused",
                    item.file,
                    item.row,
                    item.record_id,
                    item.prop,
                    item.value,
                    item.reason,
                )
            )
            counts["refused"] += 1

    def _flush(self, buffers: dict[str, list[tuple[Any, ...]]]) -> None:
        import pyarrow as pa

        tables = {
            "records": "registry_records",
            "problems": "registry_problems",
            "ids": "registry_identifiers",
        }
        for key, rows in buffers.items():
            if not rows:
                continue
            columns = [
                d[0] for d in self.con.execute(f"SELECT * FROM {tables[key]} LIMIT 0").description
            ]
            arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
            self.con.register("_batch", arrow)
            self.con.execute(f"INSERT INTO {tables[key]} SELECT * FROM _batch")
            self.con.unregister("_batch")
            rows.clear()
