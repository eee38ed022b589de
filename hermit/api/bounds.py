"""Bounds on what one connection or request may hold of the service (``service`` in
resources/limits.yaml; issue 11, "Bounded inputs").

- ``bounded_protocol``: uvicorn's HTTP/1.1 protocol (h11) with two more bounds. A
  request line and headers over ``max_header_bytes`` are answered 431 and the connection
  closed (h11's own limit answers 400). A request head that has not fully arrived
  ``header_seconds`` after the connection opened or the previous answer left closes the
  connection: uvicorn times out only an idle keep-alive connection, and any byte
  received resets that, so a client sending a byte a second held a connection for ever.
- ``TimeLimitMiddleware``: a request that takes longer than its bound (reading its body
  included) is answered 503, and whatever the route sends later is dropped. The route's
  work is not interrupted (a thread cannot be), but every input is bounded (names,
  tokens, fields, queries per request), so it ends.
"""

from __future__ import annotations

import asyncio
import json
import logging

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("hermit.api")

_HEAD_END = b"\r\n\r\n"


def bounded_protocol(max_header_bytes: int, header_seconds: float) -> type[H11Protocol]:
    """H11Protocol bounded as the module says (a class, for uvicorn's ``http``)."""

    class BoundedH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE and self._head_too_large(data):
                self._refuse_head()
                return
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm()  # the head is in: the request's own time bound applies

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request's head, on a kept-alive connection

        def _head_too_large(self, data: bytes) -> bool:
            buffered = self.conn.trailing_data[0]
            if len(buffered) + len(data) <= max_header_bytes:
                return False
            head = bytes(buffered) + data
            return _HEAD_END not in head[: max_header_bytes + len(_HEAD_END)]

        def _refuse_head(self) -> None:
            body = (
                f"request line and headers too large: at most {max_header_bytes} bytes\n"
            ).encode()
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: text/plain; charset=utf-8\r\n"
                + f"content-length: {len(body)}\r\n".encode()
                + b"connection: close\r\n\r\n"
                + body
            )
            self._disarm()
            self.transport.close()

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_seconds, self._head_late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_late(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                if self.conn.trailing_data[0]:
                    log.warning(
                        "closed a connection from %s: its request head had not arrived after %s s",
                        self.client,
                        header_seconds,
                    )
                self.transport.close()

    return BoundedH11Protocol


class TimeLimitMiddleware:
    """A request taking longer than ``seconds`` (``upload_seconds`` under
    ``upload_prefixes``) is answered 503, unless its answer has begun."""

    def __init__(
        self,
        app: ASGIApp,
        seconds: float,
        upload_seconds: float,
        upload_prefixes: tuple[str, ...],
    ) -> None:
        self.app = app
        self.seconds = seconds
        self.upload_seconds = upload_seconds
        self.upload_prefixes = upload_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        upload = path.startswith(self.upload_prefixes)
        limit = self.upload_seconds if upload else self.seconds
        key = "max_upload_seconds" if upload else "max_request_seconds"
        started = timed_out = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if timed_out:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        done, _ = await asyncio.wait({task}, timeout=limit)
        if task in done:
            task.result()
            return
        timed_out = True
        task.add_done_callback(_forget)
        task.cancel()  # a route waiting on a thread ends when the thread does
        if started:
            return  # the answer has begun: the connection ends with it cut short
        detail = f"the request took longer than {limit:g} s (the service's {key})"
        body = json.dumps({"detail": detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 503,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})


def _forget(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("a request that ran out of time then failed: %r", task.exception())
