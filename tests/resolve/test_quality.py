"""``hermit resolve`` through the real program on a sample of the dev registry
(../shared/data/registry): every record of one organization cluster in SAMPLE_EVERY of
the labelled ones (picked by a hash of the cluster id, not by their contents), the
people attached to them and the relations among these, as FtM JSON lines. The quality
floors are below what the bench measures (BENCHMARKS.md), to catch a regression, not to
restate the figure."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from hermit.names.script import detect_script
from hermit.registry.store import RegistryStore
from hermit.resolve.evaluate import evaluate, labelled_sample, read_truth
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

REGISTRY = shared_data_dir() / "registry"
SAMPLE_EVERY = 10
FLOOR_F1 = 0.85
FLOOR_CROSS_SCRIPT_F1 = 0.85
#: Sampled Russian companies given a twin: the same record with other valid INN and
#: OGRN (another company of the same name, address and date: a successor, a namesake).
TWINS = 5


def _other(code: str) -> str:
    """A valid INN (10 digits) or OGRN (13) other than ``code``: its last body digit
    changed, its check digit recomputed."""
    from stdnum.ru import inn, ogrn

    body = code[:-1]
    body = body[:-1] + str((int(body[-1]) + 1) % 10)
    check = inn.calc_company_check_digit(body) if len(code) == 10 else ogrn.calc_check_digit(body)
    return body + check


def _twin(obj: dict[str, object], n: int) -> dict[str, object]:
    props = dict(obj["properties"])  # type: ignore[call-overload]
    codes = {v: _other(v) for k in ("innCode", "ogrnCode") for v in props.get(k, [])}
    for k, values in props.items():
        props[k] = [codes.get(v, v) for v in values]
    return {**obj, "id": f"ru-co-twin{n}", "properties": props}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The sampled FtM file and its truth (record id -> cluster id): the records of the
    picked organization clusters, the people attached to them (as directors, owners or
    shareholders) and the relations among these."""
    truth = read_truth(REGISTRY / "labels" / "truth_clusters.csv")
    entities, kept = labelled_sample(REGISTRY, SAMPLE_EVERY)
    lines = [orjson.dumps(obj) for obj in entities]
    # the first TWINS Russian companies (by record id) with an INN and an OGRN whose
    # entity also has a record of another registry, twinned
    clusters: dict[str, set[str]] = {}
    for r in kept:
        clusters.setdefault(truth[r], set()).add(r)
    twinned = 0
    for obj in sorted(entities, key=lambda o: str(o["id"])):
        props = obj["properties"]
        if twinned == TWINS or obj["id"] not in kept or not str(obj["id"]).startswith("ru-co-"):
            continue
        if not (props.get("innCode") and props.get("ogrnCode")):
            continue
        if all(m.startswith("ru-") for m in clusters[truth[obj["id"]]]):
            continue
        lines.append(orjson.dumps(_twin(obj, twinned)))
        twinned += 1
    assert twinned == TWINS
    out = tmp_path_factory.mktemp("sample") / "sample.ftm.jsonl"
    out.write_bytes(b"\n".join(lines) + b"\n")
    return out, {r: truth[r] for r in kept}


