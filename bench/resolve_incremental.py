"""Incremental resolution on the dev registry: all but HOLD party records resolved in
a full run (and stored), then the held-out records loaded and joined incrementally
(hermit.resolve.incremental.join_new); beside it a full run over everything. Figures:
pairwise precision / recall / F1 against the labels for both, the pairwise agreement
of the incremental clusters with the full run's, and the CPU seconds of the
incremental step (reading the records, and the join itself).

The anchor, in the same run: Splink's own incremental scoring (Splink 5's
``linker.inference.predict_between(old, new)`` and ``predict_within(new)``, its
find_matches_to_new_records of earlier versions) with the same stored models on the same
new records' comparison columns, against all the old records' stored columns (their
blocking keys bounded over old and new as a full run bounds them), the rare names'
frequencies over all records registered; its CPU is that of the Splink calls alone
(the tables registered, the pairs blocked and scored), and its pairs are compared with
the incremental join's.

    .venv/bin/python bench/resolve_incremental.py [--registry ../shared/data/registry]
        [--hold 1000]

The held-out records are picked by a hash of their record id (not by name or value);
the relations with a held-out end are loaded with them."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.names.script import detect_script  # noqa: E402
from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import feature_store  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import evaluate, read_truth  # noqa: E402
from hermit.resolve.features import bound_blocks, features  # noqa: E402
from hermit.resolve.incremental import join_new  # noqa: E402
from hermit.resolve.records import party_schemata, read_records  # noqa: E402
from hermit.resolve.run import (  # noqa: E402
    BOUNDED,
    ORGANIZATION_COLUMNS,
    PERSON_COLUMNS,
    arrow_table,
    person_rows,
    resolve,
)
from hermit.resolve.store import save  # noqa: E402
from hermit.resolve.udf import register  # noqa: E402


def _digest(ident: str) -> str:
    return hashlib.sha256(ident.encode()).hexdigest()


def _split(registry: Path, hold: int) -> tuple[list[bytes], list[bytes]]:
    with gzip.open(registry / "entities.ftm.jsonl.gz") as fh:
        objects = [orjson.loads(line) for line in fh if line.strip()]
    parties = set(party_schemata())
    ids = sorted((o["id"] for o in objects if o["schema"] in parties), key=_digest)
    held = set(ids[:hold])
    first: list[bytes] = []
    later: list[bytes] = []
    for o in objects:
        ends = {v for vs in o.get("properties", {}).values() for v in vs if isinstance(v, str)}
        (later if o["id"] in held or ends & held else first).append(orjson.dumps(o))
    return first, later


def _load(store: RegistryStore, path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")
    store.load([str(path)], read_registry_file(path))


def _scores(found: dict[str, str], truth: dict[str, str], scripts: dict[str, str]) -> str:
    p = evaluate(found, truth, scripts).pairs
    return f"{p.precision:.3f} / {p.recall:.3f} / {p.f1:.3f}"


def _anchor(
    store: RegistryStore, records: dict[str, Any], joined: Any
) -> tuple[float, set[tuple[str, str]]]:
    """Splink's predict_between / predict_within over all the old records (see the
    module's docstring): the CPU seconds of the Splink calls, and the pairs found at
    or above the keep probability."""
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    config = resolve_config()
    run = joined.model_run
    models = orjson.loads(
        store.con.execute("SELECT models FROM resolve_runs WHERE run_id = ?", [run]).fetchall()[0][
            0
        ]
    )
    names = ", ".join(f'"{c}"' for c in feature_store.COLUMNS)
    old = (
        store.con.sql(f"SELECT {names} FROM {feature_store.TABLE} WHERE run_id = {int(run)}")
        .to_arrow_table()
        .to_pylist()
    )
    new_ids = set(records) - {str(r["unique_id"]) for r in old}
    new = [features(records[r], config.region_codes) for r in sorted(new_ids)]
    for row in new:
        row["id_first"] = row["ids"][0] if row["ids"] else None
    clusters = joined.resolution.clusters
    orgs = [r for r in (*old, *new) if r["kind"] == "organization"]
    person_rows(records, [r for r in new if r["kind"] == "person"], clusters, orgs)
    spent = 0.0
    pairs: set[tuple[str, str]] = set()
    for kind, columns in (("organization", ORGANIZATION_COLUMNS), ("person", PERSON_COLUMNS)):
        old_rows = [r for r in old if r["kind"] == kind]
        new_rows = [r for r in new if r["kind"] == kind]
        bound_blocks([*old_rows, *new_rows], BOUNDED, config.max_block_records)
        counts: dict[str, int] = {}
        for row in (*old_rows, *new_rows):
            if row["name_key"] is not None:
                counts[row["name_key"]] = counts.get(row["name_key"], 0) + 1
        total = sum(counts.values())
        tf = {"name_key": list(counts), "tf_name_key": [n / total for n in counts.values()]}
        old_table, new_table = arrow_table(old_rows, columns), arrow_table(new_rows, columns)
        tf_table = pa.table(tf)
        con = duckdb.connect()
        register(con)
        t = time.process_time()
        api = DuckDBAPI(con)
        new_df = api.register(new_table, table_name=f"new_{kind}")
        old_df = api.register(old_table, table_name=f"old_{kind}")
        linker = Linker(new_df, models[kind], log_level=logging.WARNING)
        lookup = api.register(tf_table, table_name=f"tf_{kind}")
        linker.table_management.register_term_frequency_lookup(lookup, "name_key")
        found = []
        for p in (
            linker.inference.predict_between(
                old_df,
                new_df,
                threshold_match_probability=config.keep_probability,
                warning_mode="never",
            ),
            linker.inference.predict_within(
                new_df, threshold_match_probability=config.keep_probability, warning_mode="never"
            ),
        ):
            found += p.as_record_list()
        spent += time.process_time() - t
        con.close()
        pairs |= {tuple(sorted((str(r["unique_id_l"]), str(r["unique_id_r"])))) for r in found}
    return spent, pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--hold", type=int, default=1000)
    args = parser.parse_args()
    print(machine())
    first, later = _split(args.registry, args.hold)
    truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
    with tempfile.TemporaryDirectory() as tmp:
        with RegistryStore(Path(tmp) / "inc.duckdb") as store:
            _load(store, Path(tmp) / "first.ftm.jsonl", first)
            base = read_records(store)
            t = time.process_time()
            save(store, base, resolve(base))
            print(f"first run: {len(base):,} records, {time.process_time() - t:.1f} CPU s")
            _load(store, Path(tmp) / "later.ftm.jsonl", later)
            t0 = time.process_time()
            records = read_records(store)
            t1 = time.process_time()
            joined = join_new(store, records)
            t2 = time.process_time()
            save(store, records, joined.resolution)
            t3 = time.process_time()
            splink_cpu, splink_pairs = _anchor(store, records, joined)
        print(
            f"incremental: {joined.new_records:,} new records, {len(joined.grown):,} "
            f"entities grew, {len(joined.new_entities):,} new; CPU s: reading the records "
            f"{t1 - t0:.2f}, join {t2 - t1:.2f}, storing the run {t3 - t2:.2f}; "
            f"load average {os.getloadavg()}"
        )
        new_ids = set(records) - set(base)
        ours = {
            (k.left, k.right)
            for k in joined.resolution.links
            if k.left in new_ids or k.right in new_ids
        }
        print(
            f"anchor, Splink predict_between + predict_within over all {len(base):,} old "
            f"records: {splink_cpu:.2f} CPU s, {len(splink_pairs):,} pairs at or above the keep "
            f"probability; the join's {len(ours):,}, in both {len(ours & splink_pairs):,}; "
            f"load average {os.getloadavg()}"
        )
        t = time.process_time()
        full = resolve(records)
        print(f"full run: {len(records):,} records, {time.process_time() - t:.1f} CPU s")
    scripts = {rid: detect_script(next(iter(r.values("name")), "")) for rid, r in records.items()}
    truth = {r: c for r, c in truth.items() if r in records}
    inc = joined.resolution.clusters
    print(
        f"labels P / R / F1: incremental {_scores(inc, truth, scripts)}, "
        f"full {_scores(full.clusters, truth, scripts)}"
    )
    print(f"agreement with the full run (P / R / F1): {_scores(inc, full.clusters, scripts)}")
    print(f"held-out records in labels: {len(new_ids & set(truth)):,}")


if __name__ == "__main__":
    main()
