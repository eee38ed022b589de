"""The service's route class: JSON bodies checked for text that is not text.

JSON may spell a UTF-16 surrogate alone (``"\\ud800"``); Python's ``json`` reads it into a
``str`` that no UTF-8 writer accepts, so a name holding one failed deep inside the
service (a 500). Every router uses ``CheckedRoute`` (``route_class=``): before FastAPI
reads a JSON body, a body that spells a surrogate is read once here and, when one stands
alone, refused with 422 naming the field (``body.queries.q.properties.name.0: ...``).
A surrogate pair (an emoji written as two escapes) is one character and passes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

#: A JSON escape of a surrogate code point (the only way one gets into a JSON text that
#: is valid UTF-8).
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE = "a lone UTF-16 surrogate ({}) is not a character; send the text as UTF-8"


def printable(text: str) -> str:
    """``text`` with every lone surrogate written as its escape (safe to send back)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


Loc = tuple[str | int, ...]


def surrogate_at(value: Any, at: Loc = ()) -> tuple[Loc, str] | None:
    """Where the first lone surrogate in a decoded JSON value is (the keys and indexes to
    it; a key holding one is named, escaped) and the surrogate's escape; None without."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return None if found is None else (at, printable(found.group()))
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and (found := _SURROGATE.search(key)) is not None:
                return (*at, printable(key)), printable(found.group())
            inner = surrogate_at(item, (*at, key))
            if inner is not None:
                return inner
    elif isinstance(value, list):
        for index, item in enumerate(value):
            inner = surrogate_at(item, (*at, index))
            if inner is not None:
                return inner
    return None


def surrogate_in_json(raw: str | bytes) -> tuple[Loc, str] | None:
    """Where a JSON text that orjson refused holds a lone surrogate (``surrogate_at``),
    when that is why; None when it is not valid JSON for another reason."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    return surrogate_at(data)


def dotted(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def check_text(data: Any, loc: Loc) -> None:
    """RequestValidationError naming the field when ``data`` holds a lone surrogate."""
    found = surrogate_at(data, loc)
    if found is not None:
        where, escape = found
        raise RequestValidationError(
            [{"type": "string_unicode", "loc": where, "msg": LONE_SURROGATE.format(escape)}]
        )


async def check_body(request: Request) -> None:
    """Refuse (422, naming the field) a JSON body holding a lone surrogate. Bodies that
    are not JSON, or not valid JSON, are left to FastAPI and the route."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        return  # FastAPI reads no other body as JSON (strict content types)
    body = await request.body()  # kept by the request: FastAPI reads it from there
    if _ESCAPED_SURROGATE.search(body) is None:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return
    check_text(data, ("body",))


class CheckedRoute(APIRoute):
    """An APIRoute whose JSON body is checked by ``check_body`` first."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            await check_body(request)
            return await handler(request)

        return checked
