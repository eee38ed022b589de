"""Loading a list version: one transaction, so a failed or killed load leaves the
previous complete version in place; an identical version is not loaded twice."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from hermit.errors import StoreError
from hermit.model import Provenance
from hermit.model import schema as ftm
from hermit.sources.snapshot import ListSnapshot, SourceFile
from hermit.store import guard, read
from hermit.store.records import LoadResult

_KEY_SEP = "chr(31)"


def _entity_table(snapshot: ListSnapshot) -> pa.Table:
    ids, schemata, captions, records, files, lines = [], [], [], [], [], []
    seen: dict[str, Provenance] = {}
    for entity in snapshot.entities:
        prov = entity.provenance
        first = seen.get(entity.id)
        if first is not None:
            read_from = ", ".join(f.path for f in snapshot.files)
            raise StoreError(
                f"{read_from}: entity id {entity.id} of {snapshot.dataset} occurs twice: "
                f"{_where(first)} and {_where(prov)}"
            )
        seen[entity.id] = prov
        ids.append(entity.id)
        schemata.append(entity.schema)
        captions.append(entity.caption)
        records.append(prov.record_id)
        files.append(prov.file)
        lines.append(prov.line)
    return pa.table(
        {
            "entity_id": pa.array(ids, pa.string()),
            "schema": pa.array(schemata, pa.string()),
            "caption": pa.array(captions, pa.string()),
            "record_id": pa.array(records, pa.string()),
            "file": pa.array(files, pa.string()),
            "line": pa.array(lines, pa.int32()),
        }
    )


def _where(prov: Provenance) -> str:
    line = "" if prov.line is None else f", line {prov.line}"
    return f"record {prov.record_id} ({prov.file}{line})"


def _statement_table(snapshot: ListSnapshot) -> pa.Table:
    ids: list[str] = []
    props: list[str] = []
    values: list[str] = []
    originals: list[str | None] = []
    qualifiers: list[str | None] = []
    refs: list[bool] = []
    ref_cache: dict[tuple[str, str], bool] = {}
    for entity in snapshot.entities:
        for v in entity.values:
            key = (entity.schema, v.prop)
            is_ref = ref_cache.get(key)
            if is_ref is None:
                is_ref = ref_cache[key] = ftm.prop_type(entity.schema, v.prop) == "entity"
            ids.append(entity.id)
            props.append(v.prop)
            values.append(v.value)
            originals.append(v.original)
            qualifiers.append(v.qualifier)
            refs.append(is_ref)
    return pa.table(
        {
            "entity_id": pa.array(ids, pa.string()),
            "prop": pa.array(props, pa.string()),
            "value": pa.array(values, pa.string()),
            "original": pa.array(originals, pa.string()),
            "qualifier": pa.array(qualifiers, pa.string()),
            "is_ref": pa.array(refs, pa.bool_()),
        }
    )


def load_snapshot(
    con: duckdb.DuckDBPyConnection,
    snapshot: ListSnapshot,
    on_progress: Callable[[str], None],
    *,
    allow_large_change: bool = False,
) -> LoadResult:
    """Store ``snapshot`` as the next version of its dataset (load_snapshots' rules)."""
    (result,) = load_snapshots(con, [snapshot], on_progress, allow_large_change=allow_large_change)
    return result


def load_snapshots(
    con: duckdb.DuckDBPyConnection,
    snapshots: list[ListSnapshot],
    on_progress: Callable[[str], None],
    *,
    allow_large_change: bool = False,
) -> list[LoadResult]:
    """Store each snapshot as the next version of its dataset, all or nothing.

    Every snapshot is staged (and checked: an entity id twice is refused, naming both
    records) before anything is written; then all of them are stored in one DuckDB
    transaction: a load that fails, a version the guard refuses (one that would remove
    much of the current one, guard.check, unless ``allow_large_change``) or a process
    killed half-way leaves the store exactly as it was (DuckDB discards the uncommitted
    transaction on the next open). A snapshot read from the same files (same checksums)
    as its dataset's newest version writes nothing.
    """
    staged = [(snap, _entity_table(snap), _statement_table(snap)) for snap in snapshots]
    on_progress("staged")
    written: list[tuple[ListSnapshot, int | None]] = []  # seq, or None: unchanged
    con.execute("BEGIN TRANSACTION")
    try:
        for snapshot, entities, statements in staged:
            latest = read.latest_version(con, snapshot.dataset)
            if latest is not None and latest.content_sha256 == snapshot.content_sha256:
                written.append((snapshot, None))
                continue
            seq = 1 if latest is None else latest.seq + 1
            try:
                _apply(con, snapshot, seq, entities, statements, on_progress, allow_large_change)
            finally:
                for name in ("incoming_entities", "incoming_statements"):
                    con.unregister(name)
            written.append((snapshot, seq))
        on_progress("committing")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    on_progress("committed")
    results = []
    for snapshot, stored in written:
        found = read.versions(con, snapshot.dataset)
        if stored is None:
            results.append(LoadResult(version=found[-1], unchanged=True))
            continue
        version = next(v for v in found if v.seq == stored)
        results.append(LoadResult(version=version, unchanged=False))
    return results


def _apply(
    con: duckdb.DuckDBPyConnection,
    snapshot: ListSnapshot,
    seq: int,
    entities: pa.Table,
    statements: pa.Table,
    on_progress: Callable[[str], None],
    allow_large_change: bool,
) -> None:
    ds = snapshot.dataset
    con.register("incoming_entities", entities)
    con.register("incoming_statements", statements)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE inc_st AS
        SELECT *, md5(concat_ws({_KEY_SEP}, entity_id, prop, value,
                                coalesce(original, ''), coalesce(qualifier, ''))) AS stmt_key
        FROM incoming_statements;
        CREATE OR REPLACE TEMP TABLE inc_e AS
        SELECT *, md5(concat_ws({_KEY_SEP}, entity_id, schema, caption, record_id, file,
                                coalesce(CAST(line AS VARCHAR), ''))) AS ent_key
        FROM incoming_entities;
        """
    )
    if not allow_large_change:
        guard.check(con, ds, [f.path for f in snapshot.files])
    # What changed, per entity, before the stored rows move on.
    counts = con.execute(
        """
        WITH cur_e AS (SELECT entity_id, schema FROM entities
                       WHERE dataset = $ds AND valid_to IS NULL),
             cur_s AS (SELECT entity_id, stmt_key FROM statements
                       WHERE dataset = $ds AND valid_to IS NULL),
             st_diff AS (
                 SELECT entity_id FROM (SELECT entity_id, stmt_key FROM inc_st
                                        EXCEPT SELECT entity_id, stmt_key FROM cur_s)
                 UNION
                 SELECT entity_id FROM (SELECT entity_id, stmt_key FROM cur_s
                                        EXCEPT SELECT entity_id, stmt_key FROM inc_st)
             )
        SELECT
            (SELECT count(*) FROM inc_e WHERE entity_id NOT IN (SELECT entity_id FROM cur_e)),
            (SELECT count(*) FROM cur_e WHERE entity_id NOT IN (SELECT entity_id FROM inc_e)),
            (SELECT count(*) FROM inc_e i JOIN cur_e c USING (entity_id)
             WHERE i.schema <> c.schema OR i.entity_id IN (SELECT entity_id FROM st_diff))
        """,
        {"ds": ds},
    ).fetchone()
    assert counts is not None
    added, removed, changed = (int(c) for c in counts)
    on_progress("compared")
    params = {"ds": ds, "seq": seq}
    con.execute(
        """
        UPDATE statements SET valid_to = $seq
        WHERE dataset = $ds AND valid_to IS NULL
          AND stmt_key NOT IN (SELECT stmt_key FROM inc_st)
        """,
        params,
    )
    con.execute(
        """
        INSERT INTO statements
        SELECT $ds, entity_id, prop, value, original, qualifier, is_ref, stmt_key, $seq, NULL
        FROM inc_st
        WHERE stmt_key NOT IN (SELECT stmt_key FROM statements
                               WHERE dataset = $ds AND valid_to IS NULL)
        """,
        params,
    )
    on_progress("statements")
    con.execute(
        f"""
        UPDATE entities SET valid_to = $seq
        WHERE dataset = $ds AND valid_to IS NULL
          AND md5(concat_ws({_KEY_SEP}, entity_id, schema, caption, record_id, file,
                            coalesce(CAST(line AS VARCHAR), '')))
              NOT IN (SELECT ent_key FROM inc_e)
        """,
        params,
    )
    con.execute(
        f"""
        INSERT INTO entities
        SELECT $ds, entity_id, schema, caption, record_id, file, line, $seq, NULL
        FROM inc_e
        WHERE ent_key NOT IN (
            SELECT md5(concat_ws({_KEY_SEP}, entity_id, schema, caption, record_id, file,
                                 coalesce(CAST(line AS VARCHAR), '')))
            FROM entities WHERE dataset = $ds AND valid_to IS NULL)
        """,
        params,
    )
    on_progress("entities")
    files = [_file_record(f) for f in snapshot.files]
    con.execute(
        "INSERT INTO versions VALUES ($ds, $seq, $title, $published, $loaded_at, $parser, "
        "$sha, $files, $warnings, $n_ent, $n_st, $added, $removed, $changed)",
        {
            "ds": ds,
            "seq": seq,
            "title": snapshot.title,
            "published": _utc_naive(snapshot.published),
            "loaded_at": _utc_naive(datetime.now(UTC)),
            "parser": snapshot.parser,
            "sha": snapshot.content_sha256,
            "files": json.dumps(files),
            "warnings": json.dumps(snapshot.warnings),
            "n_ent": entities.num_rows,
            "n_st": statements.num_rows,
            "added": added,
            "removed": removed,
            "changed": changed,
        },
    )


def _file_record(f: SourceFile) -> dict[str, object]:
    """A version's record of one file: path, checksum, size, and where known the part
    it gave and the version it was kept from (OFAC companions)."""
    record: dict[str, object] = {"path": f.path, "sha256": f.sha256, "size_bytes": f.size_bytes}
    if f.part is not None:
        record["part"] = f.part
    if f.kept_from is not None:
        record["kept_from"] = f.kept_from
    return record


def _utc_naive(when: datetime | None) -> datetime | None:
    """Timestamps are stored as UTC without a zone (DuckDB TIMESTAMP)."""
    if when is None or when.tzinfo is None:
        return when
    return when.astimezone(UTC).replace(tzinfo=None)
