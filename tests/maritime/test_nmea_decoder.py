"""hermit-nmea@2 (hermit's own decoder) against hermit-nmea@1 (pyais 3.3.1 underneath) on
every sentence of the real NMEA samples and on generated broken ones: the same positions,
field by field, the same counts in the same order and the same problems; and the AIS store
after a load the same whichever decoder read the files."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from hermit.maritime import nmea, nmea_pyais
from hermit.maritime.nmea_payload import layouts
from hermit.maritime.store import AisStore
from tests.conftest import shared_data_dir

COLUMNS = ("row", "mmsi", "ts", "lat", "lon", "sog", "cog", "heading",
           "vessel_name", "imo", "call_sign", "vessel_type")  # fmt: skip
ARMOUR = b"0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


def real_samples() -> list[Path]:
    data = shared_data_dir()
    return [
        data / "ais" / "pyais_nmea_data_sample.txt",
        data / "ais" / "tokyo_bay_ais_2018-05-11_raw.nmea",
        data / "ais_nwpacific" / "nmea" / "peter_the_great_gulf_2018-01-10_2018-01-11.nmea",
    ]


def assert_same(lines: list[bytes]) -> nmea.Decoded:
    """Both decoders on the lines: every kept field, count and problem equal."""
    ref = nmea_pyais.decode_lines(lines)
    got = nmea.decode_lines(lines)
    assert list(got.counts.items()) == list(ref.counts.items())  # order too: stored as JSON
    assert got.problems == ref.problems
    rows = got.positions.to_pylist()
    assert len(rows) == len(ref.positions)
    for want, have in zip(ref.positions, rows, strict=True):
        assert {c: want.get(c) for c in COLUMNS} == have, want["row"]
    return got


@pytest.mark.parametrize("path", real_samples(), ids=lambda p: p.name)
def test_real_samples_equal_pyais(path: Path) -> None:
    got = assert_same(path.read_bytes().splitlines())
    assert got.counts["messages"] > 700
    assert got.positions.num_rows == got.counts["positions"]


def _sentence(body: bytes, tag: bytes | None = None) -> bytes:
    checksum = 0
    for c in body:
        checksum ^= c
    line = b"!" + body + b"*" + f"{checksum:02X}".encode()
    if tag is not None:
        t = 0
        for c in tag:
            t ^= c
        line = b"\\" + tag + b"*" + f"{t:02X}".encode() + b"\\" + line
    return line


def _payload(rng: random.Random) -> bytes:
    kind = rng.choice([1, 2, 3, 5, 18, 19, 24, 27, 0, 4, 28, 29, 40, 63])
    size = rng.choice([3, 5, 7, 9, 14, 16, 27, 28, 29, 33, 40, 45, 46, 50, 71])
    if kind in nmea.POSITION_TYPES or kind == 0:  # pyais gives a short one no latitude,
        size = max(size, 16)  # and hermit-nmea@1 fails on it (see test_short_payloads)
    chars = bytes([ARMOUR[kind]]) + bytes(rng.choice(ARMOUR) for _ in range(size - 1))
    if rng.random() < 0.05:  # a character outside the armour alphabet
        at = rng.randrange(1, len(chars))  # the type character kept
        chars = chars[:at] + bytes([rng.choice(b"xyz|~XYZ[]^_ ")]) + chars[at + 1 :]
    return chars


def _generated(seed: int, n: int) -> list[bytes]:
    """Sentences as receivers and corruption make them: singles and fragments (in and out
    of order, missing, repeated), short payloads, fill bits, unknown types, bad checksums,
    tag blocks and prefixes of every sort, other sentences, junk."""
    rng = random.Random(seed)
    out: list[bytes] = []
    t = 1_515_542_400
    for _ in range(n):
        t += rng.randrange(0, 5)
        chan = rng.choice([b"A", b"B", b"", b"1"])
        r = rng.random()
        tag = rng.choice([None, f"s:R{rng.randrange(3)},c:{t}".encode(), f"c:{t}000".encode(),
                          b"s:X", f"s:c:1,c:{t}".encode(), f"c:{t}x".encode(),
                          f"g:1-2-3,c:{t},s:Q".encode()])  # fmt: skip
        prefix = rng.random() < 0.2
        if r < 0.6:
            p = _payload(rng)
            fill = rng.choice([0, 0, 0, 2, 4, 5])
            line = _sentence(b"AIVDM,1,1,," + chan + b"," + p + f",{fill}".encode(), tag)
            out.append(line)
        elif r < 0.85:
            cnt = rng.choice([2, 2, 3])
            seq = str(rng.randrange(10)).encode()
            parts = [
                _sentence(
                    f"AIVDM,{cnt},{k},".encode()
                    + seq
                    + b","
                    + chan
                    + b","
                    + _payload(rng)
                    + f",{rng.choice([0, 2])}".encode(),
                    tag,
                )
                for k in range(1, cnt + 1)
            ]
            if rng.random() < 0.1:
                parts.pop(rng.randrange(len(parts)))
            if rng.random() < 0.1:
                rng.shuffle(parts)
            if rng.random() < 0.05:
                parts.append(parts[-1])
            out.extend(parts)
        elif r < 0.9:
            line = _sentence(b"AIVDM,1,1,," + chan + b"," + _payload(rng) + b",0", tag)
            out.append(line[:-2] + b"00" if line[-2:] != b"00" else line[:-2] + b"11")
        else:
            out.append(rng.choice([
                b"$GPGGA,120939.000,0000.0000,N,00000.0000,E,0,00,0.0,0.0,M,,,,0000*0E",
                b"garbage", b"", b"   ", b"!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0",
                b"!AIVDM,1,2,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*00", b"!AIVDM,x,1,,A,1,0*00",
                _sentence(b"AIVDM,1,1,,A,,0"),
                _sentence(b"aivdm,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"),
                _sentence(b"AIVDM,1,1,12,A,15M67FC000G?ufbE`FepT@3n00Sa,0"),
                _sentence(b"AIVDM,1,1,,AB,15M67FC000G?ufbE`FepT@3n00Sa,0"),
                _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,7"),
                _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0,extra"),
                _sentence(b"AIVDM,1,1,,A," + b"1" * 201 + b",0"),
                _sentence(b"AIVDM,0,1,,A,15M67FC0,0"), "!AIVDM,1,1,,A,1é,0*00".encode(),
                b"\\s:x*00\\ " + _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0"),
                _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0") + b" ",
                b"$" + _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0")[1:],
                b"$GPVDO", b"$GPRMC,1", b"$", b"$GPGGA \\x", "$GPGGA,é".encode(),
            ]))  # fmt: skip
        if prefix:
            out[-1] = (
                f"[2018-01-10 0{rng.randrange(10)}:00:0{rng.randrange(10)}] ".encode() + out[-1]
            )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_sentences_equal_pyais(seed: int) -> None:
    got = assert_same(_generated(seed, 3_000))
    kinds = ("bad_checksum", "incomplete_multipart", "undecodable", "unknown_type",
             "malformed", "empty_payload", "not_nmea", "other_sentence", "blank_lines")  # fmt: skip
    for kind in kinds:
        assert got.counts.get(kind, 0) > 0, kind  # every path taken


def test_layouts_match_pyais_plans() -> None:
    """Every field in ais_messages.yaml at pyais's offset, width and sign."""
    from pyais import messages as m

    classes: dict[str, Any] = {
        "class_a": m.MessageType1, "class_b": m.MessageType18,
        "class_b_extended": m.MessageType19, "long_range": m.MessageType27,
        "static_voyage": m.MessageType5, "static_part_a": m.MessageType24PartA,
        "static_part_b": m.MessageType24PartB,
    }  # fmt: skip
    spec = layouts()
    checked = 0
    for group in ("positions", "identities"):
        for name, layout in spec[group].items():
            plan = {f[0]: f[1:4] for f in classes[name].decoder_plan()}
            for field, value in layout.items():
                if field in ("types", "partno"):
                    continue
                offset, width, signed = value[:3]
                assert plan[field][:2] == (offset, width), (name, field)
                assert plan[field][2] == (signed is True), (name, field)
                checked += 1
    for field, (offset, width, _) in spec["common"].items():
        assert {f[0]: f[1:3] for f in m.MessageType24PartA.decoder_plan()}[field] == (offset, width)
    assert checked == 28
    from pyais.constants import ShipType

    table = {v: int(ShipType.from_value(v)) for v in range(256)}
    for first, last, read_as in spec["ship_types"]:
        for v in range(first, last + 1):
            assert table.pop(v) == read_as, v
    assert all(k == v for k, v in table.items())  # the rest kept as sent


