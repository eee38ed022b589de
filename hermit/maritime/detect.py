"""All the events of a load, by kind, with their algorithms' names. The port layer
(World Port Index points and anchorages derived from the load) is built once, before the
detectors that need it. Stays in DPRK waters need the area (a GeoJSON polygon the user
gives: hermit ships no boundary); without one they are not looked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.maritime import params
from hermit.maritime.anchorages import build_port_layer
from hermit.maritime.dark_calls import find_dark_port_calls
from hermit.maritime.dprk_waters import find_dprk_waters
from hermit.maritime.encounters import find_encounters
from hermit.maritime.events import Event
from hermit.maritime.gaps import find_gaps
from hermit.maritime.geo import read_area
from hermit.maritime.identity import find_identity_changes
from hermit.maritime.loitering import find_loitering
from hermit.maritime.port_visits import find_port_visits
from hermit.maritime.speed import find_implausible_speeds
from hermit.maritime.stages import StageClock, stage

if TYPE_CHECKING:
    import duckdb


def _gaps(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_gaps(con, load_id, params.gaps())


def _encounters(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_encounters(con, load_id, params.encounters())


def _port_visits(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_port_visits(con, load_id, params.port_visits())


def _identity(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_identity_changes(con, load_id, params.identity_changes())


def _loitering(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_loitering(con, load_id, params.loitering())


def _dark_port_calls(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_dark_port_calls(con, load_id, params.dark_port_calls(), params.port_visits())


def _implausible_speeds(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_implausible_speeds(con, load_id, params.implausible_speed())


DETECTORS: dict[str, Callable[[duckdb.DuckDBPyConnection, int], list[Event]]] = {
    "gap": _gaps,
    "encounter": _encounters,
    "port_visit": _port_visits,
    # identity_change, mmsi_change, imo_shared, spoofed_mmsi (hermit/maritime/identity.py)
    "identity": _identity,
    "loitering": _loitering,
    # dark_dprk_port_call (hermit/maritime/dark_calls.py)
    "dark_port_call": _dark_port_calls,
    # position jumps and one MMSI at two places (hermit/maritime/speed.py)
    "implausible_speed": _implausible_speeds,
}
#: detectors that need an area (``eez``)
AREA_DETECTORS = ("dprk_waters",)
KINDS = (*DETECTORS, *AREA_DETECTORS)
NEEDS_PORT_LAYER = frozenset({"encounter", "port_visit"})
EEZ_NAME = "DPRK waters (the EEZ polygon given)"


def find_events(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    kinds: list[str] | None = None,
    eez: Path | None = None,
    clock: StageClock | None = None,
) -> list[Event]:
    """The events of the kinds asked (default: all; dprk_waters only with ``eez``, a
    GeoJSON polygon), each kind in its detector's order (``clock``: the CPU and wall
    seconds of each detector, for the benchmarks)."""
    asked = kinds or [*DETECTORS, *(AREA_DETECTORS if eez is not None else ())]
    if NEEDS_PORT_LAYER & set(asked):
        with stage(clock, "port layer"):
            build_port_layer(con, load_id, params.anchorages())
    out: list[Event] = []
    for kind in asked:
        if kind == "dprk_waters":
            if eez is None:
                raise ValueError("dprk_waters needs the area (eez)")
            with stage(clock, kind):
                area = read_area(eez.resolve(), EEZ_NAME)
                out.extend(find_dprk_waters(con, load_id, params.dprk_waters(), area))
        else:
            with stage(clock, kind):
                out.extend(DETECTORS[kind](con, load_id))
    return out
