"""Incremental resolution: the records of the registry store that the latest resolve
run does not hold join its entities without resolving the world again.

Only the new records' comparison columns are computed (features.py); the old records'
are read from the run's stored rows (feature_store.py), and of those only the rows in
the new records' blocks (the keys of the run's trained blocking rules, blocks.py:
an identifier, a name key, start, core or sound, an address key, a resolved company; a
name word with the date), a key held by more than max_block_records records set aside
as in a full run. The run's trained Splink models (``resolve_runs.models``) score the
pairs of a new record with those old ones and with the other new records (Splink's
predict_between and predict_within), a rare name's weight from the frequencies of all
the records of its kind. The old entities stay as they are, except
those holding a record an analyst judged (clustered again from their stored links,
with the judgements in force: judgements.py); the new links, strongest first, join a
new record to an entity (or two new records) under the clustering rules of cluster.py
(different exclusive identifiers, two genders, regions with none in common, an
analyst's "not the same": refused, kept as "possibly the same"), checked on all the
records of the entities they touch. People are scored after the organizations, by the
entities they are attached to as just joined (an old person with relations loaded
since, related to a new record, or attached to an entity that changed has its related
columns made again). The result is stored as a new run (the model's run recorded in
its settings as ``model_run``) with which entities grew and which are new.

A run stored without its comparison columns (before they were kept) has them made for
every record first, as the join did before."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve import blocks, feature_store
from hermit.resolve import judgements as jg
from hermit.resolve.cluster import REFUSED, cluster
from hermit.resolve.config import ResolveConfig, resolve_config
from hermit.resolve.features import features
from hermit.resolve.links import JUDGED, POSSIBLE, SAME, Link, Reason
from hermit.resolve.records import ORGANIZATION, PERSON, Record
from hermit.resolve.run import (
    BOUNDED,
    ORGANIZATION_COLUMNS,
    PERSON_COLUMNS,
    RELATED_REGIONS,
    Force,
    Resolution,
    arrow_table,
    held_by,
    person_rows,
    prediction_links,
    score_pairs,
)
from hermit.resolve.store import latest_run
from hermit.resolve.udf import register

#: The join's name, recorded in the run's settings as ``incremental``: @1 (f70a89b) the
#: comparison columns of every record, all pairs of the new records' blocks scored,
#: rare names' frequencies of those blocks; @2 the old records' columns read from the
#: store, only the pairs of a new record scored, frequencies of all records, and old
#: people with relations loaded since made again.
INCREMENTAL = "hermit-resolve-incremental@2"
_log = logging.getLogger(__name__)
#: The temporary view of the model run's stored rows.
OLD = "_hermit_old_features"
_RELATED = ("related_entities", "related_first", *RELATED_REGIONS)


@dataclass(slots=True)
class Joined:
    resolution: Resolution
    model_run: int
    new_records: int
    grown: dict[str, list[str]]  # old entity id -> the new records that joined it
    new_entities: dict[str, list[str]]  # new entity id -> its records (all new)


def _stored(store: RegistryStore, run: int) -> tuple[str, dict[str, Any], dict[str, Any]]:
    row = store.con.execute(
        "SELECT algorithm, models, settings FROM resolve_runs WHERE run_id = ?", [run]
    ).fetchone()
    if row is None:
        raise StoreError(f"{store.path}: no resolution run {run}")
    return str(row[0]), orjson.loads(row[1]), orjson.loads(row[2])


def _stored_links(store: RegistryStore, run: int) -> list[Link]:
    rows = store.con.execute(
        "SELECT left_id, right_id, kind, match_weight, probability, reasons, tier "
        "FROM resolve_links WHERE run_id = ?",
        [run],
    ).fetchall()
    return [
        Link(
            left,
            right,
            kind,
            weight,
            probability,
            tuple(Reason(r["comparison"], r["level"], r["weight"]) for r in orjson.loads(reasons)),
            tier,
        )
        for left, right, kind, weight, probability, reasons, tier in rows
    ]


def _row(record: Record, config: ResolveConfig) -> dict[str, Any]:
    row = features(record, config.region_codes)
    row["id_first"] = row["ids"][0] if row["ids"] else None
    return row


def _old_view(
    con: Any,
    run: int,
    records: dict[str, Record],
    clusters: dict[str, str],
    config: ResolveConfig,
) -> list[dict[str, Any]]:
    """Make OLD, the model run's rows of its records; returns the rows it had to make
    (all of them for a run stored without its rows, else none)."""
    if feature_store.has_rows(con, run):
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {OLD} AS SELECT * FROM {feature_store.TABLE} "
            f"WHERE run_id = {int(run)}"
        ).fetchall()
        return []
    made = [_row(records[r], config) for r in sorted(clusters) if r in records]
    orgs = [r for r in made if r["kind"] == ORGANIZATION]
    person_rows(records, [r for r in made if r["kind"] == PERSON], clusters, orgs)
    # the relations of the run's time are not known: every person's are made again
    for row in made:
        row["related_records"] = None
    con.register(OLD, arrow_table(made, feature_store.COLUMNS))
    return made


class _Found:
    """The entities as joined so far: the model run's (record -> entity) and, for the
    records clustered again (a new record, the records of the entities it touches),
    their entities now."""

    def __init__(self, clusters: dict[str, str]) -> None:
        self.clusters = clusters
        self.old = set(clusters.values())
        self.now: dict[str, str] = {}
        self._members: dict[str, list[str]] | None = None

    def of(self, record: str) -> str:
        return self.now.get(record) or self.clusters.get(record, record)

    def members(self, entities: set[str]) -> set[str]:
        """The records of the model run's ``entities``."""
        if self._members is None:
            self._members = {}
            for rid, entity in self.clusters.items():
                self._members.setdefault(entity, []).append(rid)
        return {r for e in entities for r in self._members.get(e, ())}


