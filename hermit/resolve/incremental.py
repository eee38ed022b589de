"""Incremental resolution: the records of the registry store that the latest resolve
run does not hold join its entities without resolving the world again.

The run's trained Splink models (kept in ``resolve_runs.models``) score, through their
own blocking rules, only the pairs of the new records' blocks: the old records that
share a blocking value with a new one (an identifier, a name key, start, core or
sound, an address key, a resolved company; a name word with the date) and the new
records themselves; of those pairs, the ones with a new record are kept. The old
entities stay as they are; the new links, strongest first, join a new record to an
entity (or two new records) under the clustering rules of cluster.py (different
exclusive identifiers, two genders, regions with none in common: refused, kept as
"possibly the same"). People are scored after the organizations, by the entities
they are attached to as just joined. The result is stored as a new run (the model's
run recorded in its settings as ``model_run``) with which entities grew and which
are new."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import orjson

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve import judgements as jg
from hermit.resolve.cluster import REFUSED, cluster
from hermit.resolve.config import ResolveConfig, resolve_config
from hermit.resolve.features import COLUMNS, bound_blocks, features
from hermit.resolve.links import JUDGED, POSSIBLE, SAME, Link, Reason
from hermit.resolve.records import ORGANIZATION, PERSON, Record
from hermit.resolve.run import (
    BOUNDED,
    RELATED_REGIONS,
    Force,
    Resolution,
    _links,
    _person_rows,
    _table,
    held_by,
    score_pairs,
)
from hermit.resolve.store import latest_run
from hermit.resolve.udf import register

#: The blocking columns of the models' rules (model.py): an old record is in a new
#: record's blocks when it shares one of their values (name_tokens only with the date).
BLOCK_COLUMNS = (
    "ids",
    "name_keys",
    "name_starts",
    "name_cores",
    "name_sounds",
    "address_key",
    "related_entities",
)


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


def _keys(row: dict[str, Any]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for column in BLOCK_COLUMNS:
        value = row.get(column)
        for v in [value] if isinstance(value, str) else value or ():
            out.add((column, v))
    if row.get("date"):
        out.update(("name_tokens", f"{t}|{row['date']}") for t in row.get("name_tokens") or ())
    return out


def _score(
    rows: list[dict[str, Any]],
    new: set[str],
    kind: str,
    trained: dict[str, Any],
    config: ResolveConfig,
    columns: tuple[str, ...],
) -> list[Link]:
    """The links of the new records: the stored model over the new records' blocks."""
    if not new or not trained:
        return []
    wanted: set[tuple[str, str]] = set()
    for row in rows:
        if row["unique_id"] in new:
            wanted |= _keys(row)
    subset = [r for r in rows if r["unique_id"] in new or _keys(r) & wanted]
    if len(subset) < 2:
        return []
    import duckdb
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    try:
        register(con)
        sdf = DuckDBAPI(con).register(_table(subset, columns), table_name=f"hermit_{kind}_new")
        linker = Linker(sdf, trained, log_level=logging.WARNING)
        predictions = linker.inference.predict(threshold_match_probability=config.keep_probability)
        links = _links(linker, predictions, kind, config.link_probability)
    finally:
        con.close()
    return [k for k in links if k.left in new or k.right in new]


def _scored_tier(link: Link, link_probability: float) -> Link:
    """A stored link as its scores made it: the tier from its probability, without the
    refusal or the judgement an earlier run added (its entity is clustered again)."""
    reasons = tuple(r for r in link.reasons if r.comparison not in (REFUSED, JUDGED))
    tier = SAME if link.probability >= link_probability else POSSIBLE
    return replace(link, tier=tier, reasons=reasons)


