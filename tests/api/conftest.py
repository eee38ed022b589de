"""The real service on a loopback port, over a copy of the session's real-lists store.

``launch`` starts one in a process of its own (tests/api/app_process.py: its memory is
given back when it stops; ``launch_in_process`` runs one in a thread, for the few tests
that need to reach into it). ``service`` is one shared instance (open reads, default
limits) for tests that do not change settings, kept while consecutive test modules use
it (tests/shared.py); ``start_service`` starts another with settings of a test's own
(each reads the persisted index of its store copy: seconds). Tests that write
(suppressions, jobs, keys) should use their own instance or undo what they did.
"""

from __future__ import annotations

import os
import pickle
import shutil
import socket
import subprocess
import sys
import tempfile
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
from tests.shared import shared
from tests.stores import copy_store

REPO = Path(__file__).resolve().parents[2]
READY_S = 600  # the index of a fresh copy: minutes on a busy machine


@dataclass
class Service:
    base_url: str
    store_path: Path
    settings: ServiceSettings
    #: the service's process (``launch``), or its server and thread (``launch_in_process``)
    proc: subprocess.Popen[bytes] | None = None
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    #: where ``launch`` keeps the settings it passed and the service's log
    workdir: Path | None = None

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=300, **kwargs)  # busy machines

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()  # uvicorn shuts down as on should_exit
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, alive: Callable[[], str | None]) -> None:
    """Until /readyz says the index is built; AssertionError when ``alive`` tells why
    the service cannot answer (it ended), RuntimeError after READY_S."""
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        ended = alive()
        if ended is not None:
            raise AssertionError(f"service on {base} ended: {ended}")
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"service on {base} not ready within {READY_S} s")


def launch(settings: ServiceSettings) -> Service:
    """Start a service in a process of its own and wait until /readyz says the index is
    built (AssertionError with its log if it ends first)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    folder = Path(tempfile.mkdtemp(prefix=f"hermit-service-{port}-"))
    recipe = folder / "settings.pickle"
    recipe.write_bytes(pickle.dumps(settings))
    log = folder / "service.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.api.app_process", str(recipe), str(port)],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    svc = Service(base, settings.store_path, settings, proc=proc, workdir=folder)

    def alive() -> str | None:
        if proc.poll() is None:
            return None
        return f"exit status {proc.returncode}: {log.read_text(errors='replace')[-4000:]}"

    try:
        _wait_ready(base, alive)
    except BaseException:
        svc.stop()
        raise
    return svc


def launch_in_process(settings: ServiceSettings) -> Service:
    """Start a service in a thread of this process (for a test that patches what the
    service runs) and wait until /readyz says the index is built."""
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
    svc = Service(base, settings.store_path, settings, server=server, thread=thread)
    try:
        _wait_ready(base, lambda: None if thread.is_alive() else "its thread ended")
    except BaseException:
        svc.stop()
        raise
    return svc


@pytest.fixture(scope="session")
def service_store(lists_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("service") / "store.duckdb"
    copy_store(lists_store, path)
    return path


@pytest.fixture(scope="module")
def service(service_store: Path) -> Service:
    """The shared service: real UN and OFAC lists, open reads (one process, kept while
    consecutive modules use it: tests/shared.py)."""
    return shared(
        "service", lambda: launch(ServiceSettings(store_path=service_store)), Service.stop
    )


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
