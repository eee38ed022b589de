"""The audit log: one row per request that writes, accepted or refused, and per refused
read of the administration and job endpoints.

Rows go to the ``audit_log`` table of the store's state database (hermit.store.state;
``seq`` an autoincrement key, so entries are ordered even within one clock tick, and
across the service's processes). The log is append-only: this module, the only code
that touches the table, offers ``record`` (an INSERT) and ``listed`` (a SELECT) and
nothing that updates or deletes a row. The limits middleware writes the entries (so no
route can forget one); a route adds what it did in words with ``note(request, text)``.

Which requests write: every method but GET, HEAD and OPTIONS, except the reads that
take their query as a POST body (``READS_BY_POST``: ``/match/...`` and
``/reconcile...``), which are neither audited nor counted as writes.

Reads are not audited, except a refused one (status 400 or more: no key, a key of too
low a role, another key's job) of the endpoints that hold what only some may see
(``GUARDED_READS``: ``/admin...`` and ``/jobs...``): someone probing for keys, the log or
another key's screened customers leaves a trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Request

from hermit.store.state import StateDB, from_text, to_text

#: Where the summary of a request's write is kept in its ASGI scope (a ``Notes``).
SCOPE_KEY = "hermit.audit"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: POST paths that are reads: matching and reconciliation queries (each path and
#: everything under it).
READS_BY_POST = ("/match", "/reconcile")
#: Paths (each and everything under it) whose refused reads are audited.
GUARDED_READS = ("/admin", "/jobs")
READ_METHODS = frozenset({"GET", "HEAD"})
SUMMARY_MAX = 2000


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == p or path.startswith(p + "/") for p in prefixes)


def is_write(method: str, path: str) -> bool:
    """Whether a request writes (and so is audited)."""
    if method in SAFE_METHODS:
        return False
    if method != "POST":
        return True
    return not _under(path, READS_BY_POST)


def is_guarded_read(method: str, path: str) -> bool:
    """Whether a request reads an endpoint whose refusals are audited (``GUARDED_READS``)."""
    return method in READ_METHODS and _under(path, GUARDED_READS)


def is_audited(method: str, path: str, status: int) -> bool:
    """Whether a request that was answered ``status`` goes into the log."""
    return is_write(method, path) or (status >= 400 and is_guarded_read(method, path))


class Notes:
    """What a route says it did; joined with "; " into the entry's summary."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    @property
    def text(self) -> str | None:
        if not self.parts:
            return None
        joined = "; ".join(self.parts)
        return joined if len(joined) <= SUMMARY_MAX else joined[: SUMMARY_MAX - 3] + "..."


def note(request: Request, text: str) -> None:
    """Add ``text`` ("suppression added: ofac-12211 / name 'Kim Yong Chol'") to the
    request's audit entry (nothing happens for requests that are not audited)."""
    notes = request.scope.get(SCOPE_KEY)
    if isinstance(notes, Notes):
        notes.parts.append(text)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime  # UTC
    key_id: str | None
    key_name: str
    role: str
    method: str
    path: str
    query: str
    status: int
    client: str | None
    summary: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "key_id": self.key_id,
            "key_name": self.key_name,
            "role": self.role,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "client": self.client,
            "summary": self.summary,
        }


_COLUMNS = "logged_at, key_id, key_name, role, method, path, query, status, client, summary"


def record(
    db: StateDB,
    *,
    key_id: str | None,
    key_name: str,
    role: str,
    method: str,
    path: str,
    query: str,
    status: int,
    client: str | None,
    summary: str | None,
    at: datetime | None = None,
) -> None:
    """Append one entry."""
    when = to_text((at or datetime.now(UTC)).astimezone(UTC))
    db.con.execute(
        f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [when, key_id, key_name, role, method, path, query, status, client, summary],
    )


def listed(db: StateDB, *, limit: int = 100, before: int | None = None) -> list[AuditEntry]:
    """Entries newest first: at most ``limit``, those with ``seq`` below ``before``
    when given (the next page starts before the last ``seq`` of this one)."""
    where, params = ("WHERE seq < ? ", [before]) if before is not None else ("", [])
    rows = db.con.execute(
        f"SELECT seq, {_COLUMNS} FROM audit_log {where}ORDER BY seq DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [
        AuditEntry(
            seq=r[0],
            at=_at(r[1]),
            key_id=r[2],
            key_name=r[3],
            role=r[4],
            method=r[5],
            path=r[6],
            query=r[7],
            status=r[8],
            client=r[9],
            summary=r[10],
        )
        for r in rows
    ]


def _at(text: str) -> datetime:
    found = from_text(text)
    assert found is not None
    return found


def count(db: StateDB) -> int:
    found = db.con.execute("SELECT count(*) FROM audit_log").fetchone()
    return 0 if found is None else int(found[0])
