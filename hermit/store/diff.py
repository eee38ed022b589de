"""What changed between two versions of a list, rebuilt from the versioned rows."""

from __future__ import annotations

from typing import Any

import duckdb

from hermit.errors import StoreError
from hermit.store import read
from hermit.store.records import EntityChange, VersionInfo

_AT = "valid_from <= {v} AND (valid_to IS NULL OR valid_to > {v})"


def diff_versions(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    from_seq: int | None = None,
    to_seq: int | None = None,
) -> tuple[VersionInfo | None, VersionInfo, list[EntityChange]]:
    """Entities added, removed and changed from ``from_seq`` to ``to_seq``.

    Defaults: ``to_seq`` the newest version, ``from_seq`` the one before it (with a
    single version, everything in it counts as added). Returns both versions and the
    changes ordered by kind and entity id.
    """
    newest = read.latest_version(con, dataset)
    if newest is None:
        raise StoreError(f"no version of {dataset} is loaded")
    to_v = newest if to_seq is None else read.version(con, dataset, to_seq)
    if to_v is None:
        raise StoreError(f"{dataset} has no version {to_seq} (newest is {newest.seq})")
    start = to_v.seq - 1 if from_seq is None else from_seq
    from_v = read.version(con, dataset, start) if start > 0 else None
    if start > 0 and from_v is None:
        raise StoreError(f"{dataset} has no version {start} (newest is {newest.seq})")
    if from_v is not None and from_v.seq >= to_v.seq:
        raise StoreError(f"version {from_v.seq} is not older than version {to_v.seq}")
    a = 0 if from_v is None else from_v.seq
    rows = con.execute(
        f"""
        WITH st_a AS (SELECT entity_id, prop, value, stmt_key FROM statements
                      WHERE dataset = $ds AND {_AT.format(v="$a")}),
             st_b AS (SELECT entity_id, prop, value, stmt_key FROM statements
                      WHERE dataset = $ds AND {_AT.format(v="$b")}),
             ent_a AS (SELECT entity_id, schema, caption FROM entities
                       WHERE dataset = $ds AND {_AT.format(v="$a")}),
             ent_b AS (SELECT entity_id, schema, caption FROM entities
                       WHERE dataset = $ds AND {_AT.format(v="$b")}),
             gained AS (SELECT * FROM st_b WHERE stmt_key NOT IN (SELECT stmt_key FROM st_a)),
             lost AS (SELECT * FROM st_a WHERE stmt_key NOT IN (SELECT stmt_key FROM st_b)),
             touched AS (SELECT entity_id FROM gained UNION SELECT entity_id FROM lost
                         UNION SELECT b.entity_id FROM ent_b b JOIN ent_a a USING (entity_id)
                               WHERE a.schema <> b.schema)
        SELECT t.entity_id,
               CASE WHEN a.entity_id IS NULL THEN 'added'
                    WHEN b.entity_id IS NULL THEN 'removed' ELSE 'changed' END,
               coalesce(b.schema, a.schema), coalesce(b.caption, a.caption),
               (SELECT list({{'prop': prop, 'value': value}}) FROM gained g
                WHERE g.entity_id = t.entity_id),
               (SELECT list({{'prop': prop, 'value': value}}) FROM lost l
                WHERE l.entity_id = t.entity_id)
        FROM touched t
        LEFT JOIN ent_a a USING (entity_id)
        LEFT JOIN ent_b b USING (entity_id)
        ORDER BY 2, 1
        """,
        {"ds": dataset, "a": a, "b": to_v.seq},
    ).fetchall()
    return from_v, to_v, [_change(r) for r in rows]


def _group(items: list[dict[str, Any]] | None) -> dict[str, list[str]]:
    """Values by property, both in order (DuckDB's list() gathers them in no fixed
    order: two runs of the same diff must print the same)."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        out.setdefault(str(item["prop"]), []).append(str(item["value"]))
    return {prop: sorted(values) for prop, values in sorted(out.items())}


def _change(row: tuple[Any, ...]) -> EntityChange:
    return EntityChange(
        entity_id=row[0],
        change=row[1],
        schema=row[2],
        caption=row[3],
        added=_group(row[4]),
        removed=_group(row[5]),
    )
