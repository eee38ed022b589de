"""Reference tables the AIS checks and events use: the ITU MIDs (flag of an MMSI) and
the World Port Index ports, as generated into ``resources/maritime`` by
scripts/make_maritime_tables.py. Both are loaded into a DuckDB connection as tables
``ref_mids(mid, allocated_to, iso)`` (one row per MID; ``iso`` the ISO codes of its
administrations, space separated) and ``ref_ports(port_id, wpi, name,
locode, country, lat, lon)``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.errors import SourceError

if TYPE_CHECKING:
    import duckdb


def _rows(text: str, where: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = [line.split("\t") for line in lines[1:]]
    for n, row in enumerate(rows, start=2):
        if len(row) != len(lines[0].split("\t")):
            raise SourceError(where, f"expected {lines[0]!r} columns", n)
    return rows


@cache
def _resource_rows(name: str) -> list[list[str]]:
    path = resources.files("hermit") / "resources" / "maritime" / name
    return _rows(path.read_text(encoding="utf-8"), f"hermit/resources/maritime/{name}")


def port_rows(ports: Path | None = None) -> list[list[str]]:
    """Rows of wpi, name, locode, country, lat, lon (a file of the same columns, tab
    separated, instead of the World Port Index when ``ports`` is given)."""
    if ports is None:
        return _resource_rows("ports.tsv")
    return _rows(ports.read_text(encoding="utf-8"), str(ports))


def load_reference(con: duckdb.DuckDBPyConnection, ports: Path | None = None) -> None:
    """Create (or replace) the temp tables ``ref_mids`` and ``ref_ports``."""
    import pyarrow as pa

    mids: dict[int, list[str]] = {}
    codes: dict[int, list[str]] = {}
    for mid, name, iso in _resource_rows("mids.tsv"):  # one MID may serve several (306)
        mids.setdefault(int(mid), []).append(name)
        if iso and iso not in codes.setdefault(int(mid), []):
            codes[int(mid)].append(iso)
    con.register(
        "_mids",
        pa.table(
            {
                "mid": list(mids),
                "allocated_to": [" / ".join(n) for n in mids.values()],
                "iso": [" ".join(codes.get(m, [])) for m in mids],
            }
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE ref_mids AS SELECT * FROM _mids")
    con.unregister("_mids")
    rows = port_rows(ports)
    table = pa.table(
        {
            "port_id": list(range(1, len(rows) + 1)),
            "wpi": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "locode": [r[2] for r in rows],
            "country": [r[3] for r in rows],
            "lat": [float(r[4]) for r in rows],
            "lon": [float(r[5]) for r in rows],
        }
    )
    con.register("_ports", table)
    con.execute("CREATE OR REPLACE TEMP TABLE ref_ports AS SELECT * FROM _ports")
    con.unregister("_ports")
