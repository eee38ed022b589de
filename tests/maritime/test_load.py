"""``hermit ais load`` and ``status`` through the real program: every planted problem of
a small file counted, and the real files' counts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import orjson

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


#: The slice of the real US day the suite loads: one hour (about 263,000 of the day's
#: 6.3 M rows, 10,000 of its 12,670 vessels); the second, since the first holds no
#: repeated (MMSI, time) row. The whole day, with the README's figures for it, is
#: bench/maritime/us_day.py (a 2 GB process for a minute and more: not a suite test).
US_DAY = "marinecadastre_20200101_us_full.parquet"
US_HOUR = (
    "BaseDateTime >= '2020-01-01 01:00'::TIMESTAMP AND BaseDateTime < '2020-01-01 02:00'::TIMESTAMP"
)


def test_us_day_hour_counts(tmp_path: Path) -> None:
    """One hour of the real US day, written to a Parquet file of its own, loaded
    through the CLI: rows, vessels, repeated (MMSI, time) rows and IMO placeholders
    agree with DuckDB's own count of the slice; every row is a position, a duplicate, a
    time conflict or a rejected row; and the MMSI and IMO checks find what they found on
    this slice when it was written (the day's figures: bench/maritime/us_day.py)."""
    source = ais_dir() / US_DAY
    path = tmp_path / "us_hour.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_parquet(?) WHERE {US_HOUR}) TO '{path}'", [str(source)])
    rows, vessels, repeats = con.execute(
        "SELECT count(*), count(DISTINCT MMSI), count(*) - count(DISTINCT (MMSI, BaseDateTime))"
        " FROM read_parquet(?)",
        [str(path)],
    ).fetchone() or (0, 0, 0)
    (placeholders,) = con.execute(
        "SELECT count(DISTINCT MMSI) FROM read_parquet(?) WHERE IMO = 'IMO0000000'", [str(path)]
    ).fetchone() or (0,)
    con.close()
    assert 200_000 < rows < 6_345_302  # a slice, not the day, nor nothing
    found = _load(tmp_path / "hermit.duckdb", path)
    assert (found["rows_read"], found["vessels"]) == (rows, vessels)
    p = found["problems"]
    count = {k: p.get(k, {"rows": 0})["rows"] for k in ("duplicate_row", "time_conflict")}
    assert count["duplicate_row"] + count["time_conflict"] == repeats
    rejected = p.get("rejected_row", {"rows": 0})["rows"]
    assert found["positions"] + repeats + rejected == rows
    assert p["imo_placeholder"]["mmsis"] == placeholders
    checks = ("mid_unallocated", "mmsi_not_9_digits", "imo_check_digit", "imo_malformed")
    assert {k: p[k]["mmsis"] for k in checks} == {
        "mid_unallocated": 14,
        "mmsi_not_9_digits": 11,
        "imo_check_digit": 19,
        "imo_malformed": 14,
    }
    assert p["imo_from_mmsi"]["mmsis"] == 3
    status = orjson.loads(hermit(tmp_path / "hermit.duckdb", "ais", "status", "--json").stdout)
    assert status["rows_read"] == rows and status["positions"] == found["positions"]


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


def test_load_id_checks_the_load_without_counting(tmp_path: Path) -> None:
    """``AisStore.load_id``: the latest load or the one asked for, by its row of
    ``ais_loads`` (what the API's routes check before reading), the errors ``summary``
    gave: no load yet, no such load."""
    import pytest

    from hermit.errors import StoreError
    from hermit.maritime.store import AisStore

    with AisStore(tmp_path / "s.ais.duckdb") as store:
        with pytest.raises(StoreError, match="no AIS loaded yet"):
            store.load_id()
        with pytest.raises(StoreError, match="no AIS loaded yet"):
            store.latest_load()
        first = store.load([planted_csv(tmp_path / "planted.csv")]).load_id
        second = store.load([planted_csv(tmp_path / "planted.csv")]).load_id
        assert (store.load_id(), store.load_id(first)) == (second, first)
        with pytest.raises(StoreError, match=f"no AIS load {second + 1}"):
            store.load_id(second + 1)
        with pytest.raises(StoreError, match=f"no AIS load {second + 1}"):
            store.summary(second + 1)  # the same words as before
