"""Request limits and the audit log, in one pure ASGI middleware.

For every HTTP request, before the app sees it:

- who is asking (``auth.resolve``: the Principal is kept in the scope for the routes);
- the rate limit: ``rate_per_minute`` requests per client (its key's id, else its
  address) as a token bucket that holds a minute's worth and refills continuously;
  over it -> 429 with ``Retry-After`` (seconds until a request is allowed again).
  The buckets are shared by the service's worker processes (hermit.api.rates: a
  SQLite file beside the store), so ``--workers 2`` does not double a client's limit.
  ``/healthz`` and ``/readyz`` are not counted; 0 turns the limit off;
- the body size: ``max_body_bytes``, or ``max_upload_bytes`` for the file uploads
  (``UPLOAD_PREFIXES``). A declared ``Content-Length`` over it is refused at once with
  413; the body is also counted as it streams, so a chunked body without a length is
  cut off with the same 413 the moment it passes the limit.

And for every request that writes (``audit.is_write``), the audit entry: who, what,
the status and the route's summary, written before the response's first byte leaves,
so a client never sees the answer to a write that is not in the log. Refusals by this
middleware (413, 429) and by the routes (401, 403, 4xx) are logged the same way, and so
are the refused reads of ``/admin...`` and ``/jobs...`` (``audit.is_audited``).

It is plain ASGI (not BaseHTTPMiddleware) so that reads pay a few dictionary operations
and no extra task or thread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hermit.api import audit
from hermit.api.auth import ANONYMOUS, Principal, resolve
from hermit.api.keys import KeyRing
from hermit.api.rates import RateLimiter, rates_path
from hermit.api.state import ServiceState

#: Paths (prefixes) that take file uploads, bounded by ``max_upload_bytes``.
UPLOAD_PREFIXES = ("/jobs", "/admin/lists", "/compliance", "/reports/compliance")
#: Paths never rate limited (probes).
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large(limit))


def too_large(limit: int) -> str:
    return f"request body too large: at most {limit} bytes here"


def _json(status: int, detail: str, headers: dict[str, str] | None = None) -> list[Message]:
    body = json.dumps({"detail": detail}).encode("utf-8")
    raw = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
    ]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return [
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body, "more_body": False},
    ]


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class LimitsMiddleware:
    """See the module's docstring. ``keys`` gives the current KeyRing (it is replaced
    when keys change)."""

    def __init__(self, app: ASGIApp, state: ServiceState, keys: Callable[[], KeyRing]) -> None:
        self.app = app
        self.state = state
        self.keys = keys
        settings = state.settings
        self.limiter = (
            RateLimiter(settings.rate_per_minute, rates_path(settings.store_path))
            if settings.rate_per_minute > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        method: str = scope["method"]
        who = resolve(scope, self.keys())
        principal = who if isinstance(who, Principal) else ANONYMOUS
        client = scope.get("client")
        address = None if client is None else str(client[0])
        notes = audit.Notes()
        if audit.is_write(method, path) or audit.is_guarded_read(method, path):
            scope[audit.SCOPE_KEY] = notes

        async def log(status: int) -> None:
            if not audit.is_audited(method, path, status):
                return
            summary = notes.text
            if summary is None and not isinstance(who, Principal):
                summary = f"refused key: {who.detail}"
            await anyio.to_thread.run_sync(
                self._record, principal, method, path, scope, status, address, summary
            )

        # the rate limit
        if self.limiter is not None and path not in UNLIMITED_PATHS:
            bucket = principal.key_id or f"addr:{address}"
            wait_s = self.limiter.take(bucket)
            if wait_s is not None:
                retry = str(max(1, math.ceil(wait_s)))
                notes.parts.append(f"refused: over {self.limiter.capacity:.0f} requests/minute")
                await log(429)
                for message in _json(
                    429,
                    f"too many requests: at most {self.limiter.capacity:.0f} a minute; "
                    f"retry after {retry} s",
                    {"Retry-After": retry},
                ):
                    await send(message)
                return

        # the body size, as declared
        settings = self.state.settings
        limit = (
            settings.max_upload_bytes
            if path.startswith(UPLOAD_PREFIXES)
            else settings.max_body_bytes
        )
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            notes.parts.append(f"refused: body of {declared} bytes, limit {limit}")
            await log(413)
            for message in _json(413, too_large(limit), {"Connection": "close"}):
                await send(message)
            return

        # the body size, as it streams; the audit entry before the response
        seen = 0
        overflow = False
        started = False
        replaced = False

        async def limited_receive() -> Message:
            nonlocal seen, overflow
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    overflow = True
                    raise BodyTooLarge(limit)
            return message

        async def checked_send(message: Message) -> None:
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                if overflow and message["status"] != 413:
                    replaced = True  # the app answered otherwise: ours is sent instead
                    return
                started = True
                if overflow:
                    notes.parts.append(f"refused: body over {limit} bytes")
                await log(int(message["status"]))
            elif replaced:
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, checked_send)
        except BaseException:
            if not started:  # the error middleware outside answers 500
                await log(500)
            raise
        if overflow and not started:
            notes.parts.append(f"refused: body over {limit} bytes")
            await log(413)
            for message in _json(413, too_large(limit), {"Connection": "close"}):
                await send(message)

    def _record(
        self,
        who: Principal,
        method: str,
        path: str,
        scope: Scope,
        status: int,
        address: str | None,
        summary: str | None,
    ) -> None:
        query = scope.get("query_string", b"").decode("latin-1")
        with self.state.state() as db:
            audit.record(
                db,
                key_id=who.key_id,
                key_name=who.name,
                role=who.role,
                method=method,
                path=path,
                query=query,
                status=status,
                client=address,
                summary=summary,
            )
