"""What routers get injected: the service state, its current snapshot, the list scope
a path names.

The dependencies are ``async`` (they do no I/O): a sync one would cost every request a
trip through the thread pool."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from hermit.api.errors import ApiError, NotFound
from hermit.api.state import ServiceState, Snapshot

#: Path names that mean every loaded list.
ALL_LISTS = ("default", "sanctions", "all")


async def get_state(request: Request) -> ServiceState:
    state = request.app.state.hermit
    assert isinstance(state, ServiceState)
    return state


async def get_snapshot(request: Request) -> Snapshot:
    state = request.app.state.hermit
    assert isinstance(state, ServiceState)
    if not state.ready:
        raise ApiError(503, "not ready: the screening index is being built", {"Retry-After": "5"})
    return state.snapshot


@dataclass(frozen=True, slots=True)
class Scope:
    """The lists a request works on (``default`` in a path: all of them)."""

    name: str
    datasets: frozenset[str]
    everything: bool


def scope_of(snapshot: Snapshot, name: str) -> Scope:
    loaded = frozenset(snapshot.datasets)
    if name in ALL_LISTS:
        return Scope(name, loaded, True)
    if name in loaded:
        return Scope(name, frozenset({name}), len(loaded) == 1)
    known = ", ".join([*ALL_LISTS, *sorted(loaded)])
    raise NotFound(f"no dataset {name!r} (loaded: {known})")
