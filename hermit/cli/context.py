"""What every command gets from the global options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from hermit.store import Store
from hermit.store.state import StateDB


@dataclass(frozen=True, slots=True)
class Settings:
    store_path: Path

    def open(self, *, read_only: bool = False) -> Store:
        return Store(self.store_path, read_only=read_only)

    def state(self) -> StateDB:
        """The service state beside the store (keys, audit log, jobs, suppressions)."""
        return StateDB.open(self.store_path)


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj
