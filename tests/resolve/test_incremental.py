"""Incremental resolution (hermit.resolve.incremental) on a small slice of the dev
registry: a record held out of the first run joins the entity the full run puts it
in; a record that matches nothing is a new entity; the run of the model is recorded."""

from __future__ import annotations

from pathlib import Path

import orjson

from hermit.registry.read import read_registry_file
from hermit.registry.store import RegistryStore
from hermit.resolve import blocks, feature_store
from hermit.resolve.incremental import join_new
from hermit.resolve.links import Link
from hermit.resolve.records import read_records
from hermit.resolve.run import arrow_table, resolve
from hermit.resolve.store import save
from tests.resolve.golden_output import DECIMALS, slice_lines

STRANGER = {
    "id": "test-stranger-1",
    "schema": "Company",
    "properties": {"name": ["Zyxquor Vantablem Holdings"], "country": ["is"]},
}


def _load(store: RegistryStore, path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")
    store.load([str(path)], read_registry_file(path))


def test_new_records_join_the_entities_of_the_full_run(tmp_path: Path) -> None:
    lines = slice_lines()
    full_store = tmp_path / "full.duckdb"
    with RegistryStore(full_store) as store:
        _load(store, tmp_path / "all.ftm.jsonl", lines)
        records = read_records(store)
    full = resolve(records)
    groups: dict[str, list[str]] = {}
    for record, entity in full.clusters.items():
        groups.setdefault(entity, []).append(record)
    # an organization of an entity of two records or more, held out of the first run
    held = next(
        sorted(g)[-1]
        for g in sorted(groups.values())
        if len(g) >= 2 and all(records[r].kind == "organization" for r in g)
    )
    mates = set(groups[full.clusters[held]]) - {held}
    first = [x for x in lines if orjson.loads(x)["id"] != held]
    later = [x for x in lines if orjson.loads(x)["id"] == held] + [orjson.dumps(STRANGER)]
    with RegistryStore(tmp_path / "inc.duckdb") as store:
        _load(store, tmp_path / "first.ftm.jsonl", first)
        counts = save(store, read_records(store), resolve(read_records(store)))
        _load(store, tmp_path / "later.ftm.jsonl", later)
        records = read_records(store)
        joined = join_new(store, records)
        again = save(store, records, joined.resolution)
        stored = store.con.execute(
            "SELECT settings FROM resolve_runs WHERE run_id = ?", [again.run_id]
        ).fetchone()
    found = joined.resolution.clusters
    assert joined.new_records == 2 and joined.model_run == counts.run_id
    assert {found[m] for m in mates} == {found[held]}
    assert joined.grown == {found[held]: [held]}
    assert joined.new_entities == {STRANGER["id"]: [STRANGER["id"]]}
    assert stored is not None and orjson.loads(stored[0])["model_run"] == counts.run_id
    assert again.records == len(records)


def test_cli_says_which_entities_are_new(tmp_path: Path) -> None:
    from tests.cli.helpers import hermit

    store = tmp_path / "store.duckdb"
    first, later = tmp_path / "first.ftm.jsonl", tmp_path / "later.ftm.jsonl"
    first.write_bytes(b"\n".join(slice_lines()) + b"\n")
    later.write_bytes(orjson.dumps(STRANGER) + b"\n")
    hermit(store, "registry", "load", str(first))
    hermit(store, "resolve")
    hermit(store, "registry", "load", str(later))
    out = orjson.loads(hermit(store, "resolve", "--incremental", "--json").stdout)
    assert out["model_run"] == 1 and out["run"] == 2 and out["new_records"] == 1
    assert out["grown"] == {} and out["new_entities"] == {STRANGER["id"]: [STRANGER["id"]]}
    text = hermit(store, "resolve", "--incremental").stdout
    assert "0 new records" in text and "model of run 2" in text


def test_cli_engine_options_are_checked(tmp_path: Path) -> None:
    """--engine is duckdb or spark, --spark-master goes with spark only, and
    --incremental runs on DuckDB (a Spark run is joined to there:
    tests/engine/test_resolve_engines.py)."""
    from typer.testing import CliRunner

    from hermit.cli import app

    store = str(tmp_path / "store.duckdb")
    runner = CliRunner()
    for args, says in (
        (["--engine", "bogus"], "duckdb or spark"),
        (["--spark-master", "local[1]"], "applies to --engine spark only"),
        (["--incremental", "--engine", "spark"], "runs on duckdb only"),
    ):
        out = runner.invoke(app, ["--store", store, "resolve", *args])
        assert out.exit_code == 2 and says in out.output, out.output


def _rounded(links: list[Link]) -> list[tuple[str, str, str, float]]:
    return [(k.left, k.right, k.tier, round(k.probability, DECIMALS)) for k in links]


def test_a_run_stored_without_its_rows_joins_the_same(tmp_path: Path) -> None:
    """The old records' comparison columns read from the store (feature_store.py) or,
    for a run stored without them, made again for every record: one join."""
    lines = slice_lines()
    held = {orjson.loads(x)["id"] for x in lines[::7]}
    first = [x for x in lines if orjson.loads(x)["id"] not in held]
    later = [x for x in lines if orjson.loads(x)["id"] in held]
    with RegistryStore(tmp_path / "inc.duckdb") as store:
        _load(store, tmp_path / "first.ftm.jsonl", first)
        save(store, read_records(store), resolve(read_records(store)))
        _load(store, tmp_path / "later.ftm.jsonl", later)
        records = read_records(store)
        kept = join_new(store, records)
        assert feature_store.has_rows(store.con, 1)
        store.con.execute("DELETE FROM resolve_features")
        assert not feature_store.has_rows(store.con, 1)
        made = join_new(store, records)
        stored = save(store, records, made.resolution)
        rows = store.con.execute(
            "SELECT count(*) FROM resolve_features WHERE run_id = ?", [stored.run_id]
        ).fetchall()
    assert kept.new_records == made.new_records > 20
    assert kept.resolution.clusters == made.resolution.clusters
    assert len(kept.grown) > 5
    # probabilities to DECIMALS places: DuckDB's sums may differ in the last bits
    assert _rounded(kept.resolution.links) == _rounded(made.resolution.links)
    assert rows[0][0] == len(records)


def test_block_keys_in_python_and_in_sql_agree(tmp_path: Path) -> None:
    """blocks.row_keys (one row) and blocks.keys_sql (a table) give the same keys of
    the trained models' rules, for each kind."""
    import duckdb

    with RegistryStore(tmp_path / "s.duckdb") as store:
        _load(store, tmp_path / "all.ftm.jsonl", slice_lines())
        records = read_records(store)
    full = resolve(records)
    con = duckdb.connect()
    for kind in ("organization", "person"):
        rules = blocks.rules(full.models[kind])
        rows = [r for r in full.rows if r["kind"] == kind]
        con.register("t", arrow_table(rows, feature_store.COLUMNS))
        found = con.execute(blocks.keys_sql(rules, "t")).fetchall()
        in_sql = {(str(u), int(i), str(k)) for u, i, k in found}
        in_python = {
            (str(r["unique_id"]), i, k) for r in rows for i, k in blocks.row_keys(r, rules)
        }
        assert in_sql == in_python
        assert len({i for _, i, _ in in_sql}) == len(rules) >= 5
        con.unregister("t")
