"""Services with API keys, for the access, audit, suppression, list and job tests.

``keyed_store`` copies the real-lists store and adds keys as ``hermit keys add`` would
(ada admin, wes write, rita read, rex read and revoked); ``launch_keyed`` starts a
service over it. The ``keyed`` fixture (conftest) is one such service per test module.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from hermit.api import ServiceSettings
from hermit.api import keys as api_keys
from hermit.store import Store
from tests.api.conftest import Service, launch
from tests.stores import copy_store

KEYS = (("ada", "admin"), ("wes", "write"), ("rita", "read"), ("rex", "read"))
REVOKED = ("rex",)
MATCH_BODY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Yong Chol"]}}}}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"ApiKey {token}"}


def keyed_store(lists_store: Path, folder: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the real-lists store holding the keys of KEYS; each key by name."""
    path = folder / "store.duckdb"
    copy_store(lists_store, path)
    tokens: dict[str, str] = {}
    with Store(path) as store:
        for name, role in KEYS:
            key, tokens[name] = api_keys.add(store.state, name, role, by="setup")
            if name in REVOKED:
                api_keys.revoke(store.state, key.id, by="setup")
    return path, tokens


def launch_keyed(
    lists_store: Path, folder: Path, **overrides: Any
) -> tuple[Service, dict[str, str]]:
    """A service over ``keyed_store`` with the settings ``overrides``; and the keys."""
    path, tokens = keyed_store(lists_store, folder)
    return launch(replace(ServiceSettings(store_path=path), **overrides)), tokens