def _held(
    con: Any,
    ids: list[str],
    fresh: dict[str, dict[str, Any]],
    config: ResolveConfig,
    region_column: str,
) -> dict[str, dict[str, frozenset[str]]]:
    """What each of ``ids`` holds for cluster.py: from ``fresh`` rows, else from OLD."""
    import pyarrow as pa

    rows = [fresh[i] for i in ids if i in fresh]
    stored = [i for i in ids if i not in fresh]
    if stored:
        con.register("_hermit_held", pa.table({"unique_id": stored}))
        try:
            found = con.execute(
                f'SELECT o.unique_id, o.ids, o.gender, o."{region_column}" FROM {OLD} o '
                "SEMI JOIN _hermit_held h USING (unique_id)"
            ).fetchall()
        finally:
            con.unregister("_hermit_held")
        rows += [{"unique_id": r, "ids": i, "gender": g, region_column: c} for r, i, g, c in found]
    return held_by(rows, config, region_column)


def _scored_tier(link: Link, link_probability: float) -> Link:
    """A stored link as its scores made it: the tier from its probability, without the
    refusal or the judgement an earlier run added (its entity is clustered again)."""
    reasons = tuple(r for r in link.reasons if r.comparison not in (REFUSED, JUDGED))
    tier = SAME if link.probability >= link_probability else POSSIBLE
    return replace(link, tier=tier, reasons=reasons)


def _join(
    con: Any,
    found: _Found,
    records: dict[str, Record],
    kind: str,
    new_ids: list[str],
    links: list[Link],
    old_links: list[Link],
    force: Force,
    fresh: dict[str, dict[str, Any]],
    config: ResolveConfig,
    region_column: str,
) -> list[Link]:
    """Cluster one kind's new records (cluster.py, with the analysts' judgements): the
    model run's entities kept as they are, except those holding a judged record (their
    stored links clustered again) and those a new link touches (they can only grow or
    merge), checked on all their records; the kind's links, old and new."""
    clusters = found.clusters
    judged = {i for pair in force for i in pair if i in clusters and records[i].kind == kind}
    dissolved = {clusters[i] for i in judged}
    settled: list[Link] = []
    again = list(links)
    for k in old_links:
        if clusters.get(k.left) in dissolved or clusters.get(k.right) in dissolved:
            again.append(_scored_tier(k, config.link_probability))
        else:
            settled.append(k)  # between records of entities kept as they are
    ends = {i for k in again for i in (k.left, k.right)}
    touched = {clusters[i] for i in ends if i in clusters} | dissolved
    ids = sorted(set(new_ids) | ends | found.members(touched))
    start = {i: clusters[i] for i in ids if i in clusters and clusters[i] not in dissolved}
    held = _held(con, ids, fresh, config, region_column)
    apart = jg.rejected(force, set(ids))
    now, out = cluster(ids, jg.apply(again, force), held, apart=apart, start=start)
    found.now.update(now)
    return settled + out