def _tables(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        names = sorted(r[0] for r in con.execute(sql).fetchall())
        out = {}
        for name in names:
            cols = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall() if r[0] != "loaded_at"]
            out[name] = con.execute(f"SELECT {', '.join(cols)} FROM {name} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def test_store_same_with_either_decoder(tmp_path: Path) -> None:
    """``hermit ais load`` of the real samples: every table of the store the same row for
    row whether hermit-nmea@2 or pyais read them, but for the load time and the reader
    named in ais_loads.files."""
    stores = {}
    for decoder in nmea.DECODERS:
        stores[decoder] = tmp_path / f"{decoder}.ais.duckdb"
        with AisStore(stores[decoder]) as store:
            store.load(real_samples(), decoder)
    ours, ref = _tables(stores["hermit"]), _tables(stores["pyais"])
    assert set(ours) == set(ref)
    for name in ref:
        if name == "ais_loads":
            continue
        assert ours[name] == ref[name], name
    assert len(ours["ais_positions"]) > 40_000 and len(ours["ais_problems"]) > 300
    ours_files = ours["ais_loads"][0][-1].replace(nmea.READER, "hermit-nmea@1")
    assert ours_files == ref["ais_loads"][0][-1]
    assert f'"reader":"{nmea.READER}"' in ours["ais_loads"][0][-1]


def test_short_payloads_kept_and_counted(tmp_path: Path) -> None:
    """Payloads too short for a latitude (hermit-nmea@1 stopped the whole file on them) or
    an MMSI: the position is staged without its latitude and the validation sets it aside
    with its row; the message without an MMSI is counted undecodable, with its line."""
    tag = b"s:R,c:1515542400"
    lines = [
        _sentence(b"AIVDM,1,1,,A,15M67FC000G?,0", tag),  # type 1, 72 bits: no latitude
        _sentence(b"AIVDM,1,1,,A,5,0", tag),  # type 5, 6 bits: no MMSI
        _sentence(b"AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0", tag),
    ]
    got = nmea.decode_lines(lines)
    assert got.counts["messages"] == 2 and got.counts["undecodable"] == 1
    assert got.problems == [(2, "undecodable", lines[1].decode(), "payload too short for an MMSI")]
    rows = got.positions.to_pylist()
    assert [r["lat"] for r in rows] == [None, rows[1]["lat"]] and rows[1]["lat"] is not None
    path = tmp_path / "short.nmea"
    path.write_bytes(b"\n".join(lines) + b"\n")
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        found = store.load([path]).to_dict()
    assert found["problems"]["rejected_row"]["rows"] == 1
    assert found["problems"]["nmea_undecodable"]["rows"] == 1


def test_cli_decoder_option(tmp_path: Path) -> None:
    """``hermit ais load --decoder pyais`` reads through hermit-nmea@1 and says so; an
    unknown decoder is refused by name."""
    from tests.cli.helpers import hermit

    path = real_samples()[1]
    out = orjson.loads(
        hermit(
            tmp_path / "h.duckdb", "ais", "load", "--json", "--decoder", "pyais", str(path)
        ).stdout
    )
    assert out["files"][0]["reader"] == "hermit-nmea@1"
    assert out["files"][0]["nmea"]["messages"] == 1_166
    bad = hermit(tmp_path / "h.duckdb", "ais", "load", "--decoder", "nope", str(path), check=False)
    assert bad.returncode != 0 and "nope" in bad.stderr


@pytest.mark.parametrize("ending", [b"\r\n", b"\r", b"\n", None])
def test_file_bytes_any_line_ends(ending: bytes | None) -> None:
    """A file's bytes read as ``bytes.splitlines`` reads them (\\n, \\r\\n, \\r, mixed, the last
    line with or without its end): the same as hermit-nmea@1 on those lines."""
    rng = random.Random(7)
    lines = _generated(4, 800)
    ends = [ending or rng.choice([b"\n", b"\r\n", b"\r"]) for _ in lines]
    data = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    for cut in (data, data[: -len(ends[-1])]):
        ref = nmea_pyais.decode_lines(cut.splitlines())
        got = nmea.decode_bytes(cut)
        assert list(got.counts.items()) == list(ref.counts.items())
        assert got.problems == ref.problems
        assert got.positions.to_pylist() == [{c: p.get(c) for c in COLUMNS} for p in ref.positions]
    assert nmea.decode_bytes(b"").counts == {"positions": 0}
    assert nmea.decode_bytes(b"\n\n").counts == {"blank_lines": 2, "positions": 0}


def digest(path: Path) -> str:
    """sha256 of hermit-nmea@2's output on a file: positions (every field, in order),
    counts (in order) and problems."""
    import hashlib

    got = nmea.decode_bytes(path.read_bytes())
    rows = [[str(v) for v in r.values()] for r in got.positions.to_pylist()]
    blob = orjson.dumps([rows, list(got.counts.items()), got.problems])
    return hashlib.sha256(blob).hexdigest()[:16]


#: hermit-nmea@2's output on the real samples (the digests hermit-nmea@1, through pyais, gives
#: too): a change of output needs a new version
GOLDEN = {
    "pyais_nmea_data_sample.txt": "fd2415abd2b88a67",
    "tokyo_bay_ais_2018-05-11_raw.nmea": "c233d15048603ce9",
    "peter_the_great_gulf_2018-01-10_2018-01-11.nmea": "2e0b4319c18487cc",
}


@pytest.mark.parametrize("path", real_samples(), ids=lambda p: p.name)
def test_golden_output(path: Path) -> None:
    assert nmea.READER == "hermit-nmea@2"
    assert digest(path) == GOLDEN[path.name]
