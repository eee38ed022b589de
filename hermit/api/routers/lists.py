"""GET /lists (every version of every list) and GET /lists/{dataset}/changes (what one
version added, removed and changed), as ``hermit lists history`` and ``lists diff``."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from typing import Annotated, Generic, Literal, TypeVar

from fastapi import APIRouter, Depends, Query, Request

from hermit.api.deps import get_state
from hermit.api.errors import BadRequest, NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.api.wire import (
    EntityChangeModel,
    ErrorResponse,
    ListChangesResponse,
    ListsResponse,
    ListVersionModel,
    TotalSpec,
)
from hermit.store import read
from hermit.store.diff import diff_versions
from hermit.store.parties import PartyChange, flatten, party_changes
from hermit.store.programs import matches_program
from hermit.store.records import EntityChange, VersionInfo

router = APIRouter(tags=["Lists"], route_class=CheckedRoute)
MAX_LIMIT = 1000
#: Changes kept in memory per service, over all cached diffs (a diff of a whole list takes
#: a second or two to build; 50,000 changes with their values take about 80 MB).
CACHED_CHANGES = 60_000
T = TypeVar("T")


class DiffCache(Generic[T]):
    """Recent diffs by (dataset, from, to) (versions never change once stored), the
    oldest dropped while the changes held (``size`` of each diff) pass ``budget`` (the
    newest is always kept)."""

    def __init__(self, budget: int, size: Callable[[list[T]], int] = len) -> None:
        self.budget = budget
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int, int], list[T]] = OrderedDict()

    def get(self, key: tuple[str, int, int]) -> list[T] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, int, int], changes: list[T]) -> None:
        with self._lock:
            self._items[key] = changes
            self._items.move_to_end(key)
            held = sum(self.size(v) for v in self._items.values())
            while held > self.budget and len(self._items) > 1:
                held -= self.size(self._items.popitem(last=False)[1])


def _changes_held(found: list[PartyChange]) -> int:
    return sum(1 + len(p.parts) for p in found)


def _cache(request: Request) -> DiffCache[PartyChange]:
    cache = getattr(request.app.state, "hermit_diffs", None)
    if not isinstance(cache, DiffCache):
        cache = DiffCache[PartyChange](CACHED_CHANGES, _changes_held)
        request.app.state.hermit_diffs = cache
    return cache


def version_model(v: VersionInfo, newest: int) -> ListVersionModel:
    return ListVersionModel(
        dataset=v.dataset,
        seq=v.seq,
        title=v.title,
        label=v.label,
        published=v.published.date().isoformat() if v.published else None,
        loaded_at=v.loaded_at.isoformat(),
        parser=v.parser,
        sha256=v.content_sha256,
        files=v.files,
        entity_count=v.entity_count,
        statement_count=v.statement_count,
        added=v.added,
        removed=v.removed,
        changed=v.changed,
        current=v.seq == newest,
        changes_url=f"/lists/{v.dataset}/changes?to_seq={v.seq}",
    )


@router.get("/lists", response_model=ListsResponse)
def lists(state: Annotated[ServiceState, Depends(get_state)]) -> ListsResponse:
    """Every stored version of every list, oldest first within each list, with its counts
    and how many entities its load added, removed and changed."""
    with state.cursor() as cur:
        found = read.versions(cur)
    newest: dict[str, int] = {}
    for v in found:
        newest[v.dataset] = max(v.seq, newest.get(v.dataset, 0))
    return ListsResponse(versions=[version_model(v, newest[v.dataset]) for v in found])


@router.get(
    "/lists/{dataset}/changes",
    response_model=ListChangesResponse,
    response_model_by_alias=True,
    responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
)
def changes(
    dataset: str,
    request: Request,
    state: Annotated[ServiceState, Depends(get_state)],
    from_seq: Annotated[
        int | None, Query(ge=0, title="Older version (default: the one before to_seq; 0: none)")
    ] = None,
    to_seq: Annotated[int | None, Query(ge=1, title="Newer version (default: newest)")] = None,
    change: Annotated[
        Literal["added", "removed", "changed"] | None, Query(title="Only this kind of change")
    ] = None,
    schema: Annotated[
        list[str] | None, Query(title="Only entities of these schemata (Person, Vessel ...)")
    ] = None,
    program: Annotated[
        list[str] | None,
        Query(
            title="Only parties listed under these programs",
            description="The programs of the party's Sanction entities (and its own), "
            "ignoring case; a name also matches its numbered and qualified forms, and a "
            "regime every list's name of it: DPRK is OFAC's DPRK, DPRK2, DPRK3, DPRK4 and "
            "DPRK-NKSPEA, the EU's PRK and EU-PRK, OFSI's \"Democratic People's Republic of "
            'Korea". An address, document or sanction is kept when its party is.',
        ),
    ] = None,
    parties: Annotated[
        bool,
        Query(
            title="By listed party",
            description="One result per person, organization, vessel ... with the changes "
            "of its addresses, documents, sanctions and links in its `parts` (a party whose "
            "records alone changed is `changed`); `schema` and `counts` are then the "
            "parties'. Default: every changed entity on its own.",
        ),
    ] = False,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ListChangesResponse:
    """The entities added, removed and changed from version `from_seq` to `to_seq` of a
    list, each with the values it gained and lost (by default, what the newest load
    changed; the first version of a list added everything in it), and the programs of the
    party it belongs to; with `parties=true`, the listed parties, each with its records'
    changes rolled up under it. `counts` are by kind over the schemata and programs asked
    for, before `change`, `limit` and `offset` apply."""
    with state.cursor() as cur:
        all_versions = read.versions(cur, dataset)
        if not all_versions:
            raise NotFound(f"no list {dataset!r} is loaded")
        by_seq = {v.seq: v for v in all_versions}
        newest = all_versions[-1].seq
        to_v = by_seq[newest] if to_seq is None else by_seq.get(to_seq)
        if to_v is None:
            raise NotFound(f"{dataset} has no version {to_seq} (newest is {newest})")
        start = to_v.seq - 1 if from_seq is None else from_seq
        from_v = by_seq.get(start) if start > 0 else None
        if start > 0 and from_v is None:
            raise NotFound(f"{dataset} has no version {start} (newest is {newest})")
        if start >= to_v.seq:
            raise BadRequest(f"from_seq: version {start} is not older than version {to_v.seq}")
        key = (dataset, start, to_v.seq)
        cache = _cache(request)
        found = cache.get(key)
        if found is None:
            flat = diff_versions(cur, dataset, start, to_v.seq)[2]  # 0: everything is added
            found = party_changes(cur, dataset, start, to_v.seq, flat)
            cache.put(key, found)
    wanted = set(schema or ())
    listed = [p for p in found if not program or matches_program(p.programs, program)]
    if parties:
        items = [(p.own, p.programs, p.parts) for p in listed if not wanted or p.schema in wanted]
    else:
        items = [
            (c, programs, ()) for c, programs in flatten(listed) if not wanted or c.schema in wanted
        ]
    counts = Counter(c.change for c, _, _ in items)
    if change is not None:
        items = [item for item in items if item[0].change == change]
    page = items[offset : offset + limit]
    return ListChangesResponse(
        dataset=dataset,
        from_version=None if from_v is None else version_model(from_v, newest),
        to_version=version_model(to_v, newest),
        counts={kind: counts.get(kind, 0) for kind in ("added", "removed", "changed")},
        total=TotalSpec(value=len(items)),
        limit=limit,
        offset=offset,
        results=[
            _change_model(c, programs, [_change_model(part, (), ()) for part in parts])
            for c, programs, parts in page
        ],
    )


def _change_model(
    c: EntityChange, programs: tuple[str, ...], parts: Iterable[EntityChangeModel]
) -> EntityChangeModel:
    return EntityChangeModel(
        entity_id=c.entity_id,
        change=c.change,
        schema=c.schema,
        caption=c.caption,
        added=_sorted(c.added),
        removed=_sorted(c.removed),
        programs=list(programs),
        parts=list(parts),
    )


def _sorted(values: dict[str, list[str]]) -> dict[str, list[str]]:
    """Values by property, each property's in order (the store's diff gathers them in no
    fixed order)."""
    return {prop: sorted(found) for prop, found in sorted(values.items())}
