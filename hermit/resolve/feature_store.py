"""The comparison columns of a run's records kept in the registry store
(``resolve_features``: one row a record, the columns of run.PERSON_COLUMNS, the
blocking keys not bounded), so that an incremental run (incremental.py) computes them
only for the records it adds and reads the old records' rows of the new records'
blocks alone. An incremental run stores the rows it added or changed; the other rows
are copied from the run it started from."""

from __future__ import annotations

from typing import Any

from hermit.resolve.features import LIST_COLUMNS
from hermit.resolve.records import PERSON, Record
from hermit.resolve.run import PERSON_COLUMNS, arrow_table

#: The stored columns (organizations hold no ``related_*`` values): people's also with
#: ``related_records``, the records at the other end of their relations, so that a
#: relation loaded later shows.
COLUMNS = (*PERSON_COLUMNS, "related_records")
TABLE = "resolve_features"


def ddl() -> str:
    typed = ", ".join(
        f'"{c}" VARCHAR[]' if c in LIST_COLUMNS else f'"{c}" VARCHAR' for c in COLUMNS
    )
    return f"CREATE TABLE IF NOT EXISTS {TABLE} (run_id INTEGER, {typed});"


def add_related(rows: list[dict[str, Any]], records: dict[str, Record]) -> None:
    """Set each person's ``related_records`` (in place)."""
    for row in rows:
        if row["kind"] == PERSON:
            row["related_records"] = sorted(records[str(row["unique_id"])].related) or None


def write(con: Any, run_id: int, rows: list[dict[str, Any]], rows_from: int | None) -> None:
    """Store ``rows`` as run ``run_id``'s, and the rows of ``rows_from`` (when given)
    for the records ``rows`` does not hold. Runs inside the caller's transaction."""
    con.execute(ddl()).fetchall()  # every result read: DuckDB then lets a table register
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    con.register("_hermit_features", arrow_table(rows, COLUMNS))
    try:
        con.execute(
            f"INSERT INTO {TABLE} SELECT ? AS run_id, {names} FROM _hermit_features", [run_id]
        ).fetchall()
        if rows_from is not None:
            con.execute(
                f"INSERT INTO {TABLE} SELECT ? AS run_id, {names} FROM {TABLE} "
                "WHERE run_id = ? AND unique_id NOT IN (SELECT unique_id FROM _hermit_features)",
                [run_id, rows_from],
            ).fetchall()
    finally:
        con.unregister("_hermit_features")


def has_rows(con: Any, run_id: int) -> bool:
    """Whether run ``run_id`` kept its records' comparison columns (runs before
    hermit-resolve@6's incremental cut did not)."""
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [TABLE]
    ).fetchall()
    if not found[0][0]:
        return False
    rows = con.execute(f"SELECT 1 FROM {TABLE} WHERE run_id = ? LIMIT 1", [run_id]).fetchall()
    return bool(rows)


def read(con: Any, view: str, ids: list[str]) -> list[dict[str, Any]]:
    """The rows of ``view`` (a table of COLUMNS) of the record ids ``ids``, by id."""
    if not ids:
        return []
    import pyarrow as pa

    names = ", ".join(f'v."{c}"' for c in COLUMNS)
    con.register("_hermit_ids", pa.table({"unique_id": ids}))
    try:
        table = con.sql(
            f"SELECT {names} FROM {view} v SEMI JOIN _hermit_ids i USING (unique_id) "
            "ORDER BY v.unique_id"
        ).to_arrow_table()
    finally:
        con.unregister("_hermit_ids")
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows
