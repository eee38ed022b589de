"""The checks of ``hermit ais load``, in SQL over the staged rows (``_stage``).

Row level: a row without a usable MMSI, time or position is rejected (kept in the
problem table with its file and row, never stored as a position); a later row repeating
an earlier one's MMSI, time and position is a duplicate, one with the MMSI and time but
another position a time conflict (neither is stored); a position jump is a single row
that the track reaches and leaves at impossible implied speeds (``validation.yaml``)
while its neighbours agree; on an MMSI with runs of such rows (two transmitters on one
MMSI) every such row is kept, flagged ``conflict`` and counted per MMSI as a speed
conflict. AIS "not
available" codes (SOG 102.3, COG 360, heading 511) become NULL and are counted, and so
is every value that did not parse. Vessel level: MMSI not nine digits, MID (first three
digits) not allocated by the ITU, IMO placeholder, IMO made from the MMSI, IMO not seven
digits, IMO failing its check digit (hermit.ids.imo).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.maritime.geo import KM_PER_NM, hav_km_np
from hermit.maritime.params import Validation

if TYPE_CHECKING:
    import duckdb
    from numpy.typing import NDArray

# columns of ais_problems after load_id
PROBLEM_COLUMNS = "kind, file_id, row, mmsi, ts, field, value, n_rows, reason"

_VALID_ROW = (
    "mmsi IS NOT NULL AND ts IS NOT NULL AND lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180"
)


def jump_flags(
    mmsi: NDArray[Any], ts_us: NDArray[Any], lat: NDArray[Any], lon: NDArray[Any], p: Validation
) -> tuple[NDArray[Any], NDArray[Any]]:
    """(jump, conflict) of each position, the positions sorted by MMSI and time (one per
    MMSI and time). A spike is a position reached and left more than
    ``min_jump_distance_km`` away at implied speeds over ``max_implied_speed_kn`` (the
    MMSI's first and last positions never are); an MMSI with two spikes in a row has two
    transmitters, and its spikes are conflicts, the others' jumps."""
    import numpy as np

    n = len(mmsi)
    speed_kmh = p.max_implied_speed_kn * KM_PER_NM
    min_km = p.min_jump_distance_km
    same = mmsi[1:] == mmsi[:-1]  # step i -> i + 1 within one MMSI
    d = hav_km_np(lat[:-1], lon[:-1], lat[1:], lon[1:])
    h = (ts_us[1:] - ts_us[:-1]) / 1e6 / 3600.0
    fast = same & (d > min_km) & (d > speed_kmh * h)  # step i -> i + 1
    spike = np.zeros(n, dtype=bool)
    if n > 2:
        spike[1:-1] = fast[:-1] & fast[1:]
    near = np.zeros(n, dtype=bool)  # the previous or next position (same MMSI) a spike
    near[1:] |= spike[:-1] & same
    near[:-1] |= spike[1:] & same
    starts = np.flatnonzero(np.concatenate(([True], ~same))) if n else np.zeros(0, np.int64)
    if n:
        two = np.logical_or.reduceat(spike & near, starts)
        sizes = np.diff(np.append(starts, n))
        two_sources = np.repeat(two, sizes)
    else:
        two_sources = np.zeros(0, dtype=bool)
    return spike & ~two_sources, spike & two_sources


def insert_positions(con: duckdb.DuckDBPyConnection, load_id: int, p: Validation) -> None:
    """Stored positions: valid rows, first of each (MMSI, time), with the jump flag;
    stored in MMSI and time order (the order every detector reads a track in). The rows
    are sorted once by DuckDB and the flags made by ``jump_flags`` in one vectorized
    pass."""
    import numpy as np
    import pyarrow as pa

    staged = con.sql(
        f"""
        SELECT file_id, row, mmsi, ts, lat, lon, sog, cog, heading, vessel_name, imo,
               call_sign, vessel_type
        FROM _stage WHERE {_VALID_ROW} ORDER BY mmsi, ts, file_id, row
        """
    ).to_arrow_table()
    mmsi = staged["mmsi"].to_numpy()
    ts_us = staged["ts"].cast(pa.int64()).to_numpy()
    first = np.ones(len(mmsi), dtype=bool)  # the first row of each (MMSI, time)
    first[1:] = (mmsi[1:] != mmsi[:-1]) | (ts_us[1:] != ts_us[:-1])
    jump = np.zeros(len(mmsi), dtype=bool)
    conflict = np.zeros(len(mmsi), dtype=bool)
    jump[first], conflict[first] = jump_flags(
        mmsi[first],
        ts_us[first],
        staged["lat"].to_numpy()[first],
        staged["lon"].to_numpy()[first],
        p,
    )
    _kept = (
        staged.append_column("jump", pa.array(jump))
        .append_column("conflict", pa.array(conflict))
        .append_column("first", pa.array(first))
    )
    del staged, mmsi, ts_us
    con.register("_kept", _kept)
    try:
        con.execute(
            f"""
            INSERT INTO ais_positions
            SELECT ? AS load_id, file_id, row, mmsi, ts, lat, lon,
              CASE WHEN sog = {p.sog_not_available_kn} OR sog < 0 THEN NULL ELSE sog END,
              CASE WHEN cog >= {p.cog_not_available_deg} OR cog < 0 THEN NULL ELSE cog END,
              CASE WHEN heading >= {p.heading_not_available_deg} OR heading < 0 THEN NULL
                   ELSE heading END,
              nullif(trim(vessel_name), ''), nullif(trim(imo), ''), nullif(trim(call_sign), ''),
              vessel_type, jump, conflict
            FROM _kept WHERE first
            """,
            [load_id],
        )
    finally:
        con.unregister("_kept")


def row_problems(con: duckdb.DuckDBPyConnection, load_id: int, p: Validation) -> None:
    """Rejected rows, duplicates, jumps, unparsed values and not-available codes."""
    add = f"INSERT INTO ais_problems (load_id, {PROBLEM_COLUMNS}) "
    con.execute(
        add
        + f"""
        SELECT ?, 'rejected_row', file_id, row, mmsi, ts,
          CASE WHEN mmsi IS NULL THEN 'mmsi' WHEN ts IS NULL THEN 'ts' ELSE 'position' END,
          CASE WHEN mmsi IS NULL THEN raw_mmsi WHEN ts IS NULL THEN raw_ts
               ELSE concat(coalesce(CAST(lat AS VARCHAR), raw_lat), ' ',
                           coalesce(CAST(lon AS VARCHAR), raw_lon)) END,
          1,
          CASE WHEN mmsi IS NULL THEN 'no MMSI (missing or not a number)'
               WHEN ts IS NULL THEN 'no time (missing or not a date-time)'
               ELSE 'no position: latitude or longitude missing or out of range' END
        FROM _stage WHERE NOT coalesce({_VALID_ROW}, false)
        """,
        [load_id],
    )
    con.execute(
        add
        + f"""
        SELECT ?, CASE WHEN lat = first_lat AND lon = first_lon THEN 'duplicate_row'
                       ELSE 'time_conflict' END, file_id, row, mmsi, ts, NULL, NULL, 1,
          CASE WHEN lat = first_lat AND lon = first_lon
               THEN 'repeats an earlier row of this MMSI and time'
               ELSE 'same MMSI and time as an earlier row, another position (not stored)' END
        FROM (SELECT *, row_number() OVER w AS k, first_value(lat) OVER w AS first_lat,
                first_value(lon) OVER w AS first_lon
              FROM _stage WHERE {_VALID_ROW}
              WINDOW w AS (PARTITION BY mmsi, ts ORDER BY file_id, row))
        WHERE k > 1
        """,
        [load_id],
    )
    con.execute(
        add
        + f"""
        SELECT ?, 'position_jump', file_id, row, mmsi, ts, 'position',
          concat(lat, ' ', lon), 1,
          'reached and left at implied speeds over {p.max_implied_speed_kn:g} kn'
        FROM ais_positions WHERE load_id = ? AND jump
        """,
        [load_id, load_id],
    )
    con.execute(
        add
        + f"""
        SELECT ?, 'speed_conflict', min(file_id), min(row), mmsi, min(ts), 'position', NULL,
          count(*), 'consecutive positions each reached at over {p.max_implied_speed_kn:g} kn: '
                    || 'two transmitters on one MMSI? (kept)'
        FROM ais_positions WHERE load_id = ? AND conflict GROUP BY mmsi
        """,
        [load_id, load_id],
    )
    for name in ("mmsi", "ts", "lat", "lon", "sog", "cog", "heading", "vessel_type"):
        con.execute(
            add
            + f"""
            SELECT ?, 'refused_value', any_value(file_id), min(row), NULL, NULL, '{name}',
              raw_{name}, count(*), 'not a number (set aside as NULL)'
            FROM _stage WHERE raw_{name} IS NOT NULL AND {_VALID_ROW}
            GROUP BY raw_{name}
            """,
            [load_id],
        )
    for name, code in (
        ("sog", p.sog_not_available_kn),
        ("cog", p.cog_not_available_deg),
        ("heading", p.heading_not_available_deg),
    ):
        con.execute(
            add
            + f"""
            SELECT ?, 'not_available', NULL, NULL, NULL, NULL, '{name}', '{code:g}', count(*),
              'AIS code for not available (stored as NULL)'
            FROM _stage WHERE {name} = {code} HAVING count(*) > 0
            """,
            [load_id],
        )


def classify_imo(mmsi: int, imo: str, placeholder: str) -> tuple[str, str] | None:
    """The problem kind and reason of a broadcast IMO, or None when it is a ship IMO."""
    text = imo.strip()
    if text.upper() == placeholder.upper():
        return "imo_placeholder", "placeholder IMO (no IMO number)"
    digits = text.upper().removeprefix("IMO").strip()
    if digits.isdigit() and (int(digits) == mmsi or digits == f"{mmsi:09d}"[-7:]):
        return "imo_from_mmsi", "the IMO field holds the MMSI (or its last seven digits)"
    if normalize_imo(text) is None:
        return "imo_malformed", "not seven digits"
    if not is_valid_ship_imo(text):
        return "imo_check_digit", "check digit does not match (IMO Res. A.1117(30))"
    return None


def vessel_problems(con: duckdb.DuckDBPyConnection, load_id: int, p: Validation) -> None:
    """MMSI and IMO problems: one row per (MMSI, value) with its number of rows."""
    add = f"INSERT INTO ais_problems (load_id, {PROBLEM_COLUMNS}) "
    con.execute(
        add
        + """
        SELECT ?, 'mmsi_not_9_digits', min(file_id), min(row), mmsi, min(ts), 'mmsi',
          CAST(mmsi AS VARCHAR), count(*), 'an MMSI has nine digits (ITU-R M.585)'
        FROM ais_positions WHERE load_id = ? AND (mmsi < 100000000 OR mmsi > 999999999)
        GROUP BY mmsi
        """,
        [load_id, load_id],
    )
    con.execute(
        add
        + """
        SELECT ?, 'mid_unallocated', min(file_id), min(row), mmsi, min(ts), 'mmsi',
          CAST(mmsi AS VARCHAR), count(*),
          CASE WHEN mmsi // 100000000 BETWEEN 2 AND 7
               THEN 'MID ' || CAST(mmsi // 1000000 AS VARCHAR) || ' is not allocated by the ITU'
               ELSE 'first three digits ' || CAST(mmsi // 1000000 AS VARCHAR)
                    || ' are no MID: not a ship station MMSI (ITU-R M.585)' END
        FROM ais_positions
        WHERE load_id = ? AND mmsi BETWEEN 100000000 AND 999999999
          AND mmsi // 1000000 NOT IN (SELECT mid FROM ref_mids)
        GROUP BY mmsi
        """,
        [load_id, load_id],
    )
    found = con.execute(
        """
        SELECT mmsi, imo, count(*), min(ts), arg_min(file_id, ts), arg_min(row, ts)
        FROM ais_positions WHERE load_id = ? AND imo IS NOT NULL GROUP BY mmsi, imo
        """,
        [load_id],
    ).fetchall()
    rows: list[tuple[Any, ...]] = []
    for mmsi, imo, n, first, file_id, row in found:
        kind = classify_imo(int(mmsi), str(imo), p.imo_placeholder)
        if kind is not None:
            rows.append((load_id, kind[0], file_id, row, mmsi, first, "imo", imo, n, kind[1]))
    if rows:
        con.executemany(
            f"INSERT INTO ais_problems (load_id, {PROBLEM_COLUMNS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def stage_problems(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    """Bad NMEA lines the decoder set aside (``_stage_problems``), if any."""
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _stage_problems "
        "(file_id INTEGER, row BIGINT, kind VARCHAR, value VARCHAR, reason VARCHAR)"
    )
    con.execute(
        f"INSERT INTO ais_problems (load_id, {PROBLEM_COLUMNS}) "
        "SELECT ?, 'nmea_' || kind, file_id, row, NULL, NULL, 'sentence', value, 1, reason "
        "FROM _stage_problems",
        [load_id],
    )
