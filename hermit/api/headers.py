"""Security headers on every response, in one pure ASGI middleware.

The web pages keep an API key in the browser tab, so a script that gets into a page
could send it anywhere: a page runs only the scripts the service itself serves (no
inline script, no inline event handler, no ``eval``), loads nothing from elsewhere and
cannot be framed. The pages put every value they show into the page as text (never as
HTML), and the policy is there for whatever slips past that.

The policies are in ``resources/headers.yaml`` (reviewed there, directive by directive):

- hermit's pages (``/``, ``/ui/...``): ``PAGE_POLICY``; their favicon is a ``data:``
  address and their styles are the service's stylesheet.
- the OpenAPI pages (``/docs``, ``/redoc``): served by ``hermit.api.web.router`` with
  Swagger UI's start-up code in a file of its own (``docs.js``), under the pages' policy;
  ReDoc writes ``<style>`` elements from its script, so ``/redoc`` alone allows inline
  styles (never inline scripts). ReDoc's footer logo is on redoc.ly's server: refused.
- OpenRefine's preview card (``/reconcile/{dataset}/preview``): shown by OpenRefine in a
  frame, so it may be framed; it runs no script at all.
- everything else (JSON, files, assets): nothing may run or be framed.

Every response also says ``X-Content-Type-Options: nosniff`` (a browser never reads a
JSON answer or an upload's result as a page or script) and ``Referrer-Policy:
no-referrer`` (a page's address, which holds the query, is not sent on).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@cache
def policies() -> dict[str, str]:
    """Each policy of ``resources/headers.yaml`` by name, as the header's value."""
    path = resources.files("hermit") / "resources" / "headers.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {name: "; ".join(directives) for name, directives in data["policies"].items()}


PAGE_POLICY = policies()["page"]
SWAGGER_POLICY = policies()["swagger"]
REDOC_POLICY = policies()["redoc"]
PREVIEW_POLICY = policies()["preview"]
OTHER_POLICY = policies()["other"]
_PREVIEW = re.compile(r"^/reconcile/[^/]+/preview$")


def policy_of(path: str) -> tuple[str, bool]:
    """The Content-Security-Policy for a path, and whether it may be framed."""
    if path == "/" or (path.startswith("/ui/") and not path.startswith("/ui/static/")):
        return PAGE_POLICY, False
    if path == "/docs":
        return SWAGGER_POLICY, False
    if path == "/redoc":
        return REDOC_POLICY, False
    if _PREVIEW.match(path):
        return PREVIEW_POLICY, True
    return OTHER_POLICY, False


class SecurityHeadersMiddleware:
    """Adds the headers of this module's docstring to every HTTP response (a header a
    route set itself is left as it is)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy, framed = policy_of(scope["path"])
        extra = [
            (b"content-security-policy", policy.encode("ascii")),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
        ]
        if not framed:
            extra.append((b"x-frame-options", b"DENY"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
