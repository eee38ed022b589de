"""The app factory: one FastAPI app per store, routers registered, errors mapped."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from starlette.types import ASGIApp

import hermit
from hermit.api import errors, runtime
from hermit.api.auth import reader
from hermit.api.bounds import TimeLimitMiddleware
from hermit.api.headers import SecurityHeadersMiddleware
from hermit.api.jobs import JobManager
from hermit.api.keys import KeyRing
from hermit.api.limits import UPLOAD_PREFIXES, LimitsMiddleware
from hermit.api.routers import (
    admin,
    ais,
    compliance,
    entities,
    jobs,
    match,
    meta,
    network,
    reconcile,
    reports,
    resolve,
    search,
    suppressions,
)
from hermit.api.routers.lists import router as lists_router
from hermit.api.settings import ServiceSettings
from hermit.api.state import ServiceState
from hermit.api.watch import Watcher
from hermit.api.web import reports as web_reports
from hermit.api.web import router as web_router
from hermit.api.web.router import DOCS_STATIC
from hermit.api.wire import ErrorResponse
from hermit.store.sharing import sharing

log = logging.getLogger("hermit.api")

DESCRIPTION = """\
hermit screens people, companies and vessels against the UN and US sanctions lists on
North Korea. `/match` speaks OpenSanctions' yente API (a client written for yente works
unchanged); every result carries each feature's contribution and the reason for it.
"""


def create_app(
    settings: ServiceSettings, *, build_in_background: bool = True, job_mode: str = "thread"
) -> FastAPI:
    """An app serving the store at ``settings.store_path``. The screening index is built
    when the app starts (in the background unless told otherwise: /readyz says when).
    ``job_mode``: ``thread`` runs batch jobs in a thread of this process, ``client`` leaves
    them to a job process (hermit.api.job_process, as ``hermit serve`` runs them)."""
    state = ServiceState(settings)
    job_manager = JobManager(state, mode=job_mode, poll_s=sharing().poll_s)
    app: FastAPI

    def set_keys(ring: KeyRing) -> None:
        app.state.keys = ring

    watcher = Watcher(state, lambda: app.state.keys, set_keys, sharing().poll_s)

    before = gc.get_threshold()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if build_in_background:
            threading.Thread(target=_build, args=(state,), daemon=True).start()
            threading.Thread(target=ais.warm, args=(state,), daemon=True).start()
        else:
            _build(state)
        job_manager.start()
        watcher.start()
        try:
            yield
        finally:
            watcher.stop()
            job_manager.stop()
            state.close()
            runtime.unsettle(before)  # what _build froze can be collected again

    # the OpenAPI pages' assets from inside fastapi-offline (no CDN); the pages (/docs,
    # /redoc) are the web router's, with no inline script (hermit/api/headers.py)
    app = FastAPIOffline(
        title="hermit",
        version=hermit.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url=DOCS_STATIC,
        docs_url=None,
        redoc_url=None,
    )
    app.state.hermit = state
    app.state.jobs = job_manager
    with state.state() as db:
        app.state.keys = KeyRing.load(db)
    errors.install(app)
    # every route behind a key may answer 401 (no key, an unknown or a revoked key) and
    # 403 (a key whose role may not do this), and its 422 is hermit's error body (a
    # "detail" string, hermit.api.errors), not FastAPI's list: documented once here
    keyed: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorResponse},
        403: {"model": ErrorResponse},
        422: {"model": ErrorResponse},
    }
    app.include_router(meta.router)
    app.include_router(match.router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(search.router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(entities.router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(lists_router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(ais.router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(network.router, dependencies=[Depends(reader)], responses=keyed)
    app.include_router(web_router)
    app.include_router(web_reports.router)
    app.include_router(suppressions.router, responses=keyed)
    app.include_router(resolve.router, responses=keyed)
    app.include_router(admin.router, responses=keyed)
    app.include_router(reconcile.router, responses=keyed)
    app.include_router(jobs.router, responses=keyed)
    app.include_router(compliance.router, responses=keyed)
    app.include_router(reports.router, responses=keyed)
    # inside LimitsMiddleware (added after it), so a 503 for time is audited like any answer
    app.add_middleware(
        TimeLimitMiddleware,
        seconds=settings.max_request_seconds,
        upload_seconds=settings.max_upload_seconds,
        upload_prefixes=UPLOAD_PREFIXES,
    )
    app.add_middleware(LimitsMiddleware, state=state, keys=lambda: app.state.keys)
    _headers_outermost(app)
    return app


def _headers_outermost(app: FastAPI) -> None:
    """The security headers outside everything, Starlette's ServerErrorMiddleware
    included, so that a 500 carries them like any other answer (a middleware added with
    ``add_middleware`` sits inside that one: its 500s went out without them).
    fastapi-offline makes the app (a function, not a class to derive from), so the
    instance's own stack builder is wrapped."""
    build = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeadersMiddleware(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]


def _build(state: ServiceState) -> None:
    try:
        snapshot = state.build()
        # The index is about a million long-lived objects; a full collection over them
        # took 0.1 to 0.7 s here, stalling every request. Frozen, the collector skips them,
        # and it runs less often (resources/service.yaml).
        runtime.settle()
        log.info(
            "index ready: %d entities from %s in %.1f s",
            len(snapshot.entities),
            ", ".join(snapshot.datasets) or "no lists",
            snapshot.build_seconds,
        )
    except Exception:  # the service stays up and /readyz says it is not ready
        log.exception("building the screening index failed")
