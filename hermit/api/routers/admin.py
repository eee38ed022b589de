"""/admin: API keys and the audit log (admin role), list loads (write role or higher).

A key made here is returned once, in the response to its creation; the service keeps
only its hash. Keys take effect at once (the service's KeyRing is reloaded after each
change).

``POST /admin/lists`` takes the same files as ``hermit lists load`` (UN XML, OFAC's
sdn.csv with alt.csv, add.csv and sdn_comments.csv uploaded beside it, FollowTheMoney
JSON lines). Every file is parsed before anything is stored, so a bad file stops the
request with a 400 naming it and the line, and the store is unchanged. All the lists
are stored in one transaction (Store.load_all's rule). The screening index is then
rebuilt and swapped in whole; requests keep being answered from the previous one
meanwhile.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, Field

from hermit.api import audit, list_load
from hermit.api.auth import Principal, admin, writer
from hermit.api.deps import get_state
from hermit.api.errors import ApiError, BadRequest, NotFound
from hermit.api.keys import ROLES, ApiKeyError, KeyRing
from hermit.api.keys import add as add_key
from hermit.api.keys import listed as listed_keys
from hermit.api.keys import revoke as revoke_key
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.api.wire import ErrorResponse
from hermit.store.state import StateDB

router = APIRouter(prefix="/admin", tags=["Administration"], route_class=CheckedRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse},
    401: {"model": ErrorResponse},
    403: {"model": ErrorResponse},
}
#: DELETE /admin/keys/{key_id}: also 404 (no key of that id).
KEY_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 404: {"model": ErrorResponse}}
#: POST /admin/lists: also 409 (the guard refused a version that removes too much).
LOAD_ERRORS: dict[int | str, dict[str, Any]] = {**ERRORS, 409: {"model": ErrorResponse}}
#: Upload names kept as given, but only these characters (no paths).
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class KeyIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="Who or what uses the key")
    role: str = Field(description=f"One of {', '.join(ROLES)}")


class KeyOut(BaseModel):
    id: str
    name: str
    role: str
    created_at: str
    created_by: str
    revoked_at: str | None
    revoked_by: str | None


class KeyCreated(KeyOut):
    key: str = Field(description="The key itself: shown this once, never again")


class KeyList(BaseModel):
    total: int
    results: list[KeyOut]


class AuditOut(BaseModel):
    seq: int
    at: str
    key_id: str | None
    key_name: str
    role: str
    method: str
    path: str
    query: str
    status: int
    client: str | None
    summary: str | None


class AuditPage(BaseModel):
    total: int
    limit: int
    results: list[AuditOut]
    next_before: int | None = Field(
        description="Pass as `before` for the next (older) page; null on the last page"
    )


class ListLoaded(BaseModel):
    dataset: str
    file: str
    seq: int
    unchanged: bool
    entity_count: int
    added: int
    removed: int
    changed: int
    warnings: int


class ListsLoaded(BaseModel):
    loads: list[ListLoaded]
    entity_count: int = Field(description="Entities the screening index now holds")
    build_seconds: float = Field(description="Time the index in use took to build")


def _reload_keys(request: Request, db: StateDB) -> None:
    """Swap in a KeyRing with the keys as they now are (called under the state's lock,
    so the last change's ring is the one kept; other processes see the change through
    the keys' revision)."""
    request.app.state.keys = KeyRing.load(db)


@router.post("/keys", response_model=KeyCreated, status_code=201, responses=ERRORS)
def create_key(
    body: KeyIn,
    request: Request,
    who: Annotated[Principal, Depends(admin)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> KeyCreated:
    """Create a key; the response holds the key itself, the only time it is shown."""
    try:
        with state.state() as db:
            key, token = add_key(db, body.name, body.role, by=who.name)
            _reload_keys(request, db)
    except ApiKeyError as exc:
        raise BadRequest(str(exc)) from None
    audit.note(request, f"key created: {key.id} ({key.name}, {key.role})")
    return KeyCreated(**key.to_dict(), key=token)


@router.get("/keys", response_model=KeyList, responses=ERRORS, dependencies=[Depends(admin)])
def list_keys(
    state: Annotated[ServiceState, Depends(get_state)],
    all: Annotated[bool, Query(title="Include revoked keys")] = True,
) -> KeyList:
    """Every key's record, oldest first (never the keys themselves)."""
    with state.state() as db:
        found = listed_keys(db, include_revoked=all)
    return KeyList(total=len(found), results=[KeyOut(**k.to_dict()) for k in found])


@router.delete("/keys/{key_id}", response_model=KeyOut, responses=KEY_ERRORS)
def delete_key(
    key_id: str,
    request: Request,
    who: Annotated[Principal, Depends(admin)],
    state: Annotated[ServiceState, Depends(get_state)],
) -> KeyOut:
    """Revoke a key at once (its record stays, marked revoked by the caller)."""
    try:
        with state.state() as db:
            key = revoke_key(db, key_id, by=who.name)
            _reload_keys(request, db)
    except ApiKeyError as exc:
        if str(exc).startswith("no key"):
            raise NotFound(str(exc)) from None
        raise BadRequest(str(exc)) from None
    audit.note(request, f"key revoked: {key.id} ({key.name}, {key.role})")
    return KeyOut(**key.to_dict())


@router.get("/audit", response_model=AuditPage, responses=ERRORS, dependencies=[Depends(admin)])
def audit_log(
    state: Annotated[ServiceState, Depends(get_state)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, title="Only entries older than this seq")] = None,
) -> AuditPage:
    """The audit log, newest first: every request that wrote or tried to write."""
    with state.state() as db:
        entries = audit.listed(db, limit=limit, before=before)
        total = audit.count(db)
    return AuditPage(
        total=total,
        limit=limit,
        results=[AuditOut(**e.to_dict()) for e in entries],
        next_before=entries[-1].seq if len(entries) == limit else None,
    )


def _save(uploads: list[UploadFile], folder: Path) -> dict[Path, str]:
    """Write the uploads into ``folder`` under their own names (OFAC's companions are
    found by name); returns each saved path with the name the client gave."""
    saved: dict[Path, str] = {}
    for upload in uploads:
        given = upload.filename or ""
        name = _SAFE_NAME.sub("_", Path(given.replace("\\", "/")).name).lstrip(".")
        if not name:
            raise BadRequest(f"files: an upload has no usable file name ({given!r})")
        path = folder / name
        if path in saved:
            raise BadRequest(f"files: {name!r} uploaded twice")
        with path.open("wb") as out:
            while block := upload.file.read(1 << 20):
                out.write(block)
        saved[path] = given
    return saved


@router.post(
    "/lists", response_model=ListsLoaded, responses=LOAD_ERRORS, dependencies=[Depends(writer)]
)
def load_lists(
    request: Request,
    files: Annotated[list[UploadFile], File(description="List files (and OFAC companions)")],
    state: Annotated[ServiceState, Depends(get_state)],
    end_mark: Annotated[
        bool,
        Query(
            description="OFAC CSV: refuse a file without OFAC's closing Ctrl-Z line (it "
            "looks truncated); false for an older file published without it"
        ),
    ] = True,
    companions: Annotated[
        Literal["none", "keep-previous"] | None,
        Query(
            description="OFAC sdn.csv uploaded without its alt.csv, add.csv or "
            "sdn_comments.csv (else a 400): `none` (the new version has none) or "
            "`keep-previous` (re-read the files the current version was read from, where "
            "they still are; uploads are not kept)"
        ),
    ] = None,
    allow_large_change: Annotated[
        bool,
        Query(
            description="Load a version that removes more of a list's entities, names or "
            "addresses than the service allows (else a 409 saying what would go)"
        ),
    ] = False,
) -> ListsLoaded:
    """Load list files as `hermit lists load` does and swap in the new screening index.
    Responds with what each load changed (`unchanged`: the same files were already the
    newest version)."""
    if not files:
        raise BadRequest("files: no files uploaded")
    with tempfile.TemporaryDirectory(prefix="hermit-upload-") as tmp:
        folder = Path(tmp)
        saved = _save(files, folder)
        # read, stored, indexed and published in a process of its own: the memory that
        # takes is given back when it ends (hermit.api.list_load)
        with state.writing():
            outcome = list_load.run_apart(
                state.settings.store_path,
                saved,
                end_mark=end_mark,
                companions=companions,
                allow_large_change=allow_large_change,
                folder=folder,
            )
    refused = outcome.get("refused")
    if refused is not None:  # a bad file, the guard, an id twice: nothing was stored
        audit.note(request, f"list load refused: {refused['detail']}")
        if refused["status"] == 400:
            raise BadRequest(refused["detail"])
        raise ApiError(int(refused["status"]), refused["detail"])
    loads = [ListLoaded(**x) for x in outcome["loads"]]
    # the new version's index (built by the load's process) read while the current one
    # still serves; the same files again publish nothing new: the current index stays
    snapshot = state.build() if not state.ready else state.build_if_outdated() or state.snapshot
    audit.note(
        request,
        "lists loaded: "
        + "; ".join(
            f"{x.dataset} v{x.seq} "
            + ("unchanged" if x.unchanged else f"+{x.added} -{x.removed} ~{x.changed}")
            for x in loads
        ),
    )
    return ListsLoaded(
        loads=loads, entity_count=len(snapshot.entities), build_seconds=snapshot.build_seconds
    )
