"""GET /ais/events, /ais/vessels/{mmsi_or_imo} and /ais/kims: the AIS store beside the
service's store (``hermit ais load``), as ``hermit ais events``, the vessel's profile
and the KIMS port findings (``hermit report kims``'s data). Reads, behind the service's
auth (``reader``). Events are made from a load once per process and kept (a load never
changes); a large load takes longer than the service's request bound the first time
(BENCHMARKS.md gives the detectors' times)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from hermit.api.deps import get_state
from hermit.api.errors import BadRequest, NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.errors import HermitError
from hermit.maritime.detect import KINDS
from hermit.maritime.events import Event

router = APIRouter(prefix="/ais", tags=["AIS"], route_class=CheckedRoute)
MAX_LIMIT = 1000
MAX_TRACK_POINTS = 20000
EEZ_ENV = "HERMIT_DPRK_EEZ"

log = logging.getLogger(__name__)
_lock = threading.Lock()
_events: dict[tuple[str, int, str], list[Event]] = {}


def _eez() -> Path | None:
    given = os.environ.get(EEZ_ENV)
    return Path(given) if given else None


def _ais_path(state: ServiceState) -> Path:
    from hermit.maritime.store import ais_store_path

    path = ais_store_path(state.settings.store_path)
    if not path.exists():
        raise NotFound("no AIS store beside the service's store (hermit ais load FILE)")
    return path


def _load_events(path: Path, load: int | None) -> tuple[int, list[Event]]:
    from hermit.maritime.event_cache import load_events
    from hermit.maritime.store import AisStore

    eez = _eez()
    with AisStore(path, read_only=True) as store:
        try:
            lid = store.load_id(load)
        except HermitError as exc:
            raise NotFound(str(exc)) from exc
        key = (str(path), lid, str(eez))
        with _lock:
            if key not in _events:
                _events[key] = load_events(store, lid, eez)
            return lid, _events[key]


def warm(state: ServiceState) -> None:
    """Make (or read) the events of the latest load before anyone asks (run in a thread
    of its own at the service's start): the first request does not wait for them."""
    from hermit.maritime.store import ais_store_path

    path = ais_store_path(state.settings.store_path)
    if not path.exists():
        return
    try:
        _load_events(path, None)
    except Exception:  # a request will make them again and say why
        log.exception("AIS events of %s not made in advance", path)


@router.get("/events", summary="Events of an AIS load", response_model=None)
def events(
    state: Annotated[ServiceState, Depends(get_state)],
    kind: Annotated[list[str] | None, Query(description="Event kinds (repeatable).")] = None,
    mmsi: Annotated[int | None, Query(description="Events naming this MMSI.")] = None,
    load: Annotated[int | None, Query(description="A load's number (default: latest).")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The events of a load (as ``hermit ais events``: stays in DPRK waters when the
    service has ``HERMIT_DPRK_EEZ``), each with its algorithm, reasons and positions."""
    names = set(kind or [])
    families = {"identity": {"identity_change", "mmsi_change", "imo_shared", "spoofed_mmsi"},
                "dark_port_call": {"dark_dprk_port_call"}}  # fmt: skip
    for k in names:
        if k not in KINDS and k not in {x for v in families.values() for x in v}:
            raise BadRequest(f"kind {k!r}: not one of {', '.join(KINDS)}")
    wanted = {x for k in names for x in families.get(k, {k})}
    lid, found = _load_events(_ais_path(state), load)
    kept = [
        e
        for e in found
        if (not wanted or e.kind in wanted) and (mmsi is None or mmsi in (e.mmsi, e.other_mmsi))
    ]
    return {
        "load_id": lid,
        "total": len(kept),
        "offset": offset,
        "limit": limit,
        "events": [e.to_dict() for e in kept[offset : offset + limit]],
    }


@router.get("/vessels/{key}", summary="One vessel of an AIS load", response_model=None)
def vessel(
    key: str,
    state: Annotated[ServiceState, Depends(get_state)],
    load: Annotated[int | None, Query(description="A load's number (default: latest).")] = None,
) -> dict[str, Any]:
    """A vessel by MMSI (nine digits) or IMO number: what it broadcast, its events and
    its listings by IMO number."""
    from hermit.maritime.store import AisStore
    from hermit.maritime.vessel import vessel_profile

    path = _ais_path(state)
    lid, found = _load_events(path, load)
    with AisStore(path, read_only=True) as store, state.cursor() as lists:
        try:
            body = vessel_profile(store.con, lid, key, found, lists)
        except HermitError as exc:
            raise BadRequest(str(exc)) from exc
    if body is None:
        raise NotFound(f"no vessel {key} in AIS load {lid}")
    return body


@router.get("/tracks/{mmsi}", summary="One vessel's track in an AIS load", response_model=None)
def track(
    mmsi: int,
    state: Annotated[ServiceState, Depends(get_state)],
    start: Annotated[dt.datetime | None, Query(alias="from", description="First (ISO).")] = None,
    end: Annotated[dt.datetime | None, Query(alias="to", description="Last (ISO).")] = None,
    max_points: Annotated[int, Query(ge=2, le=MAX_TRACK_POINTS)] = 5000,
    load: Annotated[int | None, Query(description="A load's number (default: latest).")] = None,
) -> dict[str, Any]:
    """The positions of one MMSI in time order (what the web map draws), between
    ``from`` and ``to`` (UTC), thinned evenly to at most ``max_points``."""
    from hermit.maritime.store import AisStore
    from hermit.maritime.track import vessel_track

    start, end = _naive(start), _naive(end)
    if start is not None and end is not None and end < start:
        raise BadRequest("to is before from")
    path = _ais_path(state)
    with AisStore(path, read_only=True) as store:
        try:
            lid = store.load_id(load)
        except HermitError as exc:
            raise NotFound(str(exc)) from exc
        body = vessel_track(store.con, lid, mmsi, start, end, max_points)
    if body["total"] == 0 and start is None and end is None:
        raise NotFound(f"no positions of MMSI {mmsi} in AIS load {lid}")
    return body


def _naive(value: dt.datetime | None) -> dt.datetime | None:
    """A time as the store keeps it (UTC, no zone)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None)


@router.get("/kims", summary="KIMS Act port findings", response_model=None)
def kims(
    state: Annotated[ServiceState, Depends(get_state)],
    start: Annotated[dt.date, Query(alias="from", description="First day (ISO date).")],
    end: Annotated[dt.date, Query(alias="to", description="Last day (ISO date).")],
    load: Annotated[int | None, Query(description="A load's number (default: latest).")] = None,
) -> dict[str, Any]:
    """The KIMS Act port findings (22 U.S.C. 9225(b)) of a period: the data of ``hermit
    report kims``, vessels listed by IMO number only (no name screening here)."""
    from hermit.maritime.kims import kims_findings
    from hermit.maritime.store import AisStore

    if end < start:
        raise BadRequest("to is before from")
    path = _ais_path(state)
    with AisStore(path, read_only=True) as store, state.cursor() as lists:
        try:
            lid = store.load_id(load)
        except HermitError as exc:
            raise NotFound(str(exc)) from exc
        found = kims_findings(store.con, lid, lists, None, (start, end), _eez())
    return found.to_dict()
