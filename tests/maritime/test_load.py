"""``hermit ais load`` and ``status`` through the real program: every planted problem of
a small file counted, and the real files' counts."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, ais_dir, planted_csv


def _load(store: Path, *files: Path) -> dict:  # type: ignore[type-arg]
    out = hermit(store, "ais", "load", "--json", *map(str, files)).stdout
    return orjson.loads(out)  # type: ignore[no-any-return]


def _problems(summary: dict) -> dict[str, int]:  # type: ignore[type-arg]
    return {k: v["problems"] for k, v in summary["problems"].items()}


def test_planted_problems_counted(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    found = _load(store, planted_csv(tmp_path / "planted.csv"))
    assert (tmp_path / "hermit.ais.duckdb").exists()  # beside the list store
    assert found["files"][0]["layout"] == "marinecadastre"
    assert found["rows_read"] == 21
    # 21 rows: 3 rejected (no MMSI, no time, no position), 1 duplicate
    assert found["positions"] == 17
    assert _problems(found) == {
        "rejected_row": 3,
        "duplicate_row": 1,
        "position_jump": 1,
        "refused_value": 1,  # SOG "fast"
        "not_available": 3,  # SOG 102.3, COG 360, heading 511
        "imo_placeholder": 1,
        "imo_check_digit": 1,  # IMO9137961
        "imo_from_mmsi": 2,  # IMO0036699999 of 36699999, IMO200123456 of 200123456
        "imo_malformed": 1,  # IMO12345
        "mmsi_not_9_digits": 1,
        "mid_unallocated": 1,  # 200123456: MID 200 is not allocated
    }
    status = orjson.loads(
        hermit(store, "ais", "status", "--problems", "rejected_row", "--json").stdout
    )
    listed = {(p["row"], p["field"], p["reason"]) for p in status["listed"]}
    assert listed == {
        (14, "mmsi", "no MMSI (missing or not a number)"),
        (15, "ts", "no time (missing or not a date-time)"),
        (16, "position", "no position: latitude or longitude missing or out of range"),
    }
    assert {p["file"] for p in status["listed"]} == {str(tmp_path / "planted.csv")}
    dup = orjson.loads(
        hermit(store, "ais", "status", "--problems", "duplicate_row", "--json").stdout
    )["listed"]
    assert [(p["row"], p["mmsi"], p["reason"]) for p in dup] == [
        (7, 366123450, "repeats an earlier row of this MMSI and time")
    ]
    jump = orjson.loads(
        hermit(store, "ais", "status", "--problems", "position_jump", "--json").stdout
    )["listed"]
    assert [(p["row"], p["mmsi"]) for p in jump] == [(12, 366999990)]
    text = hermit(store, "ais", "status").stdout
    assert "mid_unallocated" in text and "17 positions" in text


def test_unreadable_file_stores_nothing(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    good = planted_csv(tmp_path / "planted.csv")
    bad = tmp_path / "other.csv"
    bad.write_text("name,place\nA,B\n", encoding="utf-8")
    proc = hermit(store, "ais", "load", str(good), str(bad), check=False)
    assert proc.returncode == 1
    assert f"{bad}: no known AIS column layout" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = hermit(store, "ais", "status", check=False)
    assert proc.returncode == 1 and "no AIS loaded yet" in proc.stderr


def test_gfw_150_fleet_all_unallocated_mid(tmp_path: Path) -> None:
    """The real GFW file of a fleet broadcasting "150..." MMSIs: MID 150 is not
    allocated, so each of its 51 MMSIs is flagged, none silently."""
    path = ais_dir() / "gfw_150mmsi_positions_NWPacific_subset.csv"
    found = _load(tmp_path / "hermit.duckdb", path)
    assert found["files"][0]["layout"] == "gfw"
    assert found["rows_read"] == 10_153
    assert found["vessels"] == 51
    assert found["problems"]["mid_unallocated"]["mmsis"] == 51
    dups = found["problems"].get("duplicate_row", {"rows": 0})["rows"]
    rejected = found["problems"].get("rejected_row", {"rows": 0})["rows"]
    assert found["positions"] + dups + rejected == 10_153


def test_houston_parquet_rows_add_up(tmp_path: Path) -> None:
    """The real Houston / Galveston day (lower-case layout): every row is a position, a
    duplicate or a rejected row."""
    found = _load(
        tmp_path / "hermit.duckdb", ais_dir() / "marinecadastre_20200101_houston_galveston.parquet"
    )
    assert found["files"][0]["layout"] == "hermit"
    assert (found["rows_read"], found["vessels"]) == (510_383, 865)
    dups = found["problems"]["duplicate_row"]["rows"]
    rejected = found["problems"].get("rejected_row", {"rows": 0})["rows"]
    assert found["positions"] + dups + rejected == 510_383


@pytest.fixture(scope="session")
def us_day_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real US day (6.3 M positions) loaded once through the CLI."""
    store = tmp_path_factory.mktemp("usday") / "hermit.duckdb"
    hermit(store, "ais", "load", str(ais_dir() / "marinecadastre_20200101_us_full.parquet"))
    return store


def test_us_day_matches_readme(us_day_store: Path) -> None:
    """The README's known content of the US day: 1,702 duplicate (MMSI, time) rows,
    2,310 vessels with IMO0000000, 20 MMSIs with an unallocated MID (all nine-digit
    MMSIs whose first three digits are no allocated MID; 7 of them are not ship
    stations at all). The README's "30 IMO numbers failing the check digit" is not
    reproduced by any reading we tried: hermit finds 39 bad IMO values on 39 MMSIs,
    split as 20 check-digit failures, 15 not of seven digits, 4 that are the MMSI."""
    found = orjson.loads(hermit(us_day_store, "ais", "status", "--json").stdout)
    assert (found["rows_read"], found["vessels"]) == (6_345_302, 12_670)
    p = found["problems"]
    assert p["duplicate_row"]["rows"] == 1_702
    assert p["imo_placeholder"]["mmsis"] == 2_310
    assert p["mid_unallocated"]["mmsis"] == 20
    assert p["mmsi_not_9_digits"]["mmsis"] == 11
    bad_imo = {k: p[k]["mmsis"] for k in ("imo_check_digit", "imo_malformed", "imo_from_mmsi")}
    assert bad_imo == {"imo_check_digit": 20, "imo_malformed": 15, "imo_from_mmsi": 4}
    assert found["positions"] == 6_345_302 - 1_702


def test_two_transmitters_on_one_mmsi(tmp_path: Path) -> None:
    """One MMSI heard alternately 100 km apart (a shared default MMSI): a speed conflict
    counted once for the MMSI, its rows kept, not taken for dozens of single jumps; the
    same time with another position is a time conflict, not a duplicate."""
    rows = []
    for i in range(12):
        lat = 30.0 if i % 2 == 0 else 31.0
        rows.append(f"412000000,2020-01-01T01:{i * 2:02d}:00,{lat:.5f},123.0,0.1,0,511,X,,,30")
    rows.append("412000000,2020-01-01T01:00:00,30.50000,123.0,0.1,0,511,X,,,30")
    path = tmp_path / "shared.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    found = _load(tmp_path / "hermit.duckdb", path)
    p = found["problems"]
    assert "position_jump" not in p and "duplicate_row" not in p
    assert (p["speed_conflict"]["mmsis"], p["speed_conflict"]["rows"]) == (1, 10)
    assert p["time_conflict"]["rows"] == 1
    assert found["positions"] == 12
