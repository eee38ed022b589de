"""All the events of a load, by kind, with their algorithms' names."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hermit.maritime import params
from hermit.maritime.events import Event
from hermit.maritime.gaps import find_gaps

if TYPE_CHECKING:
    import duckdb


def _gaps(con: duckdb.DuckDBPyConnection, load_id: int) -> list[Event]:
    return find_gaps(con, load_id, params.gaps())


DETECTORS: dict[str, Callable[[duckdb.DuckDBPyConnection, int], list[Event]]] = {
    "gap": _gaps,
}


def find_events(
    con: duckdb.DuckDBPyConnection, load_id: int, kinds: list[str] | None = None
) -> list[Event]:
    """The events of the kinds asked (default: all), each kind in its detector's order."""
    out: list[Event] = []
    for kind in kinds or list(DETECTORS):
        out.extend(DETECTORS[kind](con, load_id))
    return out
