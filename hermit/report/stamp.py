"""The generation stamp of a report: hermit's version, the list versions in the store,
the sha256 of every input file, and the algorithms (name@version and parameters). The
only clock reading is ``generated_at``: fix it and the same inputs give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hermit


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parse_generated_at(text: str) -> str:
    """An ISO date-time (``Z`` or an offset; naive = UTC) as ``YYYY-MM-DDTHH:MM:SSZ``."""
    when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Stamp:
    generated_at: str | None = None  # None: the time of to_dict's first call, UTC
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: list[dict[str, Any]] = field(default_factory=list)
    algorithms: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add_input(self, path: Path, name: str | None = None, shown: str | None = None) -> str:
        """Record an input file under ``name`` (as citations name it; default its file
        name) and ``shown`` (where it is, relative to what the user gave; default the
        name); its sha256."""
        key = name or path.name
        if key not in self.inputs:
            self.inputs[key] = {
                "name": key,
                "path": shown or key,
                "sha256": sha256_of(path),
                "bytes": path.stat().st_size,
            }
        return str(self.inputs[key]["sha256"])

    def digest(self, name: str) -> str:
        return str(self.inputs[name]["sha256"])

    def add_lists(self, store_path: Path) -> None:
        """The latest version of every list held in the store (none when there is none)."""
        if not store_path.exists():
            return
        from hermit.store.store import Store

        with Store(store_path, read_only=True) as store:
            latest: dict[str, Any] = {}
            for v in store.versions():
                latest[v.dataset] = v
        self.lists = [
            {
                "dataset": v.dataset,
                "version": v.seq,
                "title": v.title,
                "published": None if v.published is None else v.published.date().isoformat(),
                "content_sha256": v.content_sha256,
                "entities": v.entity_count,
            }
            for _, v in sorted(latest.items())
        ]

    def add_algorithm(self, name: str, parameters: dict[str, Any] | None = None) -> None:
        """An algorithm (``name@version``) and the parameters it ran with."""
        base, _, version = name.partition("@")
        self.algorithms[name] = {
            "name": base,
            "version": version,
            "parameters": parameters or {},
        }

    def to_dict(self) -> dict[str, Any]:
        if self.generated_at is None:
            self.generated_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "generated_at": self.generated_at,
            "hermit_version": hermit.__version__,
            "lists": self.lists,
            "inputs": [self.inputs[k] for k in sorted(self.inputs)],
            "algorithms": [self.algorithms[k] for k in sorted(self.algorithms)],
        }
