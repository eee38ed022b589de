"""Shared fixtures: where the real data lives (../shared/data next to the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    env = os.environ.get("HERMIT_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    """../shared/data/lists: the real UN XML and OFAC CSV set (never copied here)."""
    path = shared_data_dir() / "lists"
    if not (path / "un_consolidated.xml").exists():
        pytest.fail(f"real lists not found at {path} (set HERMIT_SHARED_DATA)")
    return path
