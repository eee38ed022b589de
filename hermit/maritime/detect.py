"""All the events of a load, by kind, with their algorithms' names. The port layer
(World Port Index points and anchorages derived from the load) is built once, before the
detectors that need it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hermit.maritime import params
from hermit.maritime.anchorages import build_port_layer
from hermit.maritime.encounters import find_encounters
from hermit.maritime.events import Event
from hermit.maritime.gaps import find_gaps
from hermit.maritime.port_visits import find_port_visits

if TYPE_CHECKING:
    import duckdb


def _gaps(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_gaps(con, load_id, params.gaps())


def _encounters(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_encounters(con, load_id, params.encounters())


def _port_visits(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_port_visits(con, load_id, params.port_visits())


DETECTORS: dict[str, Callable[[duckdb.DuckDBPyConnection, int], list[Event]]] = {
    "gap": _gaps,
    "encounter": _encounters,
    "port_visit": _port_visits,
}
NEEDS_PORT_LAYER = frozenset({"encounter", "port_visit"})


def find_events(
    con: duckdb.DuckDBPyConnection, load_id: int, kinds: list[str] | None = None
) -> list[Event]:
    """The events of the kinds asked (default: all), each kind in its detector's order."""
    asked = kinds or list(DETECTORS)
    if NEEDS_PORT_LAYER & set(asked):
        build_port_layer(con, load_id, params.anchorages())
    out: list[Event] = []
    for kind in asked:
        out.extend(DETECTORS[kind](con, load_id))
    return out
