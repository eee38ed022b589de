"""Bounds on what one connection or request may hold of the service (``service`` in
resources/limits.yaml; issue 11, "Bounded inputs").

- ``bounded_protocol``: uvicorn's HTTP/1.1 protocol on httptools (llhttp, in C) with two
  more bounds. A request line and headers over ``max_header_bytes`` are answered 431 and
  the connection closed (llhttp itself sets no limit). A request head that has not fully
  arrived ``header_seconds`` after the connection opened or the previous answer left
  closes the connection: uvicorn times out only an idle keep-alive connection, and any
  byte received resets that, so a client sending a byte a second held a connection for
  ever. And a response's head leaves in one write with the start of its body (one packet
  and one wake-up of the client instead of two). httptools rather than h11: h11 (pure
  Python) parsing requests and writing answers cost about a tenth of /match's time
  (BENCHMARKS.md, "/match with 1 and 2 worker processes").
- ``TimeLimitMiddleware``: a request that takes longer than its bound (reading its body
  included) is answered 503, and whatever the route sends later is dropped. The route's
  work is not interrupted (a thread cannot be), but every input is bounded (names,
  tokens, fields, queries per request), so it ends.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("hermit.api")

_HEAD_END = b"\r\n\r\n"


class HeadWithBody:
    """One response's view of its connection: the first write (the response head) is
    held until the next (the body's first part), the close, or the end of the event
    loop's turn, whichever comes first, so that head and body leave in one write."""

    __slots__ = ("_first", "_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held = b""
        self._first = True

    def write(self, data: bytes) -> None:
        if self._first:
            self._first = False
            self._held = data
            self._loop.call_soon(self.flush)
            return
        if self._held:
            data, self._held = self._held + data, b""
        self._transport.write(data)

    def flush(self) -> None:
        if self._held:
            held, self._held = self._held, b""
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def bounded_protocol(max_header_bytes: int, header_seconds: float) -> type[HttpToolsProtocol]:
    """HttpToolsProtocol bounded as the module says (a class, for uvicorn's ``http``)."""

    class BoundedProtocol(HttpToolsProtocol):
        _head_timer: asyncio.TimerHandle | None = None
        #: The current request's body is being read (its head is in).
        _in_body = False
        #: Bytes of the current request head received so far, and its last three (a
        #: head's end may be split between two reads).
        _head_bytes = 0
        _tail = b""
        #: Request heads read to their end on this connection.
        _heads = 0

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            in_head = not self._in_body
            if in_head and self._head_too_large(data):
                self._refuse_head()
                return
            heads = self._heads
            super().data_received(data)
            if in_head and self._heads == heads:  # the same head, still not all in
                self._head_bytes += len(data)
                self._tail = (self._tail + data)[-3:]

        def on_headers_complete(self) -> None:
            self._heads += 1
            self._in_body = True
            self._head_bytes, self._tail = 0, b""
            self._disarm()  # the head is in: the request's own time bound applies
            super().on_headers_complete()
            if self.cycle is not None:
                self.cycle.transport = HeadWithBody(self.transport, self.loop)  # type: ignore[assignment]

        def on_message_complete(self) -> None:
            self._in_body = False
            super().on_message_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()  # the next request's head, on a kept-alive connection

        def _head_too_large(self, data: bytes) -> bool:
            if self._head_bytes + len(data) <= max_header_bytes:
                return False
            window = self._tail + data
            end = window.find(_HEAD_END)
            if end < 0:
                return True
            return self._head_bytes - len(self._tail) + end > max_header_bytes

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

        def _waiting_for_head(self) -> bool:
            return not self._in_body and (self.cycle is None or self.cycle.response_complete)

        def _arm(self) -> None:
            self._disarm()
            self._head_timer = self.loop.call_later(header_seconds, self._head_late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_late(self) -> None:
            self._head_timer = None
            if self._waiting_for_head() and not self.transport.is_closing():
                if self._head_bytes:
                    log.warning(
                        "closed a connection from %s: its request head had not arrived after %s s",
                        self.client,
                        header_seconds,
                    )
                self.transport.close()

    return BoundedProtocol


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
