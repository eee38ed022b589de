"""One vessel in an AIS load, by MMSI or IMO: what it broadcast (names, IMOs, call
signs, flag, positions, first and last time), its events with their reasons and
positions, and its listings by IMO (``hermit.maritime.listed``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hermit.errors import HermitError
from hermit.ids.imo import normalize_imo
from hermit.maritime.events import Event
from hermit.maritime.listed import match_vessels

if TYPE_CHECKING:
    import duckdb


def vessel_mmsis(ais: duckdb.DuckDBPyConnection, load_id: int, key: str) -> list[int]:
    """The MMSIs of ``key``: nine digits are an MMSI, ``IMO1234567`` or seven digits an
    IMO number (every MMSI that broadcast it)."""
    text = key.strip()
    if text.isdigit() and len(text) == 9:
        found = ais.execute(
            "SELECT mmsi FROM ais_vessels WHERE load_id = ? AND mmsi = ?", [load_id, int(text)]
        ).fetchall()
        return [int(m) for (m,) in found]
    imo = normalize_imo(text)
    if imo is None:
        raise HermitError(f"{key!r}: not an MMSI (nine digits) or an IMO number (IMO + seven)")
    rows = ais.execute(
        "SELECT mmsi, imos FROM ais_vessels WHERE load_id = ? ORDER BY mmsi", [load_id]
    ).fetchall()
    return [int(m) for m, imos in rows if any(normalize_imo(i) == imo for i in imos or [])]


def vessel_profile(
    ais: duckdb.DuckDBPyConnection,
    load_id: int,
    key: str,
    events: list[Event],
    lists: duckdb.DuckDBPyConnection | None,
) -> dict[str, Any] | None:
    """The vessel(s) of ``key`` with the events (of ``events``) naming one of its MMSIs,
    and its listings by IMO (``lists`` the list store; None: not looked for). None when
    the load has no such vessel."""
    mmsis = vessel_mmsis(ais, load_id, key)
    if not mmsis:
        return None
    cur = ais.execute(
        f"""
        SELECT mmsi, flag, names, imos, call_signs, vessel_type, n_positions, first_ts, last_ts
        FROM ais_vessels WHERE load_id = ? AND mmsi IN ({", ".join(map(str, mmsis))})
        ORDER BY mmsi
        """,
        [load_id],
    )
    names = [d[0] for d in cur.description]
    vessels = []
    for row in cur.fetchall():
        v = dict(zip(names, row, strict=True))
        v["first_ts"] = v["first_ts"].isoformat() if v["first_ts"] else None
        v["last_ts"] = v["last_ts"].isoformat() if v["last_ts"] else None
        vessels.append(v)
    wanted = set(mmsis)
    mine = [e.to_dict() for e in events if e.mmsi in wanted or e.other_mmsi in wanted]
    listings: dict[str, Any] | None = None
    if lists is not None:
        found = match_vessels(ais, load_id, lists, None, wanted)
        listings = {str(m): [x.to_dict() for x in xs] for m, xs in sorted(found.items())}
    return {
        "key": key,
        "load_id": load_id,
        "mmsis": mmsis,
        "vessels": vessels,
        "events": mine,
        "listings": listings,
    }
