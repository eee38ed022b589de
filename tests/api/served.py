"""A real ``hermit serve`` in a subprocess, as an operator starts it, for the tests that
need the whole program (proxies, bounds, the CLI beside the service)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``hermit --store STORE serve ARGS`` on a free port, with only ``env`` (and PATH) in
    its environment, waited for until /readyz answers (at most ``ready_s``)."""

    def __init__(
        self,
        store: Path,
        *args: str,
        env: dict[str, str] | None = None,
        ready_s: float = 600,
        stop_s: float = 60,
        keep_stdout: bool = True,
    ) -> None:
        self.port = free_port()
        self.stop_s = stop_s
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "hermit", "--store", str(store), "serve"),
                *("--port", str(self.port), "--log-level", "warning", *args),
            ],
            env={"PATH": "/usr/bin:/bin", **(env or {})},
            stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + ready_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"hermit serve ended: {self.proc.communicate()}")
            try:
                if httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"hermit serve not ready within {ready_s:.0f} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=self.stop_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
