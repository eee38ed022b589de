"""/network: the registry store's network over HTTP, as ``hermit network`` gives it: an
entity's exposure to listed parties, the OFAC 50% rule's blocked entities, the
front-company red flags (every detector but listed_officer, which screens each officer
against the lists and belongs to a batch: ``hermit network flags``). The registry store
is the one beside the service's store (``<store>.registry.duckdb``); the listed parties
are those ``hermit network roots`` stored; the graph is the latest ``hermit network
build``. Each answer has the JSON shape of the CLI's ``--json`` (hermit.network.wire).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from hermit.api.deps import get_state
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.api.wire import ErrorResponse

router = APIRouter(tags=["Networks"], route_class=CheckedRoute)

AsOf = Annotated[
    str | None, Query(description="The date, YYYY-MM-DD (default: today).", max_length=10)
]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    409: {"model": ErrorResponse},
}


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"as_of {text!r} is not a date YYYY-MM-DD") from None


class _Registry:
    """The registry store beside the service's store, its latest build and stored roots."""

    def __init__(self, state: ServiceState, *, graph: bool) -> None:
        from hermit.network import roots
        from hermit.network.graph import load
        from hermit.registry.store import RegistryStore, registry_store_path

        path = registry_store_path(state.settings.store_path)
        if not path.exists():
            raise NotFound(f"no registry store at {path.name} (hermit registry load)")
        self.store = RegistryStore(path, read_only=True)
        try:
            stored = roots.load(self.store)
            if stored is None:
                raise ApiError(409, "no listed parties: run hermit network roots")
            self.listed = [r.record_id for r in stored]
            self.why = {r.record_id: r.cites() for r in stored}
            self.build = load(self.store) if graph else None
            if graph and self.build is None:
                raise ApiError(409, "no network built yet (hermit network build)")
        except BaseException:
            self.store.close()
            raise


@router.get("/network/exposure/{entity_id}", responses=ERRORS)
def exposure(
    entity_id: str,
    state: Annotated[ServiceState, Depends(get_state)],
    as_of: AsOf = None,
    paths: Annotated[int | None, Query(ge=1, le=20)] = None,
) -> dict[str, object]:
    """The ranked paths from a record or entity to listed parties within the hop limit,
    each step with its edge kind, source record and dates, and the score's contributions."""
    from hermit.network.exposure import Network
    from hermit.network.wire import exposure_json

    day = _day(as_of)
    reg = _Registry(state, graph=True)
    with reg.store:
        built = reg.build
        assert built is not None
        network = Network(built, day)
        if built.entity(entity_id) not in network.index:
            raise NotFound(f"{entity_id!r}: no such record or entity in build {built.build_id}")
        why = {built.entity(r): text for r, text in reversed(list(reg.why.items()))}
        found = network.exposure(entity_id, reg.listed, paths, why)
        return exposure_json(found, built.build_id)


@router.get("/network/blocked", responses=ERRORS)
def blocked(
    state: Annotated[ServiceState, Depends(get_state)],
    as_of: AsOf = None,
    show_all: Annotated[bool, Query(alias="all")] = False,
) -> dict[str, object]:
    """Entities blocked (lower bounds, scaled when over 100%) or possibly blocked (upper
    bounds) under the OFAC 50% rule as of the date, each with the owners and stakes that
    reach 50%."""
    from hermit.network.edges import read_edges
    from hermit.network.ofac50 import NOT_BLOCKED, blocked_status
    from hermit.network.wire import blocked_json

    day = _day(as_of)
    reg = _Registry(state, graph=False)
    with reg.store:
        edges = read_edges(reg.store)
    result = blocked_status([edges.entity(r) for r in reg.listed], edges.holdings, day)
    return {
        "algorithm": result.algorithm,
        "as_of": day.isoformat(),
        "roots": len(reg.listed),
        "problems": len(edges.problems),
        "results": [
            blocked_json(f, result.algorithm, day)
            for f in result.findings.values()
            if show_all or f.status != NOT_BLOCKED
        ],
    }


