"""The real service on a loopback port, over a copy of the session's real-lists store.

``service`` is one shared instance (open reads, default limits) for tests that do not
change settings; ``start_service`` starts another with settings of a test's own (each
builds its own index: a few seconds). Tests that write (suppressions, jobs, keys) should
use their own instance or undo what they did.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from hermit.api import ServiceSettings, create_app
from tests.stores import copy_store


@dataclass
class Service:
    base_url: str
    store_path: Path
    settings: ServiceSettings
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=300, **kwargs)  # busy machines

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(settings: ServiceSettings) -> Service:
    """Start a service in a thread and wait until /readyz says the index is built."""
    port = _free_port()
    app = create_app(settings)
    # as hermit serve runs it: no forwarding header believed (hermit/api/proxies.py)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", proxy_headers=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # the index of a fresh copy: minutes on a busy machine
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return Service(base, settings.store_path, settings, server, thread)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.should_exit = True
    raise RuntimeError(f"service on {base} not ready within 600 s")


@pytest.fixture(scope="session")
def service_store(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("service") / "store.duckdb"
    copy_store(lists_store, path)
    return path


@pytest.fixture(scope="session")
def service(service_store: Path) -> Iterator[Service]:
    """The shared service: real UN and OFAC lists, open reads."""
    svc = launch(ServiceSettings(store_path=service_store))
    yield svc
    svc.stop()


@pytest.fixture()
def start_service(lists_store: Path, tmp_path: Path) -> Iterator[Callable[..., Service]]:
    """Start a service of the test's own (its own store copy); stopped afterwards."""
    started: list[Service] = []

    def start(**overrides: Any) -> Service:
        path = tmp_path / f"store{len(started)}.duckdb"
        copy_store(lists_store, path)
        settings = replace(ServiceSettings(store_path=path), **overrides)
        svc = launch(settings)
        started.append(svc)
        return svc

    yield start
    for svc in started:
        svc.stop()


@pytest.fixture(scope="module")
def keyed(
    lists_store: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[tuple[Service, dict[str, str]]]:
    """One keyed service per test module (tests/api/keyed.py): open reads, the keys."""
    from tests.api.keyed import launch_keyed

    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    svc, tokens = launch_keyed(lists_store, folder)
    yield svc, tokens
    svc.stop()