def _judged_links(
    con: Any,
    records: dict[str, Record],
    kind: str,
    links: list[Link],
    force: Force,
    fresh: dict[str, dict[str, Any]],
    trained: dict[str, Any],
    config: ResolveConfig,
    columns: tuple[str, ...],
) -> list[Link]:
    """The accepted pairs of the kind that no link holds, scored by the stored model."""
    ids = {i for pair in force for i in pair if i in records and records[i].kind == kind}
    pairs = jg.accepted_unlinked(links, force, ids)
    if not pairs:
        return []
    wanted = sorted({i for pair in pairs for i in pair})
    rows = [fresh[i] for i in wanted if i in fresh]
    rows += feature_store.read(con, OLD, [i for i in wanted if i not in fresh])
    return score_pairs(trained, rows, columns, pairs, kind, config)


@dataclass(slots=True)
class _Block:
    """The old rows in the new rows' blocks and the new rows, bounded keys set aside."""

    old: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)


def _block(
    con: Any,
    kind: str,
    new_rows: list[dict[str, Any]],
    fresh_old: list[dict[str, Any]],
    trained: dict[str, Any],
    config: ResolveConfig,
) -> _Block:
    """The old records sharing a key of the model's rules with a new one (the stored
    rows of OLD, or ``fresh_old``, old rows made again, for their records); a key of a
    bounded column (run.BOUNDED) that more than max_block_records records of the kind
    hold is set aside in every row, as features.bound_blocks does in a full run."""
    import pyarrow as pa

    found = blocks.rules(trained)
    bounded = {r.index for r in found if len(r.columns) == 1 and r.columns[0] in BOUNDED}
    new_keys = {k for row in new_rows for k in blocks.row_keys(row, found)}
    if not new_keys:
        return _Block([], new_rows)
    skip = [str(r["unique_id"]) for r in fresh_old]
    con.register(
        "_hermit_keys",
        pa.table({"rule": [k[0] for k in new_keys], "key": [k[1] for k in new_keys]}),
    )
    con.register("_hermit_skip", pa.table({"unique_id": pa.array(skip, pa.string())}))
    try:
        table = (
            f"(SELECT * FROM {OLD} WHERE kind = '{kind}' "
            "AND unique_id NOT IN (SELECT unique_id FROM _hermit_skip))"
        )
        hits = con.execute(
            f"SELECT k.unique_id, k.rule, k.key FROM ({blocks.keys_sql(found, table)}) k "
            "SEMI JOIN _hermit_keys n ON n.rule = k.rule AND n.key = k.key"
        ).fetchall()
    finally:
        con.unregister("_hermit_keys")
        con.unregister("_hermit_skip")
    holders: dict[tuple[int, str], set[str]] = {}
    for rid, rule, key in hits:
        holders.setdefault((rule, key), set()).add(rid)
    for row in (*fresh_old, *new_rows):
        for k in blocks.row_keys(row, found) & new_keys:
            holders.setdefault(k, set()).add(str(row["unique_id"]))
    common = {
        k for k, ids in holders.items() if k[0] in bounded and len(ids) > config.max_block_records
    }
    new_ids = {str(r["unique_id"]) for r in new_rows}
    wanted = {rid for k, ids in holders.items() if k not in common for rid in ids} - new_ids
    fresh_by_id = {str(r["unique_id"]): r for r in fresh_old}
    stored = sorted(wanted - set(fresh_by_id))
    old = feature_store.read(con, OLD, stored) + [
        fresh_by_id[r] for r in sorted(wanted & set(fresh_by_id))
    ]
    if common:
        columns = {r.index: r.columns[0] for r in found if r.index in bounded}
        gone: dict[str, set[str]] = {}
        for index, key in common:
            gone.setdefault(columns[index], set()).add(key)
        for row in (*old, *new_rows):
            for column, keys in gone.items():
                value = row.get(column)
                if isinstance(value, list):
                    row[column] = [v for v in value if v not in keys] or None
                elif value in keys:
                    row[column] = None
    _log.debug("%s: %d new rows, %d old rows in their blocks", kind, len(new_rows), len(old))
    return _Block(old, new_rows)


