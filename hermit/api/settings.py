"""How a service runs: its store, who may read, and its limits. Read from the command
line (``hermit serve``) or the environment (``HERMIT_*``), documented in the README."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from hermit.errors import HermitError
from hermit.limits import service_limits


class SettingsError(HermitError):
    """A service setting has a value it cannot use."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"${name}: {raw!r} is not a whole number") from None


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"${name}: {raw!r} is not true or false")


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """Everything a service needs to start.

    ``open_reads``: read endpoints (match, search, entities, catalog, the web pages) need
    no key; when false they need a key with the ``read`` role or higher. Writes always
    need a key. ``max_body_bytes`` bounds a JSON request, ``max_upload_bytes`` a batch
    file; ``rate_per_minute`` is the requests one client (key, else address) may make in
    a minute (0: no limit). ``max_batch`` bounds the queries of one /match request;
    ``max_request_seconds`` (``max_upload_seconds`` for uploads) the time of a request,
    503 past it (defaults in resources/limits.yaml, ``service``).
    """

    store_path: Path
    open_reads: bool = True
    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 200 * 1024 * 1024
    rate_per_minute: int = 6000
    max_batch: int = 100
    jobs_dir: Path | None = None
    max_request_seconds: int = field(default_factory=lambda: service_limits().max_request_seconds)
    max_upload_seconds: int = field(default_factory=lambda: service_limits().max_upload_seconds)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def job_root(self) -> Path:
        """Where batch jobs keep their input and result files."""
        if self.jobs_dir is not None:
            return self.jobs_dir
        return self.store_path.parent / f"{self.store_path.stem}.jobs"

    @classmethod
    def from_env(cls, store_path: Path) -> ServiceSettings:
        return cls(
            store_path=store_path,
            open_reads=_env_bool("HERMIT_OPEN_READS", True),
            max_body_bytes=_env_int("HERMIT_MAX_BODY_BYTES", 2 * 1024 * 1024),
            max_upload_bytes=_env_int("HERMIT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024),
            rate_per_minute=_env_int("HERMIT_RATE_PER_MINUTE", 6000),
            max_batch=_env_int("HERMIT_MAX_BATCH", 100),
            max_request_seconds=_env_int(
                "HERMIT_MAX_REQUEST_SECONDS", service_limits().max_request_seconds
            ),
            max_upload_seconds=_env_int(
                "HERMIT_MAX_UPLOAD_SECONDS", service_limits().max_upload_seconds
            ),
        )
