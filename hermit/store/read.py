"""Reading the store: versions, entities with provenance and references, statistics."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hermit.model import Entity, Provenance, Value
from hermit.store.records import Reference, StoredEntity, StoreStats, VersionInfo

if TYPE_CHECKING:
    import duckdb

    from hermit.sources.ofac_companions import PreviousCompanions

_VERSION_COLS = (
    "dataset, seq, title, published, loaded_at, parser, content_sha256, files, warnings, "
    "entity_count, statement_count, added, removed, changed"
)


def _version(row: tuple[Any, ...]) -> VersionInfo:
    return VersionInfo(
        dataset=row[0],
        seq=int(row[1]),
        title=row[2],
        published=None if row[3] is None else row[3].replace(tzinfo=UTC),
        loaded_at=row[4].replace(tzinfo=UTC),
        parser=row[5],
        content_sha256=row[6],
        files=json.loads(row[7]),
        warnings=json.loads(row[8]),
        entity_count=int(row[9]),
        statement_count=int(row[10]),
        added=int(row[11]),
        removed=int(row[12]),
        changed=int(row[13]),
    )


def versions(con: duckdb.DuckDBPyConnection, dataset: str | None = None) -> list[VersionInfo]:
    sql = f"SELECT {_VERSION_COLS} FROM versions"
    params: list[Any] = []
    if dataset is not None:
        sql += " WHERE dataset = ?"
        params.append(dataset)
    rows = con.execute(sql + " ORDER BY dataset, seq", params).fetchall()
    return [_version(r) for r in rows]


def version(con: duckdb.DuckDBPyConnection, dataset: str, seq: int) -> VersionInfo | None:
    row = con.execute(
        f"SELECT {_VERSION_COLS} FROM versions WHERE dataset = ? AND seq = ?", [dataset, seq]
    ).fetchone()
    return None if row is None else _version(row)


def latest_version(con: duckdb.DuckDBPyConnection, dataset: str) -> VersionInfo | None:
    rows = con.execute(  # fetchall: no unfinished result left on the connection
        f"SELECT {_VERSION_COLS} FROM versions WHERE dataset = ? ORDER BY seq DESC LIMIT 1",
        [dataset],
    ).fetchall()
    return _version(rows[0]) if rows else None


def _values(rows: list[tuple[Any, ...]]) -> list[Value]:
    return [Value(prop=r[0], value=r[1], original=r[2], qualifier=r[3]) for r in rows]


def stored_entity(con: duckdb.DuckDBPyConnection, entity_id: str) -> StoredEntity | None:
    """The current form of an entity, when it was first seen and last changed, and the
    entities that point at it or that it points at."""
    head = con.execute(
        "SELECT dataset, schema, record_id, file, line FROM current_entities "
        "WHERE entity_id = ? ORDER BY dataset LIMIT 1",
        [entity_id],
    ).fetchone()
    if head is None:
        return None
    dataset, schema, record_id, file, line = head
    rows = con.execute(
        "SELECT prop, value, original, qualifier FROM statements "
        "WHERE dataset = ? AND entity_id = ? AND valid_to IS NULL ORDER BY rowid",
        [dataset, entity_id],
    ).fetchall()
    entity = Entity.from_values(
        entity_id, schema, Provenance(dataset, record_id, file, line), _values(rows)
    )
    span = con.execute(
        "SELECT min(valid_from), max(greatest(valid_from, coalesce(valid_to, 0))) "
        "FROM statements "
        "WHERE dataset = ? AND entity_id = ?",
        [dataset, entity_id],
    ).fetchone()
    assert span is not None
    first = version(con, dataset, int(span[0]))
    changed = version(con, dataset, int(span[1]))
    current = latest_version(con, dataset)
    assert first is not None and changed is not None and current is not None
    stored = StoredEntity(entity=entity, first_seen=first, last_changed=changed, current=current)
    for eid, sch, cap, prop in con.execute(
        "SELECT r.source_id, r.source_schema, e.caption, r.prop FROM relations r "
        "JOIN current_entities e ON e.dataset = r.dataset AND e.entity_id = r.source_id "
        "WHERE r.target_id = ? ORDER BY r.source_schema, r.source_id",
        [entity_id],
    ).fetchall():
        stored.referenced_by.append(Reference(eid, sch, cap, prop))
    for eid, sch, cap, prop in con.execute(
        "SELECT r.target_id, e.schema, e.caption, r.prop FROM relations r "
        "JOIN current_entities e ON e.entity_id = r.target_id "
        "WHERE r.source_id = ? AND r.dataset = ? ORDER BY r.prop, r.target_id",
        [entity_id, dataset],
    ).fetchall():
        stored.references.append(Reference(eid, sch, cap, prop))
    from hermit.store import links  # FtM's model, loaded when an entity is read, not at start

    stored.links = links.linked_parties(con, entity_id)
    return stored


def iter_entities(
    con: duckdb.DuckDBPyConnection, dataset: str | None = None, schema: str | None = None
) -> Iterator[Entity]:
    """Every current entity (optionally of one dataset or schema), in a stable order."""
    where = ["e.valid_to IS NULL"]
    params: list[Any] = []
    if dataset is not None:
        where.append("e.dataset = ?")
        params.append(dataset)
    if schema is not None:
        where.append("e.schema = ?")
        params.append(schema)
    cursor = con.cursor()
    # one row an entity, its values in lists: a row a value made the entity's own
    # columns again for each value, and those short-lived strings, between the ones
    # kept, left the process's memory fragmented (a service holds every entity)
    cursor.execute(
        "SELECT e.dataset, e.entity_id, e.schema, e.record_id, e.file, e.line, "
        "list(s.prop ORDER BY s.rowid), list(s.value ORDER BY s.rowid), "
        "list(s.original ORDER BY s.rowid), list(s.qualifier ORDER BY s.rowid) "
        "FROM entities e JOIN statements s "
        "  ON s.dataset = e.dataset AND s.entity_id = e.entity_id AND s.valid_to IS NULL "
        f"WHERE {' AND '.join(where)} GROUP BY ALL ORDER BY e.dataset, e.entity_id",
        params,
    )
    # The same text comes back as a new string on every row (a property or file name,
    # a country, a qualifier): one object each, for what the caller keeps.
    texts: dict[str, str] = {}
    same = texts.setdefault
    while True:
        batch = cursor.fetchmany(2_000)
        if not batch:
            break
        for ds, eid, sch, rec, file, line, props, values, originals, qualifiers in batch:
            ds = same(ds, ds)
            provenance = Provenance(ds, rec, same(file, file), line)
            yield Entity.read_back(
                eid,
                same(sch, sch),
                provenance,
                [
                    Value(
                        same(prop, prop),
                        same(value, value),
                        None if original is None else same(original, original),
                        None if qualifier is None else same(qualifier, qualifier),
                    )
                    for prop, value, original, qualifier in zip(
                        props, values, originals, qualifiers, strict=True
                    )
                ],
            )
    cursor.close()


def stats(con: duckdb.DuckDBPyConnection) -> StoreStats:
    latest = [v for v in versions(con) if v.seq == _max_seq(con, v.dataset)]
    by_schema = con.execute(
        "SELECT dataset, schema, count(*) FROM current_entities "
        "GROUP BY ALL ORDER BY dataset, count(*) DESC, schema"
    ).fetchall()
    by_program = con.execute(
        "SELECT s.dataset, s.value, count(DISTINCT s.entity_id) FROM current_statements s "
        "JOIN current_entities e USING (dataset, entity_id) "
        "WHERE s.prop = 'program' AND e.schema <> 'Sanction' "
        "GROUP BY ALL ORDER BY s.dataset, count(DISTINCT s.entity_id) DESC, s.value"
    ).fetchall()
    return StoreStats(
        versions=latest,
        by_schema=[(str(a), str(b), int(c)) for a, b, c in by_schema],
        by_program=[(str(a), str(b), int(c)) for a, b, c in by_program],
    )


def _max_seq(con: duckdb.DuckDBPyConnection, dataset: str) -> int:
    row = con.execute("SELECT max(seq) FROM versions WHERE dataset = ?", [dataset]).fetchone()
    assert row is not None
    return int(row[0])


def previous_companions(con: duckdb.DuckDBPyConnection, dataset: str) -> PreviousCompanions | None:
    """The newest version of the OFAC list ``dataset``: the companion file each part
    was read from, and its aliases and addresses (None if there is no version)."""
    from hermit.sources.ofac_companions import PreviousCompanions, part_of
    from hermit.sources.snapshot import SourceFile

    latest = latest_version(con, dataset)
    if latest is None:
        return None
    files: dict[str, SourceFile] = {}
    for f in latest.files:
        part = f.get("part") or part_of(Path(str(f["path"]).removeprefix("upload:")).name)
        if part != "sdn":
            files[part] = SourceFile(str(f["path"]), str(f["sha256"]), int(f["size_bytes"]))
    row = con.execute(
        """
        SELECT
          (SELECT count(*) FROM statements WHERE dataset = $ds AND valid_to IS NULL
             AND qualifier IN ('aka', 'fka', 'nka')),
          (SELECT count(*) FROM entities WHERE dataset = $ds AND valid_to IS NULL
             AND schema = 'Address')
        """,
        {"ds": dataset},
    ).fetchone()
    aliases, addresses = (0, 0) if row is None else (int(row[0]), int(row[1]))
    return PreviousCompanions(latest.seq, files, aliases, addresses)