def _tf_tables(
    con: Any, trained: dict[str, Any], kind: str, new_rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """The term frequency table of each of the model's tf columns over all the records
    of the kind (OLD's and the new), as Splink computes it on a full table."""
    import pyarrow as pa

    columns = sorted(
        {
            str(level["tf_adjustment_column"])
            for c in trained.get("comparisons") or []
            for level in c.get("comparison_levels") or []
            if level.get("tf_adjustment_column")
        }
    )
    out: dict[str, Any] = {}
    for column in columns:
        counts: dict[str, int] = {}
        for v, n in con.execute(
            f'SELECT "{column}", count(*) FROM {OLD} '
            f'WHERE kind = ? AND "{column}" IS NOT NULL GROUP BY 1',
            [kind],
        ).fetchall():
            counts[str(v)] = int(n)
        for row in new_rows:
            if row.get(column) is not None:
                counts[str(row[column])] = counts.get(str(row[column]), 0) + 1
        total = sum(counts.values())
        out[column] = pa.table(
            {column: list(counts), f"tf_{column}": [n / total for n in counts.values()]}
        )
    return out


def _score(
    con: Any,
    block: _Block,
    kind: str,
    trained: dict[str, Any],
    config: ResolveConfig,
    columns: tuple[str, ...],
) -> list[Link]:
    """The links of the new records: the stored model over the new records' blocks
    (the pairs of a new record with an old one of its blocks, and of two new ones)."""
    if not block.new or not trained:
        return []
    import duckdb
    from splink import DuckDBAPI, Linker

    tf = _tf_tables(con, trained, kind, block.new)
    scoring = duckdb.connect()
    try:
        register(scoring)
        api = DuckDBAPI(scoring)
        new = api.register(arrow_table(block.new, columns), table_name=f"hermit_{kind}_new")
        linker = Linker(new, trained, log_level=logging.WARNING)
        for column, table in tf.items():
            lookup = api.register(table, table_name=f"hermit_{kind}_tf_{column}")
            linker.table_management.register_term_frequency_lookup(lookup, column)
        threshold = config.keep_probability
        inference = linker.inference
        found = (
            [
                inference.predict_within(
                    new, threshold_match_probability=threshold, warning_mode="never"
                )
            ]
            if len(block.new) > 1
            else []
        )
        if block.old:
            old = api.register(arrow_table(block.old, columns), table_name=f"hermit_{kind}_old")
            found.append(
                inference.predict_between(
                    old, new, threshold_match_probability=threshold, warning_mode="never"
                )
            )
        links = [
            k for p in found for k in prediction_links(linker, p, kind, config.link_probability)
        ]
    finally:
        scoring.close()
    return links


def join_new(
    store: RegistryStore,
    records: dict[str, Record],
    config: ResolveConfig | None = None,
    run: int | None = None,
    judgements: Force | None = None,
) -> Joined:
    """Join the records the run (default: the latest) does not hold to its entities,
    with the analysts' judgements in force (judgements.in_force): an old entity that
    holds a judged record is clustered again from its stored links."""
    force = judgements or {}
    config = config or resolve_config()
    model_run = latest_run(store) if run is None else run
    # a cursor of its own: its temporary view and tables, and no other query's result
    con = store.con.cursor()
    try:
        clusters = {
            str(r): str(c)
            for r, c in con.execute(
                "SELECT record_id, cluster_id FROM resolve_clusters WHERE run_id = ?", [model_run]
            ).fetchall()
        }
        made = _old_view(con, model_run, records, clusters, config)
        return _join_all(store, con, records, config, model_run, clusters, made, force)
    finally:
        con.close()


def _join_all(
    store: RegistryStore,
    con: Any,
    records: dict[str, Record],
    config: ResolveConfig,
    model_run: int,
    clusters: dict[str, str],
    made: list[dict[str, Any]],
    force: Force,
) -> Joined:
    algorithm, models, settings = _stored(store, model_run)
    old_links = [
        k for k in _stored_links(store, model_run) if k.left in records and k.right in records
    ]
    new = sorted(rid for rid in records if rid not in clusters)
    rows = [_row(records[rid], config) for rid in new]
    feature_store.add_related(rows, records)
    orgs = [r for r in rows if r["kind"] == ORGANIZATION]
    people = [r for r in rows if r["kind"] == PERSON]
    found = _Found(clusters)
    out: list[Link] = []
    redone: list[dict[str, Any]] = []
    for kind, new_rows, columns, region_column in (
        (ORGANIZATION, orgs, ORGANIZATION_COLUMNS, "regions"),
        (PERSON, people, PERSON_COLUMNS, "related_regions"),
    ):
        if kind == PERSON:
            touched = _touched_people(con, records, clusters, found, set(new))
            redone = _relate(con, records, found, people, touched, orgs)
        trained = models.get(kind) or {}
        block = _block(
            con, kind, [dict(r) for r in new_rows], [dict(r) for r in redone], trained, config
        )
        links = _score(con, block, kind, trained, config, columns)
        fresh = {str(r["unique_id"]): r for r in (*new_rows, *redone)}
        kept = [k for k in old_links if k.kind == kind]
        links += _judged_links(
            con, records, kind, kept + links, force, fresh, trained, config, columns
        )
        ids = [str(r["unique_id"]) for r in new_rows]
        out += _join(
            con, found, records, kind, ids, links, kept, force, fresh, config, region_column
        )
    joined = {rid: found.of(rid) for rid in records}
    grown: dict[str, list[str]] = {}
    fresh_entities: dict[str, list[str]] = {}
    for rid in new:
        cid = joined[rid]
        (grown if cid in found.old else fresh_entities).setdefault(cid, []).append(rid)
    if made:
        by_id = {str(r["unique_id"]): r for r in redone}
        stored = [by_id.get(str(r["unique_id"]), r) for r in [*made, *rows]]
    else:
        stored = [*rows, *redone]
    resolution = Resolution(
        algorithm=algorithm,
        clusters=joined,
        links=sorted(out, key=lambda k: (k.left, k.right)),
        models=models,
        settings={**settings, "model_run": model_run, "incremental": INCREMENTAL},
        rows=stored,
        rows_from=model_run,
    )
    return Joined(resolution, model_run, len(new), grown, fresh_entities)


def _touched_people(
    con: Any,
    records: dict[str, Record],
    clusters: dict[str, str],
    found: _Found,
    new: set[str],
) -> list[str]:
    """The old people whose related columns the join may have changed: with relations
    loaded since the run, related to a new record, or attached to an entity that grew,
    merged or was clustered again."""
    moved = [(e, clusters.get(i)) for i, e in found.now.items() if e != clusters.get(i)]
    changed = {e for pair in moved for e in pair if e is not None}
    import pyarrow as pa

    people = [(rid, r) for rid, r in records.items() if r.kind == PERSON and rid in clusters]
    now = pa.table(
        {
            "unique_id": [rid for rid, _ in people],
            "related": pa.array(
                [sorted(r.related) or None for _, r in people], pa.list_(pa.string())
            ),
        }
    )
    con.register("_hermit_related", now)
    try:
        found_ids = con.execute(
            f"SELECT o.unique_id FROM {OLD} o JOIN _hermit_related n USING (unique_id) "
            "WHERE o.related_records IS DISTINCT FROM n.related"
        ).fetchall()
    finally:
        con.unregister("_hermit_related")
    out = {str(r[0]) for r in found_ids}  # a relation loaded since
    out |= {  # related to a new record (relations are read both ways)
        r
        for rid in new
        for r in records[rid].related
        if r in clusters and r in records and records[r].kind == PERSON
    }
    if changed:
        rows = con.execute(
            f"SELECT unique_id FROM {OLD} WHERE kind = ? AND list_has_any(related_entities, ?)",
            [PERSON, sorted(changed)],
        ).fetchall()
        out |= {str(r[0]) for r in rows}
    return sorted(out)


def _relate(
    con: Any,
    records: dict[str, Record],
    found: _Found,
    people: list[dict[str, Any]],
    touched: list[str],
    new_orgs: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """The new people's related columns (in place) and the touched old people's rows
    with theirs made again (run.person_rows on the organizations as joined)."""
    redone = feature_store.read(con, OLD, touched)
    rows = [*people, *redone]
    related = {
        r
        for row in rows
        for r in records[str(row["unique_id"])].related
        if r in records and records[r].kind == ORGANIZATION
    }
    org_entities = {r: found.of(r) for r in related}
    wanted = set(org_entities.values())
    candidates = found.members(wanted) | {r for r, e in found.now.items() if e in wanted}
    members = sorted(
        r
        for r in candidates
        if r in records and records[r].kind == ORGANIZATION and found.of(r) in wanted
    )
    org_rows: list[dict[str, Any]] = []
    if members:
        import pyarrow as pa

        con.register("_hermit_members", pa.table({"unique_id": members}))
        try:
            for rid, regions, districts in con.execute(
                f"SELECT unique_id, regions, districts FROM {OLD} "
                "SEMI JOIN _hermit_members USING (unique_id) "
                "WHERE regions IS NOT NULL OR districts IS NOT NULL"
            ).fetchall():
                org_rows.append({"unique_id": rid, "regions": regions, "districts": districts})
        finally:
            con.unregister("_hermit_members")
    org_rows += [r for r in new_orgs if found.of(str(r["unique_id"])) in wanted]
    mapping = {
        **org_entities,
        **{str(r["unique_id"]): found.of(str(r["unique_id"])) for r in org_rows},
    }
    person_rows(records, rows, mapping, org_rows)
    feature_store.add_related(redone, records)
    return redone
