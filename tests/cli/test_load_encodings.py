"""A UTF-8 byte-order mark and UTF-16 (LE and BE, with a mark) are read alike in every
format through ``hermit lists load``: slices of the real UN XML, EU XML, OFAC CSV set,
UK CSV, EU annex CSV and FtM JSON lines, re-encoded, give exactly the entities of the
files as published; UTF-16 without a mark, or cut in the middle of a character, is
refused with a message that names the encoding. Before, a UTF-8 mark was refused in the
OFAC CSV ("byte 0xef is not ASCII") and UTF-16 was "a binary file" everywhere."""

from __future__ import annotations

import codecs
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.list_slices import write_slices

ENCODINGS = {
    "utf-8-bom": (codecs.BOM_UTF8, "utf-8"),
    "utf-16-le": (codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-16-be": (codecs.BOM_UTF16_BE, "utf-16-be"),
}


def _text(data: bytes) -> str:
    """The slice's text: UTF-8, or Windows-1252 (the older OFSI CSV)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _reencode(slices: dict[str, Path], folder: Path, bom: bytes, codec: str) -> list[Path]:
    """Every slice file (OFAC's companions too) re-encoded under ``folder``."""
    for path in {p for s in slices.values() for p in s.parent.iterdir()}:
        target = folder / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        target.write_bytes(bom + _text(data).encode(codec) if data else b"")
    return [folder / p.parent.name / p.name for p in slices.values()]


def _entities(store: Path) -> list[dict[str, object]]:
    rows = [orjson.loads(x) for x in hermit(store, "export").stdout.splitlines() if x[:1] == "{"]
    for row in rows:
        row["hermit"]["provenance"].pop("file")
        row["hermit"]["provenance"].pop("list_version", None)
    return sorted(rows, key=lambda r: str(r["id"]))


@pytest.fixture(scope="module")
def slices(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> dict[str, Path]:
    return write_slices(shared_lists, tmp_path_factory.mktemp("slices"))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, slices: dict[str, Path]) -> list[object]:
    """The entities of the slices as they are."""
    store = tmp_path_factory.mktemp("plain") / "store.duckdb"
    hermit(store, "lists", "load", "--no-index", *map(str, slices.values()))
    found = _entities(store)
    assert {r["datasets"][0] for r in found} == {  # type: ignore[index]
        "un_sc_sanctions", "eu_fsf", "us_ofac_sdn", "gb_hmt_sanctions", "eu_dprk_annexes",
        "hermit_ftm_slice",
    }  # fmt: skip
    return found  # type: ignore[return-value]


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_every_format_re_encoded_gives_the_same_entities(
    encoding: str, slices: dict[str, Path], published: list[object], tmp_path: Path
) -> None:
    bom, codec = ENCODINGS[encoding]
    files = _reencode(slices, tmp_path / encoding, bom, codec)
    store = tmp_path / "store.duckdb"
    proc = hermit(store, "lists", "load", "--no-index", *map(str, files))
    assert proc.stdout.count("loaded ") == 6, proc.stdout
    assert _entities(store) == published


def test_utf16_without_a_mark_or_cut_is_refused_naming_the_encoding(
    slices: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store.duckdb"
    for name, path in slices.items():
        labels = ["UTF-16 LE", "UTF-16 BE"] if name == "ofac" else ["UTF-16 LE"]
        for label in labels:
            data = _text(path.read_bytes()).encode(label.lower().replace(" ", "-"))
            bad = tmp_path / name / label.replace(" ", "_") / path.name
            bad.parent.mkdir(parents=True)
            bad.write_bytes(data)
            proc = hermit(store, "lists", "load", "--no-index", str(bad), check=False)
            assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
            message = " ".join(proc.stderr.split())
            assert f"looks like {label} without a byte-order mark" in message, message
        if name != "un":
            continue
        cut = tmp_path / "cut" / path.name
        cut.parent.mkdir()
        cut.write_bytes(codecs.BOM_UTF16_LE + _text(path.read_bytes()).encode("utf-16-le")[:-1])
        proc = hermit(store, "lists", "load", "--no-index", str(cut), check=False)
        message = " ".join(proc.stderr.split())
        assert proc.returncode == 1 and "is not valid UTF-16 LE" in message, message
