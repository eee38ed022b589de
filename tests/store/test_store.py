"""The store on small synthetic lists: versions, idempotent loads, diffs, read-back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hermit.errors import StoreError
from hermit.model import Entity, Provenance
from hermit.sources.snapshot import ListSnapshot, SourceFile
from hermit.store import Store


def _snapshot(tmp_path: Path, tag: str, people: dict[str, list[tuple[str, str]]]) -> ListSnapshot:
    source = tmp_path / f"list-{tag}.txt"
    source.write_text(tag)
    entities = []
    for line, (pid, values) in enumerate(sorted(people.items()), start=1):
        entity = Entity(pid, "Person", Provenance("test_list", pid, str(source), line))
        for prop, value in values:
            entity.add(prop, value)
        entities.append(entity)
    return ListSnapshot(
        dataset="test_list",
        title="Test list",
        parser="test@1",
        files=[SourceFile.of(source)],
        published=datetime(2020, 1, int(tag[-1]), tzinfo=UTC),
        entities=entities,
    )


V1 = {
    "p-1": [("name", "KIM Yong Chol"), ("birthDate", "1962-02-18"), ("nationality", "kp")],
    "p-2": [("name", "RI Su Yong"), ("alias", "Ri Su-yong")],
    "p-3": [("name", "PAK Chol Su")],
}
V2 = {
    "p-1": [
        ("name", "KIM Yong Chol"),
        ("birthDate", "1962-02-18"),
        ("nationality", "kp"),
        ("alias", "Kim Young-Cheol"),
    ],
    "p-2": [("name", "RI Su Yong")],
    "p-4": [("name", "CHOE Chun Sik")],
}


def test_versions_counts_and_idempotence(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        first = store.load(_snapshot(tmp_path, "v1", V1))
        assert not first.unchanged
        assert (first.version.seq, first.version.added, first.version.entity_count) == (1, 3, 3)
        again = store.load(_snapshot(tmp_path, "v1", V1))
        assert again.unchanged and again.version.seq == 1
        assert len(store.versions()) == 1
        second = store.load(_snapshot(tmp_path, "v2", V2))
        v = second.version
        assert (v.seq, v.added, v.removed, v.changed) == (2, 1, 1, 2)
        assert v.published == datetime(2020, 1, 2, tzinfo=UTC)


def test_diff_names_each_change(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.load(_snapshot(tmp_path, "v1", V1))
        store.load(_snapshot(tmp_path, "v2", V2))
        older, newer, changes = store.diff("test_list")
    assert older is not None and (older.seq, newer.seq) == (1, 2)
    by_id = {c.entity_id: c for c in changes}
    assert set(by_id) == {"p-1", "p-2", "p-3", "p-4"}
    assert by_id["p-1"].change == "changed"
    assert by_id["p-1"].added == {"alias": ["Kim Young-Cheol"]} and by_id["p-1"].removed == {}
    assert by_id["p-2"].removed == {"alias": ["Ri Su-yong"]}
    assert by_id["p-3"].change == "removed" and by_id["p-3"].removed == {"name": ["PAK Chol Su"]}
    assert by_id["p-4"].change == "added"


def test_diff_across_several_versions_and_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.load(_snapshot(tmp_path, "v1", V1))
        store.load(_snapshot(tmp_path, "v2", V2))
        store.load(_snapshot(tmp_path, "v3", V1))  # back to the first content
        _, _, net = store.diff("test_list", 1, 3)
        _, _, everything = store.diff("test_list", 0, 1)
        with pytest.raises(StoreError, match="no version 9"):
            store.diff("test_list", 1, 9)
        with pytest.raises(StoreError, match="not older"):
            store.diff("test_list", 3, 2)
    assert net == []  # v3 has exactly v1's content
    assert {c.change for c in everything} == {"added"} and len(everything) == 3


def test_entity_read_back_with_provenance_and_history(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.load(_snapshot(tmp_path, "v1", V1))
        store.load(_snapshot(tmp_path, "v2", V2))
        stored = store.entity("p-1")
        missing = store.entity("p-3")
        exported = {e.id: e for e in store.entities()}
    assert missing is None
    assert stored is not None
    assert stored.entity.get("alias") == ["Kim Young-Cheol"]
    assert stored.entity.provenance.file.endswith("list-v2.txt")
    assert (stored.first_seen.seq, stored.last_changed.seq) == (1, 2)
    assert set(exported) == {"p-1", "p-2", "p-4"}
    assert exported["p-1"].props() == stored.entity.props()


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store here yet"):
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.duckdb"
    bogus.write_text("this is not a database")
    with pytest.raises(StoreError, match=str(bogus)):
        Store(bogus)


def test_duplicate_entity_ids_refused_and_store_unchanged(tmp_path: Path) -> None:
    snap = _snapshot(tmp_path, "v1", V1)
    snap.entities.append(snap.entities[0])
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.raises(StoreError, match="occurs twice"):
            store.load(snap)
        assert store.versions() == []
