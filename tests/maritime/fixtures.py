"""Small position files written by the tests (MarineCadastre CSV layout), each row
planted for one check; and where the real AIS data lives."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import shared_data_dir

HEADER = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType"


def ais_dir() -> Path:
    return shared_data_dir() / "ais"


def track(
    mmsi: int,
    start_h: int,
    n: int,
    lat: float,
    lon: float,
    step_min: int = 10,
    dlat: float = 0.01,
    name: str = "TEST SHIP",
    imo: str = "IMO9137960",
    sog: str = "6.0",
) -> list[str]:
    """``n`` positions of one vessel every ``step_min`` minutes, moving north."""
    rows = []
    for i in range(n):
        minutes = start_h * 60 + i * step_min
        ts = f"2020-01-01T{minutes // 60:02d}:{minutes % 60:02d}:00"
        rows.append(
            f"{mmsi},{ts},{lat + i * dlat:.5f},{lon:.5f},{sog},10.0,511,{name},{imo},CALL1,70"
        )
    return rows


def planted_csv(path: Path) -> Path:
    """One file with a planted case for every check (see test_load.py)."""
    rows = track(366123450, 0, 6, 29.0, -94.0)  # good ship, valid IMO 9137960
    rows.append(rows[2])  # exact duplicate row (file row 7)
    # a 7 h gap after 00:50, then three more positions
    rows += track(366123450, 8, 3, 29.2, -94.0)
    # a jump: the middle of three rows 1 min apart is 80 km away (file rows 11-13)
    rows += [
        "366999990,2020-01-01T02:00:00,28.00000,-93.00000,0.1,0,511,JUMPER,,,70",
        "366999990,2020-01-01T02:01:00,28.70000,-93.00000,0.1,0,511,JUMPER,,,70",
        "366999990,2020-01-01T02:02:00,28.00010,-93.00000,0.1,0,511,JUMPER,,,70",
    ]
    rows += [
        "abc,2020-01-01T03:00:00,28.0,-93.0,1.0,0,511,NO MMSI,,,70",  # rejected: MMSI
        "366999991,not-a-time,28.0,-93.0,1.0,0,511,NO TIME,,,70",  # rejected: time
        "366999992,2020-01-01T03:00:00,91.0,181.0,1.0,0,511,NO POSITION,,,70",  # rejected
        "366999993,2020-01-01T03:00:00,28.1,-93.1,102.3,360.0,511,NOT AVAIL,IMO0000000,,70",
        "366999994,2020-01-01T03:00:00,28.2,-93.2,fast,10,511,BAD SOG,IMO9137961,,70",
        "36699999,2020-01-01T03:00:00,28.3,-93.3,1.0,10,511,EIGHT DIGITS,IMO0036699999,,70",
        "200123456,2020-01-01T03:00:00,28.4,-93.4,1.0,10,511,MID 200,IMO200123456,,70",
        "366999995,2020-01-01T03:00:00,28.5,-93.5,1.0,10,511,SHORT IMO,IMO12345,,70",
    ]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path
