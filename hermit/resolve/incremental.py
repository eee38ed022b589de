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
from hermit.resolve.cluster import REFUSED, _conflict, consistency, exclusive_ids
from hermit.resolve.config import ResolveConfig, resolve_config
from hermit.resolve.features import COLUMNS, bound_blocks, features
from hermit.resolve.links import POSSIBLE, SAME, Link, Reason
from hermit.resolve.records import ORGANIZATION, PERSON, Record
from hermit.resolve.run import (
    BOUNDED,
    RELATED_REGIONS,
    Resolution,
    _links,
    _person_rows,
    _table,
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


def _join(
    rows: list[dict[str, Any]],
    clusters: dict[str, str],
    links: list[Link],
    config: ResolveConfig,
    region_column: str,
) -> tuple[dict[str, str], list[Link]]:
    """The new records' clusters: the old entities fixed, the new links taken
    strongest first under cluster.py's refusals (on the entities as joined so far)."""
    schemes = frozenset(config.exclusive_schemes)
    parent = {
        str(r["unique_id"]): clusters.get(str(r["unique_id"]), str(r["unique_id"])) for r in rows
    }
    for cid in set(parent.values()):
        parent.setdefault(cid, cid)
    holds: dict[str, dict[str, frozenset[str]]] = {}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in rows:
        held = {
            **exclusive_ids(r.get("ids") or (), schemes),
            **consistency(r.get("gender"), r.get(region_column) or ()),
        }
        mine = holds.setdefault(root(str(r["unique_id"])), {})
        for key, values in held.items():
            mine[key] = mine.get(key, frozenset()) | values
    out: list[Link] = []
    for link in sorted(links, key=lambda k: (-k.probability, -k.match_weight, k.left, k.right)):
        ra, rb = root(link.left), root(link.right)
        if link.tier != SAME or ra == rb:
            out.append(link)
            continue
        conflict = _conflict(holds.get(ra, {}), holds.get(rb, {}))
        if conflict:
            why = Reason(REFUSED, "; ".join(conflict), 0.0)
            out.append(replace(link, tier=POSSIBLE, reasons=(*link.reasons, why)))
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        if gone in clusters.values() and keep not in clusters.values():
            keep, gone = gone, keep  # an old entity keeps its id
        parent[gone] = keep
        merged = holds.pop(gone, {})
        mine = holds.setdefault(keep, {})
        for key, values in merged.items():
            mine[key] = mine.get(key, frozenset()) | values
        out.append(link)
    return {str(r["unique_id"]): root(str(r["unique_id"])) for r in rows}, out


def join_new(
    store: RegistryStore,
    records: dict[str, Record],
    config: ResolveConfig | None = None,
    run: int | None = None,
) -> Joined:
    """Join the records the run (default: the latest) does not hold to its entities."""
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
    org_links = _score(orgs, new, ORGANIZATION, models.get(ORGANIZATION) or {}, config, org_columns)
    org_clusters, org_links = _join(orgs, clusters, org_links, config, "regions")
    _person_rows(records, people, org_clusters, orgs)
    person_columns = (*org_columns, "related_entities", "related_first", *RELATED_REGIONS)
    person_links = _score(people, new, PERSON, models.get(PERSON) or {}, config, person_columns)
    person_clusters, person_links = _join(people, clusters, person_links, config, "related_regions")
    joined = {**org_clusters, **person_clusters}
    old_entities = set(clusters.values())
    grown: dict[str, list[str]] = {}
    fresh: dict[str, list[str]] = {}
    for rid in sorted(new):
        cid = joined[rid]
        (grown if cid in old_entities else fresh).setdefault(cid, []).append(rid)
    kept = [k for k in old_links if k.left in joined and k.right in joined]
    resolution = Resolution(
        algorithm=algorithm,
        clusters=joined,
        links=sorted(kept + org_links + person_links, key=lambda k: (k.left, k.right)),
        models=models,
        settings={**settings, "model_run": model_run, "incremental": True},
    )
    return Joined(resolution, model_run, len(new), grown, fresh)
