"""Why records named alone are not resolved: the match weights of hermit's organization
model (Splink's ``predict`` columns: each comparison's level and weight, the name's
term-frequency adjustment, the prior) for the pairs of one FtM schema, beside the
share of labelled true pairs among "bare" same-name pairs (at least one record with no
identifier, no date and no address) by how many records hold the name key.

    .venv/bin/python bench/resolve_bare_pairs.py [--registry ../shared/data/registry]
        [--schema Organization]

The model is trained as hermit.resolve.run.link_table trains it (run._train, the
settings of model.organization_settings) on all organization records of the registry.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hermit.registry.read import read_registry_file  # noqa: E402
from hermit.registry.store import RegistryStore  # noqa: E402
from hermit.resolve import model, run  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import read_truth  # noqa: E402
from hermit.resolve.features import COLUMNS, bound_blocks, features  # noqa: E402
from hermit.resolve.records import ORGANIZATION, Record, read_records  # noqa: E402
from hermit.resolve.udf import register  # noqa: E402


def _bare(row: dict[str, Any]) -> bool:
    return not (row["ids"] or row["weak_ids"] or row["date"] or row["address_numbers"])


def _bucket(count: int) -> str:
    return str(count) if count < 4 else "4-9" if count < 10 else "10+"


def bare_pairs(
    rows: list[dict[str, Any]], schema: dict[str, str], truth: dict[str, str]
) -> dict[tuple[str, str, str], list[int]]:
    """(schemata, records holding the key, country) -> [pairs, true pairs] over the
    same-name-key pairs of the same country with at least one bare record."""
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_key[row["name_key"]].append(row)
    out: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for held in by_key.values():
        for a, b in combinations(held, 2):
            if not (_bare(a) or _bare(b)) or not a["country"] or a["country"] != b["country"]:
                continue
            kinds = "/".join(sorted((schema[a["unique_id"]], schema[b["unique_id"]])))
            cell = out[(kinds, _bucket(len(held)), a["country"])]
            cell[0] += 1
            one = truth.get(a["unique_id"])
            cell[1] += one is not None and one == truth.get(b["unique_id"])
    return out


def _rows(records: dict[str, Record]) -> list[dict[str, Any]]:
    config = resolve_config()
    rows = [features(r, config.region_codes) for r in records.values() if r.kind == ORGANIZATION]
    for row in rows:
        row["id_first"] = row["ids"][0] if row["ids"] else None
    bound_blocks(rows, run.BOUNDED, config.max_block_records)
    return rows


def weights(rows: list[dict[str, Any]], wanted: set[str]) -> tuple[dict[str, Any], list[Any]]:
    """The trained organization model and the predicted pairs (every probability)
    whose two records are both in ``wanted``."""
    import duckdb
    from splink import DuckDBAPI, Linker

    config = resolve_config()
    con = duckdb.connect()
    try:
        register(con)
        sdf = DuckDBAPI(con).register(
            run.arrow_table(rows, (*COLUMNS, "id_first")), table_name="hermit_bare_pairs"
        )
        linker = Linker(sdf, model.organization_settings(), log_level=logging.WARNING)
        run._train(
            linker,
            sdf,
            config,
            model.EM_RULES[ORGANIZATION],
            model.PRIOR_RULES[ORGANIZATION],
        )
        trained = linker.misc.save_model_to_json()
        predicted = linker.inference.predict(threshold_match_probability=0.0)
        found = [
            row
            for row in predicted.as_record_list()
            if row["unique_id_l"] in wanted and row["unique_id_r"] in wanted
        ]
    finally:
        con.close()
    return trained, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, default=REPO.parent / "shared/data/registry")
    parser.add_argument("--schema", default="Organization")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        source = args.registry / "entities.ftm.jsonl.gz"
        with RegistryStore(Path(name) / "bench.registry.duckdb") as store:
            store.load([str(source)], read_registry_file(source))
            records = read_records(store)
    truth = read_truth(args.registry / "labels" / "truth_clusters.csv")
    schema = {k: r.schema for k, r in records.items()}
    rows = _rows(records)
    wanted = {str(r["unique_id"]) for r in rows if schema[r["unique_id"]] == args.schema}
    true_pairs = Counter(truth[i] for i in wanted if i in truth)
    print(f"{len(rows):,} organization records, {len(wanted)} {args.schema}")
    print(f"labelled true pairs among them: {sum(n * (n - 1) // 2 for n in true_pairs.values())}")

    print("\nsame name key, same country, one record bare: pairs, one entity")
    for (kinds, held, country), (n, t) in sorted(bare_pairs(rows, schema, truth).items()):
        print(f"  {kinds:28} key of {held:>4} records  {country}  {n:5} {t:5} {t / n:6.1%}")

    cpu = time.process_time()
    trained, found = weights(rows, wanted)
    prior = trained["probability_two_random_records_match"]
    print(f"\ntrained in {time.process_time() - cpu:.1f} CPU s (this process)")
    print(f"prior {prior:.3g} (weight {math.log2(prior / (1 - prior)):.2f})")
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if m is not None and u is not None:
                label = f"{comparison['output_column_name']}: {level['label_for_charts']}"
                print(f"  {label:52} m {m:.3g} u {u:.3g} weight {math.log2(m / u):+.2f}")
    n_records = len(rows)
    best_name = next(
        lvl["m_probability"]
        for lvl in trained["comparisons"][0]["comparison_levels"]
        if lvl["label_for_charts"] == "same name"
    )
    print(f"  most a name can give (tf of one record in {n_records:,}): ", end="")
    print(f"{math.log2(best_name * n_records):+.2f}")

    levels = Counter()
    for row in found:
        one = truth.get(row["unique_id_l"])
        levels[(one is not None and one == truth.get(row["unique_id_r"]), row["gamma_name"])] += 1
    print(f"\n{args.schema} pairs compared: {len(found)}")
    print(f"  (labelled true, name level): pairs {sorted(levels.items())}")
    print("the highest true pairs' weights:")
    columns = [c for c in found[0] if c.startswith(("mw_", "gamma_"))] if found else []
    true = [r for r in found if truth.get(r["unique_id_l"], "") == truth.get(r["unique_id_r"])]
    ranked = sorted(true, key=lambda r: -float(r["match_weight"]))
    for row in ranked[:5]:
        parts = " ".join(f"{c}={float(row[c]):.2f}" for c in columns if row[c] is not None)
        print(f"  {row['name_l']} / {row['name_r']}: {float(row['match_weight']):.2f} ", end="")
        print(f"(p {float(row['match_probability']):.3f}) {parts}")


if __name__ == "__main__":
    main()
