"""A load never removes data the source did not remove (issue 11 §1), through the real
``hermit lists load``: a truncated OFAC file is refused, missing companions are a
choice the user makes, a version that would remove much is refused unless confirmed,
and several files load all or nothing. After every refusal the store is unchanged."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from hermit.store import Store
from tests.cli.helpers import SAMPLES, hermit
from tests.list_slices import head_rows

OFAC_SET = ("ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv", "ofac_sdn_comments.csv")


def _state(store: Path) -> tuple[str, str]:
    """What a user sees of the store: ``lists status`` and ``lists history``."""
    return hermit(store, "lists", "status").stdout, hermit(store, "lists", "history").stdout


def _ofac_copy(shared_lists: Path, folder: Path) -> Path:
    """The real OFAC set copied into ``folder``; returns its sdn.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in OFAC_SET:
        shutil.copyfile(shared_lists / name, folder / name)
    return folder / "ofac_sdn.csv"


@pytest.fixture(scope="module")
def ofac_store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    """A store holding the real OFAC set (loaded once; copy it with ``_copy``)."""
    folder = tmp_path_factory.mktemp("ofac_store")
    store = folder / "store.duckdb"
    hermit(store, "lists", "load", str(_ofac_copy(shared_lists, folder / "set")), "--no-index")
    return store