@router.get("/network/flags", responses=ERRORS)
def flags(
    state: Annotated[ServiceState, Depends(get_state)],
    as_of: AsOf = None,
    detector: Annotated[str | None, Query(max_length=100)] = None,
) -> dict[str, object]:
    """The front-company red flags of the latest build (all detectors but listed_officer),
    each with its detector (name@version), summary and evidence citing source records."""
    from hermit.network.exposure import Network
    from hermit.network.findings import red_flags
    from hermit.network.graph import store_records
    from hermit.network.wire import finding_json

    day = _day(as_of)
    reg = _Registry(state, graph=True)
    with reg.store:
        assert reg.build is not None
        network = Network(reg.build, day)
        store = reg.store
        found = red_flags(lambda: store_records(store), network, reg.listed)
    if detector is not None:
        found = [f for f in found if f.detector == detector or f.detector.split("@")[0] == detector]
    return {"as_of": day.isoformat(), "findings": [finding_json(f, day) for f in found]}


@router.get("/network/neighbourhood/{entity_id}", responses=ERRORS)
def neighbourhood(
    entity_id: str,
    state: Annotated[ServiceState, Depends(get_state)],
    as_of: AsOf = None,
    hops: Annotated[int, Query(ge=1, le=4)] = 2,
) -> dict[str, object]:
    """The parties and edges within ``hops`` steps of a record or entity (any edge kind,
    either direction; a shared value's node is a step), each edge with its record, and
    the entity's exposure (its ranked paths to listed parties): what the network page
    draws. A neighbourhood of more than the reviewed number of nodes is cut to it: the
    entity, every party of its paths to listed parties, then the nearest; ``cut`` says
    how many nodes and edges were left out (null when none were)."""
    from hermit.network.export import cut, subgraph
    from hermit.network.exposure import Network
    from hermit.network.wire import neighbourhood_json

    day = _day(as_of)
    reg = _Registry(state, graph=True)
    with reg.store:
        built = reg.build
        assert built is not None
        try:
            sub = subgraph(built, entity_id, hops)
        except KeyError:
            raise NotFound(
                f"{entity_id!r}: no such record or entity in build {built.build_id}"
            ) from None
        network = Network(built, day)
        why = {built.entity(r): text for r, text in reversed(list(reg.why.items()))}
        found = network.exposure(entity_id, reg.listed, None, why)
        on_paths = {n for p in found.paths for s in p.steps for n in (s.start, s.end)}
        sub = cut(sub, drawing_limit(), on_paths)
        listed = {built.entity(r) for r in reg.listed}
        return neighbourhood_json(built, sub, listed, found, day)


@router.get("/network/records/{record_id}", responses=ERRORS)
def record(record_id: str, state: Annotated[ServiceState, Depends(get_state)]) -> dict[str, object]:
    """A registry record as the registry store holds it (its latest load): the source an
    edge of the network cites, with the file and row it was read from."""
    import orjson

    reg = _Registry(state, graph=False)
    with reg.store:
        found = reg.store.con.execute(
            "SELECT record_id, schema, registry, file, row, load_id, entity FROM "
            "registry_records WHERE record_id = ? ORDER BY load_id DESC LIMIT 1",
            [record_id],
        ).fetchone()
    if found is None:
        raise NotFound(f"no registry record {record_id!r}")
    rid, schema, registry, file, row, load_id, entity = found
    return {
        "id": rid,
        "schema": schema,
        "registry": registry,
        "file": file,
        "row": row,
        "load": load_id,
        "properties": orjson.loads(entity).get("properties") or {},
    }


def drawing_limit() -> int:
    """The most parties the network page draws (hermit/resources/network/page.yaml)."""
    from importlib import resources

    import yaml

    ref = resources.files("hermit") / "resources" / "network" / "page.yaml"
    return int(yaml.safe_load(ref.read_text(encoding="utf-8"))["max_nodes"])