def _join(
    rows: list[dict[str, Any]],
    clusters: dict[str, str],
    links: list[Link],
    config: ResolveConfig,
    region_column: str,
    force: Force,
) -> tuple[dict[str, str], list[Link]]:
    """The kind's clusters: the old entities fixed, except those holding a record an
    analyst judged (clustered again from their stored links, with the judgements);
    the links (old and new) taken strongest first under cluster.py's refusals, the
    accepted pairs first, the rejected ones kept apart."""
    ids = [str(r["unique_id"]) for r in rows]
    mine = set(ids)
    judged = {i for pair in force for i in pair if i in clusters and i in mine}
    dissolved = {clusters[i] for i in judged}
    start = {i: clusters[i] for i in ids if i in clusters and clusters[i] not in dissolved}
    # a stored link between records of entities kept as they are changes nothing: kept
    settled = [k for k in links if k.left in start and k.right in start]
    again = [
        _scored_tier(k, config.link_probability)
        if clusters.get(k.left) in dissolved or clusters.get(k.right) in dissolved
        else k
        for k in links
        if not (k.left in start and k.right in start)
    ]
    held = held_by(rows, config, region_column)
    apart = jg.rejected(force, mine)
    found, out = cluster(ids, jg.apply(again, force), held, apart=apart, start=start)
    return found, settled + out


def _of(links: list[Link], rows: list[dict[str, Any]]) -> list[Link]:
    ids = {str(r["unique_id"]) for r in rows}
    return [k for k in links if k.left in ids]


def _judged_links(
    rows: list[dict[str, Any]],
    links: list[Link],
    force: Force,
    kind: str,
    trained: dict[str, Any],
    config: ResolveConfig,
    columns: tuple[str, ...] = (*COLUMNS, "id_first"),
) -> list[Link]:
    """The accepted pairs of the kind that no link holds, scored by the stored model."""
    ids = {str(r["unique_id"]) for r in rows}
    pairs = jg.accepted_unlinked(links, force, ids)
    return score_pairs(trained, rows, columns, pairs, kind, config)


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
    algorithm, models, settings = _stored(store, model_run)
    clusters = {
        str(r): str(c)
        for r, c in store.con.execute(
            "SELECT record_id, cluster_id FROM resolve_clusters WHERE run_id = ?", [model_run]
        ).fetchall()
    }
    old_links = _stored_links(store, model_run)
    new = {rid for rid in records if rid not in clusters}
    rows = [features(r, config.region_codes) for r in records.values()]
    for row in rows:
        row["id_first"] = row["ids"][0] if row["ids"] else None
    orgs = [r for r in rows if r["kind"] == ORGANIZATION]
    people = [r for r in rows if r["kind"] == PERSON]
    for table in (orgs, people):
        bound_blocks(table, BOUNDED, config.max_block_records)
    org_columns = (*COLUMNS, "id_first")
    kept = [k for k in old_links if k.left in records and k.right in records]
    org_model = models.get(ORGANIZATION) or {}
    org_links = _score(orgs, new, ORGANIZATION, org_model, config, org_columns)
    org_links += _judged_links(orgs, kept + org_links, force, ORGANIZATION, org_model, config)
    org_clusters, org_links = _join(
        orgs, clusters, _of(kept, orgs) + org_links, config, "regions", force
    )
    _person_rows(records, people, org_clusters, orgs)
    person_columns = (*org_columns, "related_entities", "related_first", *RELATED_REGIONS)
    person_model = models.get(PERSON) or {}
    person_links = _score(people, new, PERSON, person_model, config, person_columns)
    person_links += _judged_links(
        people, kept + person_links, force, PERSON, person_model, config, person_columns
    )
    person_clusters, person_links = _join(
        people, clusters, _of(kept, people) + person_links, config, "related_regions", force
    )
    joined = {**org_clusters, **person_clusters}
    old_entities = set(clusters.values())
    grown: dict[str, list[str]] = {}
    fresh: dict[str, list[str]] = {}
    for rid in sorted(new):
        cid = joined[rid]
        (grown if cid in old_entities else fresh).setdefault(cid, []).append(rid)
    resolution = Resolution(
        algorithm=algorithm,
        clusters=joined,
        links=sorted(org_links + person_links, key=lambda k: (k.left, k.right)),
        models=models,
        settings={**settings, "model_run": model_run, "incremental": True},
    )
    return Joined(resolution, model_run, len(new), grown, fresh)