def _copy(store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.duckdb"
    shutil.copyfile(store, copy)
    return copy


def _drop_lines(path: Path, keep: Callable[[int, bytes], bool]) -> int:
    """Rewrite ``path`` keeping the lines ``keep(number, line)`` says (the end mark
    always); returns how many were dropped."""
    lines = path.read_bytes().splitlines(keepends=True)
    kept = [line for n, line in enumerate(lines) if line.startswith(b"\x1a") or keep(n, line)]
    path.write_bytes(b"".join(kept))
    return len(lines) - len(kept)


def _cut(path: Path, share: float) -> int:
    """Cut ``path`` at the line end nearest ``share`` of its length; lines kept."""
    data = path.read_bytes()
    end = data.index(b"\n", int(len(data) * share)) + 1
    path.write_bytes(data[:end])
    return data[:end].count(b"\n")


# --- the end mark -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ofac_sdn.csv", "ofac_alt.csv", "ofac_add.csv"])
def test_a_truncated_ofac_file_is_refused(tmp_path: Path, shared_lists: Path, name: str) -> None:
    store = tmp_path / "store.duckdb"
    hermit(store, "lists", "load", str(SAMPLES / "un_consolidated_sample.xml"))
    before = _state(store)
    sdn = _ofac_copy(shared_lists, tmp_path / "cut")
    kept = _cut(sdn.with_name(name), 0.6)
    proc = hermit(store, "lists", "load", str(sdn), check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert str(sdn.with_name(name)) in message
    assert "looks truncated" in message and "no end mark" in message
    assert f"{kept:,} rows read" in message
    assert "--no-end-mark" in message
    assert _state(store) == before


def test_a_file_published_without_the_mark_loads_when_told(
    tmp_path: Path, shared_lists: Path
) -> None:
    store = tmp_path / "store.duckdb"
    # the 2019 file's first 40 records: a real slice, published without the mark
    old = tmp_path / "ofac_sdn_2019-01-15.csv"
    head_rows(shared_lists / old.name, old, 40)
    assert not old.read_bytes().rstrip().endswith(b"\x1a")
    refused = hermit(store, "lists", "load", str(old), "--companions", "none", check=False)
    assert refused.returncode == 1 and "no end mark" in refused.stderr
    assert not store.exists() or "us_ofac_sdn" not in _state(store)[0]
    hermit(store, "lists", "load", str(old), "--no-end-mark", "--companions", "none")
    assert "us_ofac_sdn" in _state(store)[0]


def test_the_bundled_samples_and_the_real_comments_file_need_no_flag(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    """sdn_comments.csv has no end mark (OFAC publishes it without): it is not asked for.
    The real set was loaded without the flag into ``ofac_store`` (the module's store)."""
    store = tmp_path / "store.duckdb"
    hermit(store, "lists", "load", str(SAMPLES / "sdn.csv"))
    assert "us_ofac_sdn" in _state(store)[0]
    assert "us_ofac_sdn" in _state(ofac_store)[0]
    assert not (shared_lists / "ofac_sdn_comments.csv").read_bytes().rstrip().endswith(b"\x1a")


# --- the plausibility guard ---------------------------------------------------------


def test_a_version_that_removes_a_fifth_of_the_entries_is_refused(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    before = _state(store)
    sdn = _ofac_copy(shared_lists, tmp_path / "new")
    dropped = _drop_lines(sdn, lambda n, _line: n % 5 != 0)  # one entry in five gone
    assert dropped > 1500
    proc = hermit(store, "lists", "load", str(sdn), check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert str(sdn) in message and "refused" in message and "Traceback" not in message
    assert "would remove" in message and "entities (" in message and "names (" in message
    assert "--allow-large-change" in message
    # examples of what would go: listed parties dropped, by name and id
    named = re.findall(r"\((?:Person|Organization|Vessel|Airplane) ofac-(\d+)\)", message)
    kept = {line.split(b",")[0].decode() for line in sdn.read_bytes().splitlines()}
    assert len(named) == 5 and not kept & set(named)
    assert _state(store) == before

    hermit(store, "lists", "load", str(sdn), "--allow-large-change", "--no-index")
    history = hermit(store, "lists", "history").stdout
    assert _state(store) != before and " 2 " in history


def test_a_version_that_drops_half_the_aliases_is_refused(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    before = _state(store)
    sdn = _ofac_copy(shared_lists, tmp_path / "new")
    _drop_lines(sdn.with_name("ofac_alt.csv"), lambda n, _line: n % 2 != 0)  # half
    proc = hermit(store, "lists", "load", str(sdn), check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert "names (" in message and "entities (" not in message, message
    assert _state(store) == before


def test_a_small_removal_loads_without_asking(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    sdn = _ofac_copy(shared_lists, tmp_path / "new")
    assert _drop_lines(sdn, lambda n, _line: n >= 5) == 5  # five entries delisted
    out = hermit(store, "lists", "load", str(sdn), "--no-index").stdout
    assert "loaded us_ofac_sdn v2" in out


# --- the companion files ------------------------------------------------------------


def _gudzon(store: Path) -> list[dict[str, object]]:
    """The hits of "SK Gudzon": an alias (alt.csv) of GUDZON SHIPPING CO LLC, ofac-24451."""
    out = hermit(store, "screen", "SK Gudzon", "--json").stdout
    return [h for h in orjson.loads(out)["matches"] if h["entity_id"] == "ofac-24451"]


def test_sdn_without_its_companions_is_refused_naming_what_would_go(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    before = _state(store)
    newer = shared_lists / "ofac_sdn_2024-05-02.csv"
    proc = hermit(store, "lists", "load", str(newer), check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert str(newer) in message and "Traceback" not in message
    for name in ("ofac_alt_2024-05-02.csv", "ofac_add_2024-05-02.csv"):
        assert name in message  # the files it looked for
    assert "11,908 aliases from ofac_alt.csv" in message
    assert "11,440 addresses from ofac_add.csv" in message
    assert "remarks continued in ofac_sdn_comments.csv" in message
    assert "--companions none" in message and "--companions keep-previous" in message
    assert _state(store) == before


def test_keep_previous_keeps_the_aliases_and_records_where_they_came_from(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    newer = shared_lists / "ofac_sdn_2024-05-02.csv"
    out = hermit(store, "lists", "load", str(newer), "--companions", "keep-previous").stdout
    assert "loaded us_ofac_sdn v2" in out and "kept from the previous version" in out
    (hit,) = _gudzon(store)
    assert hit["is_match"] is True
    with Store(store, read_only=True) as opened:
        files = opened.versions("us_ofac_sdn")[-1].files
    parts = {f["part"]: (Path(f["path"]).name, f.get("kept_from")) for f in files}
    assert parts == {
        "sdn": ("ofac_sdn_2024-05-02.csv", None),
        "alt": ("ofac_alt.csv", 1),
        "add": ("ofac_add.csv", 1),
        "comments": ("ofac_sdn_comments.csv", 1),
    }


def test_companions_none_is_a_choice_the_guard_still_checks(
    tmp_path: Path, shared_lists: Path, ofac_store: Path
) -> None:
    store = _copy(ofac_store, tmp_path)
    before = _state(store)
    newer = str(shared_lists / "ofac_sdn_2024-05-02.csv")
    proc = hermit(store, "lists", "load", newer, "--companions", "none", check=False)
    assert proc.returncode == 1 and "names (" in proc.stderr and "addresses (" in proc.stderr
    assert _state(store) == before
    hermit(store, "lists", "load", newer, "--companions", "none", "--allow-large-change")
    assert _gudzon(store) == []  # the alias is gone, as the user chose


def test_a_broken_link_to_a_companion_is_refused(tmp_path: Path, shared_lists: Path) -> None:
    store = tmp_path / "store.duckdb"
    sdn = _ofac_copy(shared_lists, tmp_path / "set")
    sdn.with_name("ofac_add.csv").unlink()
    sdn.with_name("ofac_add.csv").symlink_to(tmp_path / "gone" / "ofac_add.csv")
    proc = hermit(store, "lists", "load", str(sdn), check=False)
    assert proc.returncode == 1
    message = " ".join(proc.stderr.split())
    assert f"{sdn.with_name('ofac_add.csv')} (a broken link)" in message
    assert "no addresses" in message and "ofac_alt.csv" not in message
    assert not store.exists() or "us_ofac_sdn" not in _state(store)[0]


# --- several files: all or nothing ---------------------------------------------------


def _ftm(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def _person(n: int, dataset: str, *, record: str | None = None) -> dict[str, object]:
    row: dict[str, object] = {
        "id": f"{dataset}-{n}",
        "schema": "Person",
        "datasets": [dataset],
        "properties": {"name": [f"TEST PERSON {n}"]},
    }
    if record is not None:  # as hermit exports it: the record's own file and line
        prov = {"dataset": dataset, "record_id": record, "file": "elsewhere.csv", "line": n}
        row["hermit"] = {"provenance": prov}
    return row


def test_a_duplicate_id_in_a_later_file_stores_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    hermit(store, "lists", "load", str(SAMPLES / "sdn.csv"), "--no-index")
    before = _state(store)
    twice = _ftm(
        tmp_path / "twice.ftm.json",
        [
            _person(1, "test_twice", record="r1"),
            _person(2, "test_twice", record="r2"),
            {**_person(1, "test_twice", record="r3"), "properties": {"name": ["OTHER"]}},
        ],
    )
    un = SAMPLES / "un_consolidated_sample.xml"
    proc = hermit(store, "lists", "load", str(un), str(twice), check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    message = " ".join(proc.stderr.split())
    assert str(twice) in message  # the file read, not only the one its records name
    assert "test_twice-1" in message and "lines 1 and 3" in message  # both records
    assert _state(store) == before  # the UN list, read first, was not stored either


def test_a_refused_later_list_leaves_the_earlier_ones_unstored(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    people = [_person(n, "test_guard") for n in range(20)]
    hermit(store, "lists", "load", str(_ftm(tmp_path / "v1.ftm.json", people)), "--no-index")
    before = _state(store)
    smaller = _ftm(tmp_path / "v2.ftm.json", people[:8])
    sdn = SAMPLES / "sdn.csv"
    proc = hermit(store, "lists", "load", str(sdn), str(smaller), "--no-index", check=False)
    assert proc.returncode == 1 and "12 of its 20 entities" in proc.stderr
    assert _state(store) == before  # the OFAC sample, first in line, is not stored
    hermit(store, "lists", "load", str(sdn), str(smaller), "--no-index", "--allow-large-change")
    assert "us_ofac_sdn" in _state(store)[0]
