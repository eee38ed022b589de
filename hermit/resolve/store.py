"""Resolutions kept in the registry store, each run a version: the algorithm, the
settings and the trained Splink models; every record's cluster; every link with its
match weight, probability, reasons and tier (``same``: it joined the two records'
entities; ``possible``: below the link probability, kept apart for review).
``explain`` gives one cluster with its records' provenance (registry, file, row, record
id), its links (each with its comparisons' levels and match weights, and the analyst's
decision where one set its tier) and the judgements in force on its records (those
made after the run say so: the next run applies them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve import feature_store
from hermit.resolve.links import POSSIBLE, SAME
from hermit.resolve.records import Record
from hermit.resolve.run import Resolution

DDL = """
CREATE TABLE IF NOT EXISTS resolve_runs (
  run_id INTEGER PRIMARY KEY, resolved_at TIMESTAMP, algorithm VARCHAR, settings JSON,
  models JSON, records INTEGER, clusters INTEGER, links INTEGER);
CREATE TABLE IF NOT EXISTS resolve_clusters (
  run_id INTEGER, record_id VARCHAR, cluster_id VARCHAR, kind VARCHAR, schema VARCHAR,
  registry VARCHAR, file VARCHAR, row INTEGER, name VARCHAR);
CREATE TABLE IF NOT EXISTS resolve_links (
  run_id INTEGER, cluster_id VARCHAR, left_id VARCHAR, right_id VARCHAR, kind VARCHAR,
  match_weight DOUBLE, probability DOUBLE, reasons JSON, tier VARCHAR);
"""


@dataclass(frozen=True, slots=True)
class RunCounts:
    run_id: int
    records: int
    clusters: int  # of two records or more
    links: int
    possible: int  # links below the link probability, kept for review


def save(store: RegistryStore, records: dict[str, Record], found: Resolution) -> RunCounts:
    """Store a resolution as a new run (one transaction)."""
    import pyarrow as pa

    con = store.con
    con.execute(DDL)
    row = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM resolve_runs").fetchone()
    assert row is not None
    run_id = int(row[0])
    sizes: dict[str, int] = {}
    for cluster in found.clusters.values():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    counts = RunCounts(
        run_id,
        len(found.clusters),
        sum(1 for n in sizes.values() if n > 1),
        sum(1 for k in found.links if k.tier == SAME),
        sum(1 for k in found.links if k.tier == POSSIBLE),
    )
    members = [
        (
            run_id,
            rid,
            cid,
            r.kind,
            r.schema,
            r.registry,
            r.file,
            r.row,
            next(iter(r.values("name")), None),
        )
        for rid, cid in sorted(found.clusters.items())
        for r in [records[rid]]
    ]
    links = [
        (
            run_id,
            found.clusters[k.left],
            k.left,
            k.right,
            k.kind,
            k.match_weight,
            k.probability,
            orjson.dumps(
                [
                    {"comparison": c.comparison, "level": c.level, "weight": c.weight}
                    for c in k.reasons
                ]
            ).decode(),
            k.tier,
        )
        for k in found.links
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                found.algorithm,
                orjson.dumps(found.settings).decode(),
                orjson.dumps(found.models).decode(),
                counts.records,
                counts.clusters,
                counts.links,
            ],
        )
        for table, rows in (("resolve_clusters", members), ("resolve_links", links)):
            if not rows:
                continue
            names = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
            arrow = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
            con.register("_batch", arrow)
            con.execute(f"INSERT INTO {table} SELECT * FROM _batch")
            con.unregister("_batch")
        if found.rows:
            feature_store.write(con, run_id, found.rows, found.rows_from)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return counts


def _has_runs(store: RegistryStore) -> bool:
    found = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'resolve_runs'"
    ).fetchone()
    return bool(found and found[0])


def latest_run(store: RegistryStore) -> int:
    if _has_runs(store):
        row = store.con.execute("SELECT max(run_id) FROM resolve_runs").fetchone()
        if row and row[0] is not None:
            return int(row[0])
    raise StoreError(f"{store.path}: nothing resolved yet (hermit resolve)")


def explain(store: RegistryStore, ident: str, run_id: int | None = None) -> dict[str, Any]:
    """One cluster, named by its cluster id or by any of its record ids: its records
    with their provenance, its links with their reasons, and the run's algorithm."""
    run = latest_run(store) if run_id is None else run_id
    meta = store.con.execute(
        "SELECT algorithm, resolved_at, settings FROM resolve_runs WHERE run_id = ?", [run]
    ).fetchone()
    if meta is None:
        raise StoreError(f"{store.path}: no resolution run {run}")
    found = store.con.execute(
        "SELECT cluster_id FROM resolve_clusters WHERE run_id = ? "
        "AND (cluster_id = ? OR record_id = ?) LIMIT 1",
        [run, ident, ident],
    ).fetchone()
    if found is None:
        raise StoreError(f"{ident!r} is neither a resolved entity nor a record of run {run}")
    cluster = str(found[0])
    cols = ("record_id", "kind", "schema", "registry", "file", "row", "name")
    records = [
        dict(zip(cols, r, strict=True))
        for r in store.con.execute(
            f"SELECT {', '.join(cols)} FROM resolve_clusters WHERE run_id = ? AND cluster_id = ? "
            "ORDER BY record_id",
            [run, cluster],
        ).fetchall()
    ]
    members = [r["record_id"] for r in records]
    rows = store.con.execute(
        "SELECT left_id, right_id, match_weight, probability, reasons, tier FROM resolve_links "
        "WHERE run_id = ? AND (list_contains(?, left_id) OR list_contains(?, right_id)) "
        "ORDER BY match_weight DESC, left_id, right_id",
        [run, members, members],
    ).fetchall()
    found_links: dict[str, list[dict[str, Any]]] = {SAME: [], POSSIBLE: []}
    for left, right, weight, probability, reasons, tier in rows:
        found_links[tier].append(
            {
                "left": left,
                "right": right,
                "match_weight": weight,
                "probability": probability,
                "reasons": orjson.loads(reasons),
            }
        )
    from hermit.resolve import judgements as jg

    force = jg.in_force(jg.history(store))
    mine = set(members)
    decided = [
        {**j.to_json(), "after_run": j.judged_at > meta[1]}
        for j in sorted(force.values(), key=lambda j: (j.judged_at, j.left, j.right))
        if j.left in mine or j.right in mine
    ]
    return {
        "run": run,
        "algorithm": meta[0],
        "resolved_at": meta[1].isoformat(),
        "settings": orjson.loads(meta[2]),
        "entity": cluster,
        "records": records,
        "links": found_links[SAME],
        "possible": found_links[POSSIBLE],
        "judgements": decided,
    }
