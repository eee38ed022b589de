"""Who is asking: the request's API key, checked against the service's KeyRing.

A key is sent as ``Authorization: ApiKey <key>`` (yente and OpenSanctions' style),
``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Roles rank
``read < write < admin``; a request without a key is ``anonymous``. Routers declare what
they need with a dependency: ``reader`` (anonymous allowed when the service has open
reads), ``writer``, ``admin``. A key that is sent must be valid even where none is
needed: a wrong or revoked key is refused rather than silently read as anonymous.

The dependencies are ``async`` so that checking a key costs no trip through the thread
pool (they do no I/O: the KeyRing is in memory). The Principal is worked out once per
request (the limits middleware needs it first, for the rate limit and the audit log) and
kept in the ASGI scope.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from hermit.api.errors import ApiError
from hermit.api.keys import RANK, KeyRing

#: Where the Principal (or the reason there is none) is kept in a request's scope.
SCOPE_KEY = "hermit.principal"
CHALLENGE = {"WWW-Authenticate": 'ApiKey realm="hermit"'}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who made a request."""

    key_id: str | None  # None for anonymous
    name: str  # the key's name ("alice"), "anonymous" when no key
    role: str  # "anonymous" | "read" | "write" | "admin"

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


ANONYMOUS = Principal(None, "anonymous", "anonymous")


@dataclass(frozen=True, slots=True)
class Refusal:
    """A key was sent and is not valid: why (said in the 401)."""

    detail: str


def token_of(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The key a request sends, from raw ASGI headers; None without one. An
    Authorization header of another scheme (Basic ...) is not a key."""
    for name, value in headers:
        if name == b"authorization":
            scheme, _, rest = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() in ("apikey", "bearer") and rest.strip():
                return rest.strip()
        elif name == b"x-api-key":
            text = value.decode("latin-1").strip()
            if text:
                return text
    return None


def identify(keys: KeyRing, headers: Iterable[tuple[bytes, bytes]]) -> Principal | Refusal:
    """The Principal for a request's headers, or why its key is refused."""
    token = token_of(headers)
    if token is None:
        return ANONYMOUS
    key = keys.verify(token)
    if key is None:
        return Refusal("unknown API key")
    if key.revoked_at is not None:
        return Refusal(f"API key {key.id} ({key.name}) was revoked")
    return Principal(key.id, key.name, key.role)


def resolve(scope: MutableMapping[str, Any], keys: KeyRing) -> Principal | Refusal:
    """``identify`` once per request: the answer is kept in the scope."""
    found = scope.get(SCOPE_KEY)
    if isinstance(found, Principal | Refusal):
        return found
    result = identify(keys, scope.get("headers", ()))
    scope[SCOPE_KEY] = result
    return result


def keyring(request: Request) -> KeyRing:
    keys = request.app.state.keys
    assert isinstance(keys, KeyRing)
    return keys


def _require(request: Request, role: str, anonymous_ok: bool) -> Principal:
    who = resolve(request.scope, keyring(request))
    if isinstance(who, Refusal):
        raise ApiError(401, who.detail, CHALLENGE)
    if who.role == "anonymous":
        if anonymous_ok:
            return who
        raise ApiError(
            401,
            f"an API key with the {role} role is needed (send Authorization: ApiKey <key>)",
            CHALLENGE,
        )
    if not who.can(role):
        raise ApiError(
            403, f"API key {who.key_id} ({who.name}) has the {who.role} role; {role} is needed"
        )
    return who


async def reader(request: Request) -> Principal:
    """Reads: anyone when the service has open reads, else a key with the read role."""
    return _require(request, "read", request.app.state.hermit.settings.open_reads)


async def writer(request: Request) -> Principal:
    """Writes: a key with the write or admin role (401 without a valid key, 403 when
    the key's role is too low)."""
    return _require(request, "write", False)


async def admin(request: Request) -> Principal:
    """Administration (keys, the audit log): a key with the admin role."""
    return _require(request, "admin", False)
