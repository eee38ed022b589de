"""The service's operational state beside the store: API keys, the audit log, batch jobs
and suppression decisions, in a SQLite database (``hermit.duckdb`` ->
``hermit.duckdb.state.sqlite``).

Why not the DuckDB file: DuckDB lets one process write a file, and a process holding it
(even read-only) keeps every other from writing. The running service writes an audit row
for every write request and a job's counts every couple of seconds, while the command
line adds keys and suppressions; in one DuckDB file each would lock the other out.
SQLite in WAL mode takes small writes from several processes, each waiting its turn
(``busy_timeout``) instead of failing, and readers never block the writer.

Each kind of state has a revision (``revisions``: a number bumped in the same
transaction as every change of it), so a process holding a copy in memory (the
service's KeyRing and suppressions, a single screen's cached store facts) can tell
cheaply whether it is still current.

A state database made by a hermit that kept this state in the DuckDB file is filled from
its tables (``api_keys``, ``audit_log``, ``jobs``, ``suppressions``) the first time it is
opened (``migrated`` in ``meta`` says it was done; the DuckDB tables are then left as
they are and no longer read or written).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hermit.errors import StoreError

if TYPE_CHECKING:
    import duckdb

SUFFIX = ".state.sqlite"
SCHEMA_VERSION = "1"

TABLES = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS revisions (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
-- API keys of the HTTP service (hermit/api/keys.py): only each key's SHA-256 is kept.
-- A revoked key keeps its row (revoked_at, revoked_by). Times: UTC, ISO 8601 text.
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT,
    revoked_by TEXT
);
-- Every request that writes, accepted or refused (hermit/api/audit.py). Append-only.
CREATE TABLE IF NOT EXISTS audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    logged_at TEXT NOT NULL,
    key_id TEXT,
    key_name TEXT NOT NULL,
    role TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    status INTEGER NOT NULL,
    client TEXT,
    summary TEXT
);
-- Analysts' decisions that a (query, listed entity) pair is not a match
-- (hermit/screening/suppressions). facts: JSON object; dataset, list_seq,
-- entity_fingerprint: the listed entity's state when decided (NULL with facts in rows
-- recorded before they were kept). A replaced or removed decision keeps its row.
CREATE TABLE IF NOT EXISTS suppressions (
    rowid INTEGER PRIMARY KEY,
    entity_id TEXT NOT NULL,
    query_id TEXT,
    query_name TEXT,
    name_key TEXT,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    removed_by TEXT,
    removed_at TEXT,
    facts TEXT,
    dataset TEXT,
    list_seq INTEGER,
    entity_fingerprint TEXT,
    CHECK ((query_id IS NULL) <> (name_key IS NULL))
);
CREATE INDEX IF NOT EXISTS suppressions_standing ON suppressions (entity_id)
    WHERE removed_at IS NULL;
-- Batch screening jobs of the HTTP service (hermit/api/job_store.py).
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    file_name TEXT NOT NULL,
    input_format TEXT NOT NULL,
    output_format TEXT NOT NULL,
    candidate_limit INTEGER NOT NULL,
    upload_bytes INTEGER NOT NULL,
    status TEXT NOT NULL,
    estimated_rows INTEGER,
    rows_read INTEGER NOT NULL DEFAULT 0,
    screened INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    alerts INTEGER NOT NULL DEFAULT 0,
    matches INTEGER NOT NULL DEFAULT 0,
    candidates INTEGER NOT NULL DEFAULT 0,
    with_warnings INTEGER NOT NULL DEFAULT 0,
    clear INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    started_at TEXT,
    finished_at TEXT,
    algorithm TEXT,
    lists TEXT,
    run_record TEXT,
    -- the id of the key that uploaded it (a key's name is not unique); NULL for a job
    -- of an older store whose creator's name several keys had: an administrator's only
    owner_key_id TEXT
);
"""

#: Jobs of a DuckDB store older than owners: each goes to the one key that ever had its
#: creator's name (none where several had it). Run once, when they are copied.
_FILL_OWNERS = """
UPDATE jobs SET owner_key_id = (SELECT min(k.id) FROM api_keys k WHERE k.name = jobs.created_by)
WHERE owner_key_id IS NULL
  AND (SELECT count(*) FROM api_keys k WHERE k.name = jobs.created_by) = 1
"""

#: The tables filled from a DuckDB store of an earlier hermit, in this order.
MIGRATED = ("api_keys", "audit_log", "suppressions", "jobs")


def state_path(store_path: Path) -> Path:
    """Where the state of the store at ``store_path`` is kept."""
    return store_path.with_name(store_path.name + SUFFIX)


