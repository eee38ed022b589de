"""What every command gets from the global options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from hermit.store import Store


@dataclass(frozen=True, slots=True)
class Settings:
    store_path: Path

    def open(self, *, read_only: bool = False) -> Store:
        return Store(self.store_path, read_only=read_only)


def settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj
