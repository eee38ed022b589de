"""The persisted screening index: built at a list load, used by a screen, equal to a
fresh build, and never served when stale or damaged (real lists, real commands)."""

from __future__ import annotations

import shutil
import struct
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from hermit.cli import app
from hermit.screening import fingerprint, persisted, store_facts
from hermit.screening.engine import Screener, list_versions
from hermit.screening.index_file import IndexFile, IndexFileError, ShardedDict, _bucket
from hermit.screening.persisted import (
    IndexKey,
    index_folder,
    index_path,
    load_index,
    save_index,
)
from hermit.screening.query import Query, make_query
from hermit.screening.result import Match
from hermit.screening.store_screener import StoreScreener
from hermit.store import Store

#: A fixed set of queries over every path of the index and the scorer: names in several
#: scripts and spellings, typos, initials, organizations, vessels by IMO, identifiers,
#: dates of birth, nationalities, and names on no list.
QUERIES: tuple[dict[str, str], ...] = (
    {"name": "Kim Yong Chol"},
    {"name": "Kim Young-Cheol", "birth_date": "1946"},
    {"name": "김영철"},
    {"name": "金英哲"},
    {"name": "Ким Чен Ын"},
    {"name": "Kim Jongun", "nationality": "kp"},
    {"name": "Ri Eun Song", "schema": "Person"},
    {"name": "Korea Rungrado General Trading Corp"},
    {"name": "Bank Havin Limited", "schema": "Organization"},
    {"name": "EVER BRIGT 88", "schema": "Vessel"},
    {"name": "Some Other Ship", "imo": "8910378"},
    {"name": "A. S. H. Al-Tikriti"},
    {"name": "Aburusdan"},
    {"name": "Anna Lind", "birth_date": "1970-05-04"},
    {"name": "Northern Atlantic Trading GmbH", "schema": "Company"},
)


def _queries() -> list[Query]:
    return [make_query(q).query for q in QUERIES]


def _results(screener: Screener) -> list[list[Match]]:
    return [screener.screen(q, limit=10) for q in _queries()]


@pytest.fixture(scope="module")
def fresh(lists_store: Path) -> list[list[Match]]:
    """The reference: every query screened by a Screener built afresh from the store."""
    with Store(lists_store, read_only=True) as store:
        return _results(Screener.from_store(store.con))


@pytest.fixture(scope="module")
def loaded_once(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory, shared_lists: Path
) -> Path:
    """A copy of the real store, then ``hermit lists load`` of the same files: nothing
    to load, and the index is built."""
    path = tmp_path_factory.mktemp("persisted") / "store.duckdb"
    shutil.copyfile(lists_store, path)
    files = [str(shared_lists / "un_consolidated.xml"), str(shared_lists / "ofac_sdn.csv")]
    result = CliRunner().invoke(app, ["--store", str(path), "lists", "load", *files])
    assert result.exit_code == 0, result.output
    assert "screening index built" in result.output
    return path


