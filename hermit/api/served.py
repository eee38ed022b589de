"""The app as ``hermit serve`` runs it in several worker processes: uvicorn imports
``app`` in each (``factory=True``), with the settings passed in ``$HERMIT_SERVE_SETTINGS``
(JSON). Jobs run in their own process (hermit.api.job_process), not in the workers."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from hermit.api.settings import ServiceSettings

ENV = "HERMIT_SERVE_SETTINGS"
_PATHS = ("store_path", "jobs_dir")


def settings_to_json(settings: ServiceSettings) -> str:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        values[f.name] = str(value) if isinstance(value, Path) else value
    return json.dumps(values)


def settings_from_json(text: str) -> ServiceSettings:
    values = json.loads(text)
    for name in _PATHS:
        if values.get(name) is not None:
            values[name] = Path(values[name])
    return ServiceSettings(**values)


def _bounded_protocol() -> type[Any]:
    from hermit.api.bounds import bounded_protocol
    from hermit.limits import service_limits

    bounds = service_limits()
    return bounded_protocol(bounds.max_header_bytes, bounds.header_seconds)


#: uvicorn's ``http`` in each worker (named by import string: a worker process is
#: spawned, and the class is made here, not pickled): request heads bounded as
#: hermit/api/bounds.py says.
BoundedProtocol = _bounded_protocol()


def app() -> FastAPI:
    from hermit.api.app import create_app

    # the index read before the worker accepts a connection: the others answer meanwhile
    settings = settings_from_json(os.environ[ENV])
    return create_app(settings, build_in_background=False, job_mode="client")
