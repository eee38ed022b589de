"""The web pages: Jinja2 renders each page's shell, the page's script fills it from the
JSON endpoints any client uses. Assets are files of this package (no CDN): a page works
with no network beyond the service itself.

The pages need no key to load, even when reads are keyed: a page asks for a key when an
endpoint it calls refuses it (401), and keeps it for the browser tab.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

import hermit
from hermit.api.deps import get_state
from hermit.api.errors import NotFound
from hermit.api.routing import CheckedRoute
from hermit.api.state import ServiceState
from hermit.screening.scorer import REPORT_FLOOR

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
#: Pages in the top bar: address, label, key.
NAV = (
    ("/", "Search", "search"),
    ("/ui/batch", "Batch", "batch"),
    ("/ui/lists", "Lists", "lists"),
    ("/ui/ais", "AIS map", "ais"),
    ("/ui/network", "Network", "network"),
    ("/ui/compliance", "Compliance", "compliance"),
    ("/ui/reports", "Reports", "reports"),
)
MEDIA_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".json": "application/json",  # data a page draws (the AIS map's coastline)
}
#: Where the app serves fastapi-offline's Swagger UI and ReDoc files (no CDN).
DOCS_STATIC = "/docs-static"
ASSET_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.(css|js|svg|json)$")
#: Libraries vendored from npm, each beside its licence (``<name>.LICENSE``) and named
#: ``vendor/<file>`` in ``static``.
VENDOR = "vendor"

router = APIRouter(include_in_schema=False, route_class=CheckedRoute)


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def asset_version() -> str:
    """A digest of every static file: asset addresses change when an asset does, so a
    browser may keep them for long."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/ui/static/{name}?v={asset_version()}"


def page(state: ServiceState, template: str, active: str, title: str, **extra: Any) -> HTMLResponse:
    html = (
        environment()
        .get_template(template)
        .render(
            title=title,
            active=active,
            nav=NAV,
            open_reads=state.settings.open_reads,
            version=hermit.__version__,
            static=static_url,
            **extra,
        )
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


State = Annotated[ServiceState, Depends(get_state)]


@router.get("/", response_class=HTMLResponse)
@router.get("/ui/search", response_class=HTMLResponse)
def search_page(state: State) -> HTMLResponse:
    """Screen a name (with date of birth, nationality, kind) and read why each hit scored."""
    return page(state, "search.html", "search", "Search", report_floor=REPORT_FLOOR)


@router.get("/ui/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(entity_id: str, state: State) -> HTMLResponse:
    """One listed entity: names, identifiers, programs, versions, provenance, links."""
    return page(state, "entity.html", "", entity_id, entity_id=entity_id)


@router.get("/ui/batch", response_class=HTMLResponse)
def batch_page(state: State) -> HTMLResponse:
    """Upload a file of queries as a job, follow it, download its results."""
    return page(state, "batch.html", "batch", "Batch screening")


@router.get("/ui/lists", response_class=HTMLResponse)
def lists_page(state: State) -> HTMLResponse:
    """The loaded lists, their versions and what each version changed."""
    return page(state, "lists.html", "lists", "Lists")


@router.get("/ui/ais", response_class=HTMLResponse)
def ais_page(state: State, vessel: str = "") -> HTMLResponse:
    """A vessel's AIS track on a map with its port calls, gaps and encounters; an
    encounter's two tracks side by side in time."""
    return page(state, "ais.html", "ais", "AIS map", vessel=vessel[:40])


@router.get("/ui/network", response_class=HTMLResponse)
@router.get("/ui/network/{entity_id}", response_class=HTMLResponse)
def network_page(state: State, entity_id: str = "") -> HTMLResponse:
    """An entity's neighbourhood in the registry network, drawn: its paths to listed
    parties highlighted, each edge opening its source record (network.js)."""
    return page(state, "network.html", "network", entity_id or "Network", entity_id=entity_id)


@router.get("/ui/resolve", response_class=HTMLResponse)
@router.get("/ui/resolve/{entity_id}", response_class=HTMLResponse)
def resolve_page(state: State, entity_id: str = "") -> HTMLResponse:
    """A resolved entity: its records side by side, each link's evidence, and buttons
    that judge a link (resolve.js, POST /resolve/judgements)."""
    title = entity_id[:200] or "Resolved entity"
    return page(state, "resolve.html", "", title, entity_id=entity_id[:500])


@router.get("/ui/compliance", response_class=HTMLResponse)
def compliance_page(state: State) -> HTMLResponse:
    """Labour records checked: violations by rule, region and month, each with its records."""
    return page(state, "compliance.html", "compliance", "Compliance")


def docs_page(request: Request, kind: str, label: str) -> HTMLResponse:
    """The OpenAPI page (``kind`` swagger or redoc) over fastapi-offline's assets, which
    the app serves at ``DOCS_STATIC``; Swagger UI starts from ``docs.js``."""
    root = request.scope.get("root_path", "")
    html = (
        environment()
        .get_template("docs.html")
        .render(
            title=f"{request.app.title} - {label}",
            kind=kind,
            openapi_url=f"{root}{request.app.openapi_url}",
            docs_static=f"{root}{DOCS_STATIC}",
            static=static_url,
        )
    )
    return HTMLResponse(html)


@router.get("/docs", response_class=HTMLResponse)
def swagger_page(request: Request) -> HTMLResponse:
    """The API documentation, with requests that can be tried (Swagger UI)."""
    return docs_page(request, "swagger", "Swagger UI")


@router.get("/redoc", response_class=HTMLResponse)
def redoc_page(request: Request) -> HTMLResponse:
    """The API documentation as one long page (ReDoc)."""
    return docs_page(request, "redoc", "ReDoc")


def _asset(folder: Path, name: str, request: Request) -> FileResponse:
    path = folder / name
    if ASSET_NAME.match(name) is None or not path.is_file():
        raise NotFound(f"no asset {name!r}")
    versioned = request.query_params.get("v") == asset_version()
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={
            "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache"
        },
    )


@router.api_route("/ui/static/{name}", methods=["GET", "HEAD"])
def static_file(name: str, request: Request) -> FileResponse:
    """An asset of hermit's; cached for a year when asked for at its current version."""
    return _asset(STATIC, name, request)


@router.api_route("/ui/static/vendor/{name}", methods=["GET", "HEAD"])
def vendor_file(name: str, request: Request) -> FileResponse:
    """A library vendored from npm (``static/vendor``), cached like hermit's own."""
    return _asset(STATIC / VENDOR, name, request)
