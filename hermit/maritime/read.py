"""Position files into one staging table of canonical columns.

A Parquet or CSV file is read in place by DuckDB through the first layout of
``resources/maritime/layouts.yaml`` whose required columns it has; anything else is
read as raw NMEA 0183 (hermit/maritime/nmea.py). Every staged row keeps its file number
and its row in the file (data rows from 1; NMEA: the line), so every problem and every
event can name the rows it rests on. Values that do not parse are NULL in the staged
column and kept, as text, in a ``raw_*`` column, to be counted by the validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hermit.errors import SourceError
from hermit.maritime.params import layouts

if TYPE_CHECKING:
    import duckdb

#: canonical column -> DuckDB type of the staging table
CANONICAL: dict[str, str] = {
    "mmsi": "BIGINT",
    "ts": "TIMESTAMP",
    "lat": "DOUBLE",
    "lon": "DOUBLE",
    "sog": "DOUBLE",
    "cog": "DOUBLE",
    "heading": "DOUBLE",
    "vessel_name": "VARCHAR",
    "imo": "VARCHAR",
    "call_sign": "VARCHAR",
    "vessel_type": "SMALLINT",
}
_NUMERIC = ("mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "vessel_type")
STAGE_DDL = (
    "CREATE OR REPLACE TEMP TABLE _stage (file_id INTEGER, row BIGINT, "
    + ", ".join(f"{c} {t}" for c, t in CANONICAL.items())
    + ", "
    + ", ".join(f"raw_{c} VARCHAR" for c in _NUMERIC)
    + ")"
)


@dataclass(slots=True)
class FileRead:
    """What was read from one file: its layout and the rows staged."""

    path: str
    layout: str
    rows: int = 0
    nmea: dict[str, int] = field(default_factory=dict)
    reader: str | None = None  # the NMEA decoder and its version (hermit-nmea@2)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _source_sql(path: Path) -> tuple[str, list[Any]]:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "read_parquet(?, file_row_number=true)", [str(path)]
    return (
        "(SELECT *, row_number() OVER () - 1 AS file_row_number FROM "
        "read_csv(?, header=true, nullstr=['', 'NA'], sample_size=-1))",
        [str(path)],
    )


def is_table_file(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".parquet", ".csv", ".csv.gz"))


def stage_table_file(con: duckdb.DuckDBPyConnection, path: Path, file_id: int) -> FileRead:
    """Append the rows of a Parquet or CSV position file to ``_stage``."""
    import duckdb

    source, params = _source_sql(path)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}", params).fetchall()
    except duckdb.Error as exc:
        raise SourceError(path, f"not a position table DuckDB can read: {exc}") from None
    types = {str(r[0]): str(r[1]) for r in described}
    chosen: tuple[str, dict[str, str]] | None = None
    for layout, spec in layouts().items():
        if all(c in types for c in spec["required"]):
            chosen = (layout, spec["columns"])
            break
    if chosen is None:
        wanted = "; ".join(
            f"{name}: {', '.join(spec['required'])}" for name, spec in layouts().items()
        )
        raise SourceError(
            path, f"no known AIS column layout (columns {sorted(types)}; known: {wanted})"
        )
    layout, columns = chosen
    select = [str(file_id), "file_row_number + 1"]
    raws = []
    for canon, typ in CANONICAL.items():
        src = columns.get(canon)
        if src is None or src not in types:
            select.append(f"CAST(NULL AS {typ})")
            if canon in _NUMERIC:
                raws.append("CAST(NULL AS VARCHAR)")
            continue
        col = _quote(src)
        same = types[src] == typ or (typ == "DOUBLE" and types[src] in ("FLOAT", "DOUBLE"))
        select.append(col if same else f"TRY_CAST({col} AS {typ})")
        if canon in _NUMERIC:
            # the text of a value that does not parse (NULL when it parsed or is absent)
            raws.append(
                "CAST(NULL AS VARCHAR)"
                if same
                else f"CASE WHEN TRY_CAST({col} AS {typ}) IS NULL THEN CAST({col} AS VARCHAR) END"
            )
    sql = f"INSERT INTO _stage SELECT {', '.join(select + raws)} FROM {source}"
    try:
        con.execute(sql, params)
    except duckdb.Error as exc:
        raise SourceError(path, f"cannot read the rows: {exc}") from None
    counted = con.execute("SELECT count(*) FROM _stage WHERE file_id = ?", [file_id]).fetchone()
    assert counted is not None
    return FileRead(str(path), layout, int(counted[0]))


def stage_files(
    con: duckdb.DuckDBPyConnection, paths: list[Path], nmea_decoder: str = "hermit"
) -> list[FileRead]:
    """Stage every file (file_id = its position in ``paths``, from 1); raw NMEA through
    ``nmea_decoder`` (hermit/maritime/nmea.py: ``hermit`` or the reference ``pyais``)."""
    from hermit.maritime.nmea import stage_nmea_file

    con.execute(STAGE_DDL)
    con.execute("DROP TABLE IF EXISTS _stage_problems")
    found = []
    for i, path in enumerate(paths, start=1):
        if not path.exists():
            raise SourceError(path, "no such file")
        if is_table_file(path):
            found.append(stage_table_file(con, path, i))
        else:
            found.append(stage_nmea_file(con, path, i, nmea_decoder))
    return found