def to_text(value: datetime | None) -> str | None:
    """A time as the state database keeps it: UTC, ISO 8601 with microseconds (so the
    text sorts as the time does). A naive time is taken as UTC (DuckDB's TIMESTAMP)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def from_text(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


class StateDB:
    """An open state database. ``con`` is a sqlite3 connection in autocommit mode:
    single statements commit at once; ``transaction()`` groups several."""

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self.con = con

    @classmethod
    def open(cls, store_path: Path, *, lists: duckdb.DuckDBPyConnection | None = None) -> StateDB:
        """Open (creating, and filling from the DuckDB store's old tables once) the state
        of the store at ``store_path``. ``lists``: the store's DuckDB connection when the
        caller has it open (else the store file is opened read-only for the migration,
        if it exists)."""
        from hermit.store.sharing import sharing

        path = state_path(store_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        busy_ms = sharing().busy_timeout_ms
        try:
            con = sqlite3.connect(
                path,
                timeout=busy_ms / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            con.execute(f"PRAGMA busy_timeout = {busy_ms}")
            mode = con.execute("PRAGMA journal_mode = WAL").fetchone()
            con.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the service state: {exc}") from exc
        if mode is None or str(mode[0]).lower() != "wal":
            con.close()
            raise StoreError(f"{path}: cannot use write-ahead logging (mode {mode})")
        db = cls(path, con)
        try:
            db._setup(store_path, lists)
        except sqlite3.DatabaseError as exc:
            con.close()
            raise StoreError(f"{path}: not a hermit state database or damaged: {exc}") from exc
        except BaseException:
            con.close()
            raise
        return db

    def _setup(self, store_path: Path, lists: duckdb.DuckDBPyConnection | None) -> None:
        found = self._meta("migrated")
        if found is not None:
            version = self._meta("schema_version")
            if version != SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: state schema version {version}, this hermit needs "
                    f"{SCHEMA_VERSION}"
                )
            return
        with self.transaction():
            for statement in _statements(TABLES):
                self.con.execute(statement)
            if self._meta("migrated") is not None:  # another process did it meanwhile
                return
            copied = _migrate(self.con, store_path, lists)
            self.con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
                [SCHEMA_VERSION],
            )
            self.con.execute(
                "INSERT INTO meta VALUES ('migrated', ?)",
                [", ".join(f"{t} {n}" for t, n in copied.items()) or "nothing to migrate"],
            )

    def _meta(self, key: str) -> str | None:
        try:
            row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return None if row is None else str(row[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE (the write lock at once, waiting for another process's
        write up to the busy timeout), COMMIT, or ROLLBACK on an error."""
        self.con.execute("BEGIN IMMEDIATE")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def bump(self, name: str) -> None:
        """Mark that ``name`` changed (call inside the change's transaction)."""
        self.con.execute(
            "INSERT INTO revisions VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1",
            [name],
        )

    def revision(self, name: str) -> int:
        row = self.con.execute("SELECT value FROM revisions WHERE name = ?", [name]).fetchone()
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> StateDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _statements(script: str) -> list[str]:
    """The statements of ``script`` (executescript would commit the transaction)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def revision(store_path: Path, name: str) -> int | None:
    """The revision of ``name`` in the state of the store at ``store_path`` without
    creating anything: 0 when there is no state database yet, None when it cannot be
    read (a caller then treats what it holds as stale)."""
    path = state_path(store_path)
    if not path.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        try:
            row = con.execute("SELECT value FROM revisions WHERE name = ?", [name]).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return 0 if row is None else int(row[0])


# -- the migration from the DuckDB tables of an earlier hermit


def _migrate(
    con: sqlite3.Connection, store_path: Path, lists: duckdb.DuckDBPyConnection | None
) -> dict[str, int]:
    if lists is not None:
        return _copy_tables(con, lists)
    if not store_path.exists():
        return {}
    from hermit.store.store import open_duckdb

    duck = open_duckdb(store_path, read_only=True)
    try:
        return _copy_tables(con, duck)
    finally:
        duck.close()


def _columns(duck: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        str(r[0])
        for r in duck.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
            "AND schema_name = 'main' ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def _copy_tables(con: sqlite3.Connection, duck: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Copy the rows of every old table the DuckDB store has; returns the counts."""
    copied: dict[str, int] = {}
    for table in MIGRATED:
        have = _columns(duck, table)
        if not have:
            continue
        want = [str(r[1]) for r in con.execute(f"PRAGMA table_info({table})").fetchall()]
        names = [c for c in have if c in want and c != "rowid"]
        rows = duck.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
        marks = ", ".join("?" for _ in names)
        con.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
            [[_value(v) for v in row] for row in rows],
        )
        copied[table] = len(rows)
        if table == "jobs" and "owner_key_id" not in have:
            con.execute(_FILL_OWNERS)
        if rows:
            con.execute(
                "INSERT INTO revisions VALUES (?, 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1",
                ["keys" if table == "api_keys" else table],
            )
    return copied


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_text(value)
    if isinstance(value, dict | list):
        import orjson

        return orjson.dumps(value).decode()
    return value
