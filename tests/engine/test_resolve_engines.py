"""Entity resolution (hermit-resolve, Splink) on DuckDB and on Spark in local mode
(Splink's SparkAPI, hermit's scorer as an Arrow UDF: hermit.resolve.spark_splink), on
the golden slice of the dev registry (tests/resolve/golden_output.py: one labelled
organization entity in 150, their people and relations): the same links (pairs, tiers,
match weights, reasons, probabilities), the same entities, stored alike (the runs'
clusters and links tables, the models in DuckDB's SQL).

Probabilities are compared to 1e-12, not for equality: DuckDB itself adds EM's
expected counts in thread order (tests/resolve/golden_output.py rounds to 4 decimals
for that reason) and Spark in partition order. In the runs of this test they were equal
to the last digit; the trained m probabilities differed in three levels of the people's
name comparison by at most 2e-17."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from hermit.engine import open_engine
from hermit.registry.read import read_registry_file
from hermit.registry.store import RegistryStore
from hermit.resolve.incremental import join_new
from hermit.resolve.records import Record, read_records
from hermit.resolve.run import Resolution, resolve
from hermit.resolve.store import save
from tests.conftest import shared_data_dir
from tests.engine.conftest import needs_spark
from tests.resolve.golden_output import slice_lines
from tests.resolve.test_incremental import STRANGER

pytestmark = pytest.mark.skipif(
    not (shared_data_dir() / "registry").exists(), reason="no shared dev registry"
)
#: How far a link's probability (or a trained m or u) may be from DuckDB's.
TOLERANCE = 1e-12


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Record]:
    folder = tmp_path_factory.mktemp("resolve_engines")
    source = folder / "slice.ftm.jsonl"
    source.write_bytes(b"\n".join(slice_lines()) + b"\n")
    with RegistryStore(folder / "registry.duckdb") as store:
        store.load([str(source)], read_registry_file(source))
        return read_records(store)


@pytest.fixture(scope="module")
def on_duckdb(records: dict[str, Record]) -> Resolution:
    return resolve(records)


@pytest.fixture(scope="module")
def on_spark(records: dict[str, Record], spark_session: Any) -> Resolution:
    return resolve(records, engine=open_engine("spark", session=spark_session))


def _entities(found: Resolution) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for record, entity in found.clusters.items():
        groups.setdefault(entity, []).append(record)
    return sorted(sorted(g) for g in groups.values())


def _levels(model: dict[str, Any]) -> list[tuple[str, str, Any, Any, str]]:
    return [
        (c["output_column_name"], x["label_for_charts"], x.get("m_probability"),
         x.get("u_probability"), x["sql_condition"])
        for c in model["comparisons"]
        for x in c["comparison_levels"]
    ]  # fmt: skip


def _stored(path: Path, records: dict[str, Record], found: Resolution) -> dict[str, list[Any]]:
    with RegistryStore(path) as store:
        run = save(store, records, found).run_id
        return {
            table: store.con.execute(
                f"SELECT * EXCLUDE (run_id) FROM {table} WHERE run_id = ? ORDER BY ALL", [run]
            ).fetchall()
            for table in ("resolve_clusters", "resolve_links")
        }


@needs_spark
def test_spark_gives_duckdbs_links_and_entities(
    records: dict[str, Record], on_duckdb: Resolution, on_spark: Resolution
) -> None:
    assert len(records) > 300
    assert on_spark.algorithm == on_duckdb.algorithm
    duck = {(k.left, k.right): k for k in on_duckdb.links}
    spark = {(k.left, k.right): k for k in on_spark.links}
    assert len(duck) > 300 and sum(k.tier == "same" for k in duck.values()) > 100
    assert spark.keys() == duck.keys()
    for pair, want in duck.items():
        got = spark[pair]
        assert (got.tier, got.match_weight, got.reasons) == (
            want.tier,
            want.match_weight,
            want.reasons,
        ), pair
        assert got.probability == pytest.approx(want.probability, abs=TOLERANCE), pair
    assert on_spark.clusters == on_duckdb.clusters
    assert len([e for e in _entities(on_duckdb) if len(e) > 1]) > 50
    assert on_spark.settings == on_duckdb.settings


@needs_spark
def test_spark_models_are_stored_in_duckdbs_sql(
    on_duckdb: Resolution, on_spark: Resolution
) -> None:
    for kind, want in on_duckdb.models.items():
        got = on_spark.models[kind]
        assert got["sql_dialect"] == "duckdb"
        assert (
            got["blocking_rules_to_generate_predictions"]
            == (want["blocking_rules_to_generate_predictions"])
        )
        assert got["probability_two_random_records_match"] == pytest.approx(
            want["probability_two_random_records_match"], abs=TOLERANCE
        )
        for a, b in zip(_levels(got), _levels(want), strict=True):
            assert (a[0], a[1], a[4]) == (b[0], b[1], b[4])
            for x, y in ((a[2], b[2]), (a[3], b[3])):
                assert (x is None) == (y is None), a
                if x is not None:
                    assert x == pytest.approx(y, abs=TOLERANCE), a


@needs_spark
def test_a_spark_run_is_joined_to_incrementally_on_duckdb(
    tmp_path: Path, records: dict[str, Record], on_spark: Resolution
) -> None:
    """hermit resolve --incremental (DuckDB) reads a run made on Spark: its models'
    SQL is DuckDB's. A stranger joins nothing and is a new entity."""
    path = tmp_path / "registry.duckdb"
    source = tmp_path / "slice.ftm.jsonl"
    source.write_bytes(b"\n".join([*slice_lines(), orjson.dumps(STRANGER)]) + b"\n")
    with RegistryStore(path) as store:
        store.load([str(source)], read_registry_file(source))
        run = save(store, records, on_spark).run_id
        joined = join_new(store, read_records(store))
    assert joined.model_run == run and joined.new_records == 1 and joined.grown == {}
    assert joined.new_entities == {STRANGER["id"]: [STRANGER["id"]]}


@needs_spark
def test_both_runs_are_stored_alike(
    tmp_path: Path, records: dict[str, Record], on_duckdb: Resolution, on_spark: Resolution
) -> None:
    duck = _stored(tmp_path / "duckdb.duckdb", records, on_duckdb)
    spark = _stored(tmp_path / "spark.duckdb", records, on_spark)
    assert duck["resolve_clusters"] == spark["resolve_clusters"]
    assert len(duck["resolve_links"]) == len(spark["resolve_links"])
    for a, b in zip(duck["resolve_links"], spark["resolve_links"], strict=True):
        assert a[:5] == b[:5] and a[6:] == b[6:], a  # all but the probability, exactly
        assert a[5] == pytest.approx(b[5], abs=TOLERANCE), a