@pytest.fixture(scope="module")
def resolved(sample: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "hermit.duckdb"
    hermit(store, "registry", "load", str(sample[0]))
    out = hermit(store, "resolve").stdout
    assert "resolve run 1 (hermit-resolve@6)" in out
    return store


def _clusters(store: Path) -> tuple[dict[str, str], dict[str, str]]:
    with RegistryStore(store.with_name("hermit.registry.duckdb"), read_only=True) as reg:
        rows = reg.con.execute(
            "SELECT record_id, cluster_id, name FROM resolve_clusters WHERE run_id = 1"
        ).fetchall()
    found = {r: c for r, c, _ in rows}
    scripts = {r: detect_script((n or "").replace(" ", "")) for r, _, n in rows}
    return found, scripts


def test_quality_floor_on_the_dev_labels(
    resolved: Path, sample: tuple[Path, dict[str, str]]
) -> None:
    found, scripts = _clusters(resolved)
    twins = {f"ru-co-twin{n}" for n in range(TWINS)}
    assert set(found) == set(sample[1]) | twins  # every record resolved, none invented
    found = {r: c for r, c in found.items() if r not in twins}
    figures = evaluate(found, sample[1], scripts)
    assert figures.pairs.f1 >= FLOOR_F1, figures.as_dict()
    assert figures.cross_script.true_pairs > 100
    assert figures.cross_script.f1 >= FLOOR_CROSS_SCRIPT_F1, figures.as_dict()


def test_show_explains_an_entity_by_its_links(resolved: Path) -> None:
    with RegistryStore(resolved.with_name("hermit.registry.duckdb"), read_only=True) as reg:
        row = reg.con.execute(
            "SELECT left_id, right_id, cluster_id FROM resolve_links WHERE run_id = 1 "
            "AND left_id LIKE 'intl-c-%' AND right_id LIKE 'ru-co-%' ORDER BY left_id LIMIT 1"
        ).fetchone()
    assert row is not None
    left, right, cluster = row
    shown = orjson.loads(hermit(resolved, "resolve", "show", left, "--json").stdout)
    assert shown["entity"] == cluster and shown["algorithm"] == "hermit-resolve@6"
    assert all(k["probability"] >= shown["settings"]["link_probability"] for k in shown["links"])
    assert all(
        k["probability"] < shown["settings"]["link_probability"]
        or any(r["comparison"] == "negative evidence" for r in k["reasons"])
        for k in shown["possible"]
    )
    records = {r["record_id"]: r for r in shown["records"]}
    assert {left, right} <= set(records)
    assert records[right]["registry"] and records[right]["file"].endswith("sample.ftm.jsonl")
    assert records[right]["row"] >= 1
    link = next(k for k in shown["links"] if {k["left"], k["right"]} == {left, right})
    comparisons = {r["comparison"] for r in link["reasons"]}
    assert {"prior", "name", "ids", "date", "address", "country"} <= comparisons
    assert abs(sum(r["weight"] for r in link["reasons"]) - link["match_weight"]) < 0.01
    text = hermit(resolved, "resolve", "show", cluster).stdout
    assert f"entity {cluster}" in text and f"link {left} = {right}" in text
    assert "name:" in text and "ids:" in text


def test_bad_input_is_a_clear_error(resolved: Path, tmp_path: Path) -> None:
    proc = hermit(resolved, "resolve", "show", "no-such-record", check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "'no-such-record' is neither a resolved entity nor a record of run 1" in proc.stderr
    empty = tmp_path / "hermit.duckdb"
    proc = hermit(empty, "resolve", check=False)
    assert proc.returncode == 1 and "no registry loaded yet" in proc.stderr
    proc = hermit(empty, "resolve", "show", "x", check=False)
    assert proc.returncode == 1 and "no registry loaded yet" in proc.stderr
    csv_file = tmp_path / "ru.csv"
    with (REGISTRY / "ru_egrul_companies.csv").open(encoding="utf-8") as fh:
        csv_file.write_text("".join(next(fh) for _ in range(3)), encoding="utf-8")
    hermit(empty, "registry", "load", str(csv_file))
    proc = hermit(empty, "resolve", "show", "x", check=False)
    assert proc.returncode == 1 and "nothing resolved yet (hermit resolve)" in proc.stderr
    assert "resolve run 1" in hermit(empty, "resolve").stdout  # two records: no training fails


def test_different_valid_identifiers_never_share_an_entity(resolved: Path) -> None:
    """Negative evidence: no entity holds two different valid INNs, OGRNs or USCCs (the
    twins' name, address and date agree with their originals and their originals'
    other records: without it each twin joined its original's entity), and a link
    refused for it is kept as "possibly the same", saying why."""
    with RegistryStore(resolved.with_name("hermit.registry.duckdb"), read_only=True) as reg:
        held = reg.con.execute(
            "SELECT c.cluster_id, i.scheme, count(DISTINCT i.value) FROM resolve_clusters c "
            "JOIN registry_identifiers i ON i.record_id = c.record_id AND i.valid "
            "WHERE c.run_id = 1 AND i.scheme IN ('inn', 'ogrn', 'uscc') GROUP BY ALL "
            "HAVING count(DISTINCT i.value) > 1"
        ).fetchall()
        twins = reg.con.execute(
            "SELECT record_id, cluster_id FROM resolve_clusters WHERE run_id = 1 "
            "AND record_id LIKE 'ru-co-twin%'"
        ).fetchall()
    assert held == []
    assert len(twins) == TWINS
    refused = 0
    for twin, _ in twins:
        shown = orjson.loads(hermit(resolved, "resolve", "show", twin, "--json").stdout)
        for link in shown["possible"]:
            why = [r for r in link["reasons"] if r["comparison"] == "negative evidence"]
            if why:
                refused += 1
                assert why[0]["level"].startswith("different identifiers: "), why
                assert link["probability"] >= shown["settings"]["link_probability"]
    assert refused >= TWINS