@pytest.fixture()
def loaded(loaded_once: Path, tmp_path: Path) -> Path:
    """A private copy of ``loaded_once``: the store and its index folder."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(loaded_once, path)
    shutil.copytree(index_folder(loaded_once), index_folder(path))
    return path


@pytest.fixture(scope="module")
def un_once(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store of the real UN list alone, loaded with ``hermit lists load`` (which builds
    the index): for the tests that make the index be rebuilt (quicker than both lists)."""
    path = tmp_path_factory.mktemp("persisted-un") / "store.duckdb"
    args = ["--store", str(path), "lists", "load", str(shared_lists / "un_consolidated.xml")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def un_fresh(un_once: Path) -> list[list[Match]]:
    with Store(un_once, read_only=True) as store:
        return _results(Screener.from_store(store.con))


@pytest.fixture()
def un_loaded(un_once: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(un_once, path)
    shutil.copytree(index_folder(un_once), index_folder(path))
    return path


def _key(store_path: Path) -> IndexKey:
    with Store(store_path, read_only=True) as store:
        return IndexKey.current(list_versions(store.con))


def _screen_json(store_path: Path, query: dict[str, str]) -> tuple[dict[str, object], str]:
    args = ["--store", str(store_path), "screen", query["name"], "--json", "--limit", "10"]
    options = {"birth_date": "--dob", "schema": "--schema", "nationality": "--nationality"}
    for field, option in options.items():
        if field in query:
            args += [option, query[field]]
    if "imo" in query:
        args += ["--imo", query["imo"]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout), result.stderr


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(persisted, "build_prepared", refuse)


def test_a_load_builds_the_index_and_a_screen_uses_it(
    loaded: Path, fresh: list[list[Match]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = index_path(loaded, _key(loaded))
    assert path.is_file()
    assert _index_files(loaded) == [path.name]
    _no_build(monkeypatch)
    with Store(loaded, read_only=True) as store:
        reference = Screener.from_store(store.con)
    for query, expected in zip(QUERIES, fresh, strict=True):
        data, stderr = _screen_json(loaded, query)
        assert "building" not in stderr
        matches = data["matches"]
        assert isinstance(matches, list)
        want = [
            {"entity_id": m.entity_id, "score": m.score, "explanation": m.explanation}
            for m in expected
        ]
        got = [
            {"entity_id": m["entity_id"], "score": m["score"], "explanation": m["explanation"]}
            for m in matches
        ]
        assert got == want, query
        assert data["run"] == reference.info.as_dict()


def test_lazy_and_whole_persisted_screeners_equal_a_fresh_build(
    loaded: Path, fresh: list[list[Match]], monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_build(monkeypatch)
    lazy = StoreScreener(loaded).build(lazy=True)
    assert isinstance(lazy.entities, ShardedDict)
    assert _results(lazy) == fresh  # the same matches, scores and contributions
    whole = StoreScreener(loaded).build()
    assert _results(whole) == fresh
    with Store(loaded, read_only=True) as store:
        built = Screener.from_store(store.con)
    # loaded whole, the prepared objects are the fresh build's, in the same order
    assert type(whole.entities) is dict
    assert list(whole.entities.items()) == list(built.entities.items())
    assert list(whole.index.state()) == list(built.index.state())
    for name, value in built.index.state().items():
        mine = whole.index.state()[name]
        assert type(mine) is type(value), name
        assert mine == value, name
        if isinstance(value, dict):
            assert list(mine) == list(value), name
    assert whole.index.entities is whole.entities
    for query in _queries():
        assert lazy.candidates(query) == built.candidates(query)


def _load_extra_list(store_path: Path, tmp_path: Path) -> None:
    """A new list version: a small FtM JSON list of one vessel, loaded without the index."""
    extra = tmp_path / "extra.ftm.json"
    entity = {
        "id": "extra-1",
        "schema": "Vessel",
        "properties": {"name": ["PERSISTED TEST CARRIER"], "imoNumber": ["IMO 9354521"]},
    }
    extra.write_bytes(orjson.dumps(entity) + b"\n")
    args = ["--store", str(store_path), "lists", "load", str(extra), "--dataset", "extra_test"]
    result = CliRunner().invoke(app, [*args, "--no-index"])
    assert result.exit_code == 0, result.output


def test_a_new_list_version_makes_a_new_index(un_loaded: Path, tmp_path: Path) -> None:
    old = index_path(un_loaded, _key(un_loaded))
    _load_extra_list(un_loaded, tmp_path)
    key = _key(un_loaded)
    assert index_path(un_loaded, key) != old
    data, stderr = _screen_json(un_loaded, {"name": "Persisted Test Carrier"})
    assert "building the screening index" in stderr
    assert "the lists or hermit changed" in stderr
    matches = data["matches"]
    assert isinstance(matches, list)
    assert matches[0]["entity_id"] == "extra-1"
    assert _index_files(un_loaded) == [index_path(un_loaded, key).name]
    _, stderr = _screen_json(un_loaded, {"name": "Persisted Test Carrier"})
    assert "building" not in stderr


def _index_files(store: Path) -> list[str]:
    """The persisted indexes beside the store (the store facts, written once the store
    has been quiet for a while, are not an index)."""
    return [p.name for p in index_folder(store).iterdir() if p.name != store_facts.NAME]


def _package_copy(tmp_path: Path) -> Path:
    root = fingerprint._package_root()
    copy = tmp_path / "hermit"
    for rel in (*fingerprint.CODE_DIRS, "resources"):
        if not (copy / rel).exists():
            shutil.copytree(root / rel, copy / rel, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_code_digest_covers_tables_and_code_not_samples_nor_other_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _package_copy(tmp_path)
    monkeypatch.setattr(fingerprint, "_package_root", lambda: copy)

    def digest() -> str:
        fingerprint._digest.cache_clear()  # once per process otherwise
        return fingerprint.code_digest()

    before = digest()
    assert before == digest()
    (copy / "resources" / "samples" / "names.csv").write_text("name\nchanged\n")
    assert digest() == before
    for other in ("compliance", "maritime", "registry", "resolve"):  # other jobs' tables
        (copy / "resources" / other).mkdir(exist_ok=True)
        (copy / "resources" / other / "added.yaml").write_text("a: 1\n")
    (copy / "resources" / "list_inputs.yaml").write_text("# changed\n")
    assert digest() == before
    surnames = copy / "resources" / "names" / "surnames.yaml"
    surnames.write_text(surnames.read_text() + "\n# a reviewed change\n")
    changed = digest()
    assert changed != before
    listed = copy / "screening" / "listed.py"
    listed.write_text(listed.read_text() + "\n")
    assert digest() != changed


def test_a_changed_table_rebuilds_the_index(
    un_loaded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, un_fresh: list[list[Match]]
) -> None:
    old = index_path(un_loaded, _key(un_loaded))
    copy = _package_copy(tmp_path)
    variants = copy / "resources" / "names" / "latin_variants.yaml"
    variants.write_text(variants.read_text() + "\n# reviewed again\n")
    monkeypatch.setattr(fingerprint, "_package_root", lambda: copy)
    notes: list[str] = []
    screener = StoreScreener(un_loaded).build(lazy=True, notify=notes.append)
    assert notes and "the lists or hermit changed" in notes[0]
    assert not old.exists()
    assert index_path(un_loaded, _key(un_loaded)).is_file()
    assert _results(screener) == un_fresh


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _body_start(path: Path) -> int:
    (length,) = struct.unpack_from("<Q", path.read_bytes(), 8)
    return int(16 + length + 32)


def _in_part(path: Path, name: str) -> int:
    """An offset in the middle of an unsharded part."""
    meta = IndexFile(path).header["sections"][name]
    return _body_start(path) + int(meta["offset"]) + int(meta["length"]) // 2


def _in_shard_of(path: Path, entity_id: str) -> int:
    """An offset in the middle of the entities' shard that holds ``entity_id``."""
    meta = IndexFile(path).header["sections"]["entities"]
    count, start = int(meta["shards"]), _body_start(path)
    bounds = struct.unpack_from(f"<{count + 1}Q", path.read_bytes(), start + int(meta["offset"]))
    i = _bucket(entity_id, count)
    return start + (bounds[i] + bounds[i + 1]) // 2


DAMAGES: dict[str, Callable[[Path], None]] = {
    "header": lambda p: _flip(p, 40),
    "an unsharded part": lambda p: _flip(p, _in_part(p, "index")),
    "the shard the query reads": lambda p: _flip(p, _in_shard_of(p, "unsc-kpi-024")),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]),
    "empty": lambda p: p.write_bytes(b""),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_index_is_rebuilt_with_a_warning_never_served(
    un_loaded: Path, un_fresh: list[list[Match]], damage: str
) -> None:
    path = index_path(un_loaded, _key(un_loaded))
    DAMAGES[damage](path)
    with pytest.raises(IndexFileError):
        IndexFile(path).verify()
    data, stderr = _screen_json(un_loaded, QUERIES[0])
    assert "warning: the screening index cannot be used" in stderr
    assert "rebuilding" in stderr
    matches = data["matches"]
    assert isinstance(matches, list)
    assert [m["entity_id"] for m in matches] == [m.entity_id for m in un_fresh[0]]
    assert [m["score"] for m in matches] == [m.score for m in un_fresh[0]]
    IndexFile(path).verify()  # replaced by a good one
    _, stderr = _screen_json(un_loaded, QUERIES[0])
    assert stderr == ""


def test_a_whole_load_checks_every_part(un_loaded: Path, un_fresh: list[list[Match]]) -> None:
    """A bulk run or a service reads the index whole: damage anywhere is found."""
    path = index_path(un_loaded, _key(un_loaded))
    data = path.read_bytes()
    _flip(path, len(data) - 100)  # deep in the last part, which no screen may touch
    notes: list[str] = []
    screener = StoreScreener(un_loaded).build(notify=notes.append)
    assert len(notes) == 1 and "damaged" in notes[0] and "rebuilding" in notes[0]
    assert _results(screener) == un_fresh
    IndexFile(path).verify()


def test_an_index_of_other_lists_under_this_name_is_not_served(un_loaded: Path) -> None:
    key = _key(un_loaded)
    path = index_path(un_loaded, key)
    other = IndexKey((), key.algorithms, key.code)
    with pytest.raises(IndexFileError, match="built for other lists"):
        load_index(path, other, lazy=False)
    whole = StoreScreener(un_loaded).build()
    assert isinstance(whole.entities, dict)
    save_index(path, other, whole.entities, whole.index)  # the wrong key, the right name
    notes: list[str] = []
    StoreScreener(un_loaded).build(notify=notes.append)
    assert len(notes) == 1 and "built for other lists" in notes[0]
    load_index(path, key, lazy=True)  # rebuilt for its own key


def test_a_second_load_of_the_same_files_keeps_the_index(loaded: Path, shared_lists: Path) -> None:
    path = index_path(loaded, _key(loaded))
    stamp = path.stat().st_mtime_ns
    files = [str(shared_lists / "un_consolidated.xml")]
    result = CliRunner().invoke(app, ["--store", str(loaded), "lists", "load", *files])
    assert result.exit_code == 0, result.output
    assert "screening index built" not in result.output
    assert path.stat().st_mtime_ns == stamp
