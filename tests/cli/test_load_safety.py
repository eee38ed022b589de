"""A load never removes data the source did not remove (issue 11 §1), through the real
``hermit lists load``: a truncated OFAC file is refused, missing companions are a
choice the user makes, a version that would remove much is refused unless confirmed,
and several files load all or nothing. After every refusal the store is unchanged."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import SAMPLES, hermit

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
    old = shared_lists / "ofac_sdn_2019-01-15.csv"
    refused = hermit(store, "lists", "load", str(old), check=False)
    assert refused.returncode == 1 and "no end mark" in refused.stderr
    assert not store.exists() or "us_ofac_sdn" not in _state(store)[0]
    hermit(store, "lists", "load", str(old), "--no-end-mark")
    assert "us_ofac_sdn" in _state(store)[0]


def test_the_bundled_samples_and_the_real_comments_file_need_no_flag(
    tmp_path: Path, shared_lists: Path
) -> None:
    """sdn_comments.csv has no end mark (OFAC publishes it without): it is not asked for."""
    store = tmp_path / "store.duckdb"
    hermit(store, "lists", "load", str(SAMPLES / "sdn.csv"))
    hermit(store, "lists", "load", str(_ofac_copy(shared_lists, tmp_path / "set")))
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
