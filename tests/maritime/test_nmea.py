"""Raw NMEA through ``hermit ais load``: the real samples decode with the counts of their
sources, and every bad sentence is counted and kept with its line."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir
from tests.maritime.fixtures import ais_dir


def _load(store: Path, path: Path) -> dict:  # type: ignore[type-arg]
    return orjson.loads(hermit(store, "ais", "load", "--json", str(path)).stdout)  # type: ignore[no-any-return]


def _s(body: str, start: str = "!") -> str:
    """An NMEA sentence (or tag block) with its checksum: XOR of the characters."""
    checksum = 0
    for char in body:
        checksum ^= ord(char)
    return f"{start}{body}*{checksum:02X}"


def test_small_file_every_line_accounted(tmp_path: Path) -> None:
    nmea = tmp_path / "mixed.nmea"
    pos = _s("AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0")
    part1 = "AIVDM,2,1,{},A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0"
    lines = [
        "\\" + _s("s:R1,c:1577836800", "") + "\\" + pos,  # tag block time, class A position
        "\\" + _s("s:R1,c:1577836860", "") + "\\" + pos[:-2] + "00",  # checksum broken
        "[2020-01-01 00:02:00] " + _s(part1.format(1)),  # two-part type 5, prefix time
        "[2020-01-01 00:02:00] " + _s("AIVDM,2,2,1,A,88888888880,2"),
        _s(part1.format(7)),  # a first part whose second never comes
        "$GPGGA,120939.000,0000.0000,N,00000.0000,E,0,00,0.0,0.0,M,,,,0000*0E",
        _s("AIVDM,1,1,,B,,0"),  # empty payload
        "garbage line",
    ]
    nmea.write_text("\n".join(lines) + "\n", encoding="ascii")
    found = _load(tmp_path / "hermit.duckdb", nmea)
    counts = found["files"][0]["nmea"]
    assert counts["lines"] == 8
    assert counts["messages"] == 2  # one position, one two-part type 5
    assert counts["bad_checksum"] == 1
    assert counts["incomplete_multipart"] == 1
    assert counts["other_sentence"] == 1
    assert counts["empty_payload"] == 1
    assert counts["not_nmea"] == 1
    assert found["positions"] == 1
    kinds = {k: v["problems"] for k, v in found["problems"].items() if k.startswith("nmea_")}
    assert kinds == {
        "nmea_bad_checksum": 1,
        "nmea_incomplete_multipart": 1,
        "nmea_empty_payload": 1,
        "nmea_not_nmea": 1,
    }
    listed = orjson.loads(
        hermit(
            tmp_path / "hermit.duckdb", "ais", "status", "--problems", "nmea_bad_checksum", "--json"
        ).stdout
    )["listed"]
    assert [p["row"] for p in listed] == [2]


def test_tokyo_receiver_log(tmp_path: Path) -> None:
    """The real Tokyo log: about 1,113 messages, 1,098 positions and 108 MMSIs by its
    source; hermit decodes 1,166 messages (multi-part type 5 put together), 1,069 vessel
    positions (types 1, 3, 18; the source counts the 29 base-station reports of type 4
    as positions too, hermit keeps them out of vessel tracks) and the 780 $GPGGA /
    $GPRMC lines counted, not dropped."""
    found = _load(tmp_path / "hermit.duckdb", ais_dir() / "tokyo_bay_ais_2018-05-11_raw.nmea")
    counts = found["files"][0]["nmea"]
    assert counts["messages"] == 1_166
    assert counts["positions"] == 1_069
    assert counts["type_4"] == 29
    assert counts["other_sentence"] == 780
    assert counts["positions"] + counts["type_4"] == 1_098
    assert found["vessels"] == 106


def test_nwpacific_receiver_bad_sentences(tmp_path: Path) -> None:
    """46,136 sentences, 185 of them corrupted (checksum or payload character): 184
    fail the checksum, one decodes to no known message type; 19 second parts are left
    without their first. All counted, with their lines."""
    path = (
        shared_data_dir()
        / "ais_nwpacific"
        / "nmea"
        / "peter_the_great_gulf_2018-01-10_2018-01-11.nmea"
    )
    found = _load(tmp_path / "hermit.duckdb", path)
    counts = found["files"][0]["nmea"]
    assert counts["ais_sentences"] == 46_136
    assert counts["bad_checksum"] + counts["unknown_type"] == 185
    assert found["problems"]["nmea_bad_checksum"]["rows"] == counts["bad_checksum"]
    assert "rejected_row" not in found["problems"]  # every position has its tag-block time
