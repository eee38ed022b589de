"""Both real lists in one store: relations resolve, export and reload give the same."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from hermit.sources.detect import read_list_files
from hermit.sources.ftm_json import parse_ftm_jsonl, write_ftm_jsonl
from hermit.store import Store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("real") / "store.duckdb"
    files = [shared_lists / "un_consolidated.xml", shared_lists / "ofac_sdn.csv"]
    with Store(path) as opened:
        for snapshot in read_list_files(files):
            opened.load(snapshot)
        yield opened


def test_linked_to_relations_resolve_in_the_store(store: Store) -> None:
    rows = store.con.execute(
        """
        SELECT l.source_id, l.target_id, t.entity_id IS NOT NULL
        FROM relations l
        JOIN relations s ON s.source_id = l.source_id AND s.prop = 'subject'
        JOIN current_statements p ON p.entity_id = s.target_id AND p.prop = 'program'
             AND p.value LIKE 'DPRK%'
        LEFT JOIN current_entities t ON t.entity_id = l.target_id
        WHERE l.source_schema = 'UnknownLink' AND l.prop = 'object'
        """
    ).fetchall()
    assert len({r[0] for r in rows}) == 132
    assert all(r[2] for r in rows)


def test_views(store: Store) -> None:
    names = store.con.execute(
        "SELECT kind, name FROM names WHERE entity_id = 'unsc-kpi-024' ORDER BY kind, name"
    ).fetchall()
    assert ("name", "KIM YONG CHOL") in names and ("alias", "Kim Young-Cheol") in names
    imo = store.con.execute(
        "SELECT identifier FROM identifiers WHERE entity_id = 'ofac-19570' AND kind = 'imoNumber'"
    ).fetchall()
    assert imo == [("8914934",)]


def test_stats(store: Store) -> None:
    stats = store.stats()
    assert ("un_sc_sanctions", "Person", 730) in stats.by_schema
    assert ("us_ofac_sdn", "Vessel", 406) in stats.by_schema
    assert ("un_sc_sanctions", "DPRK", 155) in stats.by_program
    assert {v.dataset for v in stats.versions} == {"un_sc_sanctions", "us_ofac_sdn"}


def test_round_trip_through_ftm(store: Store, tmp_path: Path) -> None:
    buf = io.BytesIO()
    count = write_ftm_jsonl(store.entities(), buf)
    path = tmp_path / "export.ftm.json"
    path.write_bytes(buf.getvalue())
    snapshots = parse_ftm_jsonl(path)
    assert {s.dataset for s in snapshots} == {"un_sc_sanctions", "us_ofac_sdn"}
    with Store(tmp_path / "copy.duckdb") as copy:
        for snapshot in snapshots:
            copy.load(snapshot)
        back = {(e.dataset, e.id): e for e in copy.entities()}
    original = {(e.dataset, e.id): e for e in store.entities()}
    assert len(back) == len(original) == count
    for key, entity in original.items():
        other = back[key]
        assert other.schema == entity.schema
        assert sorted(other.values, key=repr) == sorted(entity.values, key=repr)
        assert other.provenance == entity.provenance
