"""API keys: created, listed and revoked in the ``api_keys`` table of the store's state
database (hermit.store.state), checked in memory by a ``KeyRing``.

A key is ``hermit_`` and 32 random bytes (``secrets.token_urlsafe``), shown once when it
is made. The store keeps only its SHA-256. A plain (unsalted, fast) hash is enough here
because the secret is not a password: with 256 bits of entropy nobody can guess it or
invert its hash by trying candidates, so a slow salted hash (bcrypt, argon2) would only
slow every request. A stolen copy of the store therefore gives no usable key.

Revoking a key keeps its row (``revoked_at``, ``revoked_by``); nothing deletes one.
This module knows nothing of HTTP: the CLI (``hermit keys``) and the API share it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hermit.errors import HermitError
from hermit.store.state import StateDB, from_text, to_text

#: Roles in increasing power; each includes the ones before it.
ROLES = ("read", "write", "admin")
#: Every role a request can have, ranked (``anonymous``: no key).
RANK = {"anonymous": 0, "read": 1, "write": 2, "admin": 3}
PREFIX = "hermit_"


class ApiKeyError(HermitError):
    """A key cannot be created or revoked as asked."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """One key's record (never the key itself)."""

    id: str
    name: str
    role: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "revoked_at": None if self.revoked_at is None else self.revoked_at.isoformat(),
            "revoked_by": self.revoked_by,
        }


def hash_token(token: str) -> str:
    """The stored form of a key: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


_COLUMNS = "id, name, role, created_at, created_by, revoked_at, revoked_by"


def _row(row: tuple[Any, ...]) -> ApiKey:
    created = from_text(row[3])
    assert created is not None
    return ApiKey(row[0], row[1], row[2], created, row[4], from_text(row[5]), row[6])


def add(db: StateDB, name: str, role: str, *, by: str) -> tuple[ApiKey, str]:
    """Create a key named ``name`` with ``role``; returns its record and the key (the
    only time the key exists outside its holder's hands)."""
    name = " ".join(name.split())
    if not name:
        raise ApiKeyError("a key needs a name (who or what uses it)")
    if role not in ROLES:
        raise ApiKeyError(f"role {role!r}: must be one of {', '.join(ROLES)}")
    if not by.strip():
        raise ApiKeyError("say who creates the key")
    token = new_token()
    key = ApiKey(
        id="key-" + secrets.token_hex(4),
        name=name,
        role=role,
        created_at=datetime.now(UTC),
        created_by=by.strip(),
    )
    with db.transaction() as con:
        con.execute(
            f"INSERT INTO api_keys ({_COLUMNS}, hash) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?)",
            [
                key.id,
                key.name,
                key.role,
                to_text(key.created_at),
                key.created_by,
                hash_token(token),
            ],
        )
        db.bump("keys")
    return key, token


def listed(db: StateDB, *, include_revoked: bool = True) -> list[ApiKey]:
    """Every key's record, oldest first (without ``include_revoked``: active ones)."""
    where = "" if include_revoked else "WHERE revoked_at IS NULL "
    rows = db.con.execute(
        f"SELECT {_COLUMNS} FROM api_keys {where}ORDER BY created_at, id"
    ).fetchall()
    return [_row(r) for r in rows]


def revoke(db: StateDB, key_id: str, *, by: str) -> ApiKey:
    """Revoke a key (its row stays, marked revoked by ``by`` now); returns the record."""
    if not by.strip():
        raise ApiKeyError("say who revokes the key")
    with db.transaction() as con:
        found = con.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE id = ?", [key_id]).fetchone()
        if found is None:
            raise ApiKeyError(f"no key {key_id!r}")
        key = _row(found)
        if key.revoked_at is not None:
            raise ApiKeyError(f"key {key_id!r} was already revoked by {key.revoked_by}")
        when = datetime.now(UTC)
        con.execute(
            "UPDATE api_keys SET revoked_at = ?, revoked_by = ? "
            "WHERE id = ? AND revoked_at IS NULL",
            [to_text(when), by.strip(), key_id],
        )
        db.bump("keys")
    return ApiKey(key.id, key.name, key.role, key.created_at, key.created_by, when, by.strip())


class KeyRing:
    """Every key's hash and record, in memory, for checking a request's key without a
    store query. Replaced as a whole (``KeyRing.load``) whenever keys change."""

    def __init__(self, entries: list[tuple[str, ApiKey]]) -> None:
        self._entries = [(h.encode("ascii"), k) for h, k in entries]
        #: The state's ``keys`` revision the ring was read at (KeyRing.load).
        self.revision = -1

    @classmethod
    def load(cls, db: StateDB) -> KeyRing:
        # the revision first: a change made between the two reads leaves the ring
        # marked older than it is, so it is read again, never kept stale
        revision = db.revision("keys")
        rows = db.con.execute(f"SELECT hash, {_COLUMNS} FROM api_keys").fetchall()
        ring = cls([(r[0], _row(r[1:])) for r in rows])
        ring.revision = revision
        return ring

    def __len__(self) -> int:
        return len(self._entries)

    def verify(self, token: str) -> ApiKey | None:
        """The key's record (active or revoked) when ``token`` is a known key, else None.

        The token's hash is compared with every stored hash in constant time
        (``hmac.compare_digest``) and the loop never stops early, so the answer's timing
        says nothing about which hashes exist. Key counts are small (people and systems,
        not customers), so the loop costs microseconds."""
        digest = hash_token(token).encode("ascii")
        found: ApiKey | None = None
        for stored, key in self._entries:
            if hmac.compare_digest(stored, digest):
                found = key
        return found
