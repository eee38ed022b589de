"""What a registry load holds: counts of records, rejected rows and refused values by
reason, and identifiers valid / invalid per scheme."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore


@dataclass(frozen=True, slots=True)
class LoadStatus:
    load_id: int
    loaded_at: dt.datetime
    files: list[str]
    records: dict[str, dict[str, int]] = field(default_factory=dict)  # registry -> schema -> n
    problems: list[tuple[str, str, str, int]] = field(default_factory=list)  # kind, prop, reason, n
    identifiers: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # scheme -> valid, invalid

    def to_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "loaded_at": self.loaded_at.isoformat(),
            "files": self.files,
            "records": self.records,
            "rejected": sum(n for k, _, _, n in self.problems if k == "rejected"),
            "refused": sum(n for k, _, _, n in self.problems if k == "refused"),
            "problems": [
                {"kind": k, "property": p, "reason": r, "count": n} for k, p, r, n in self.problems
            ],
            "identifiers": {
                s: {"valid": v, "invalid": i} for s, (v, i) in self.identifiers.items()
            },
        }


def load_ids(store: RegistryStore) -> list[int]:
    return [
        int(r[0])
        for r in store.con.execute("SELECT load_id FROM registry_loads ORDER BY 1").fetchall()
    ]


def load_status(store: RegistryStore, load_id: int | None = None) -> LoadStatus:
    """The status of one load (default: the latest); StoreError if there is none."""
    con = store.con
    if load_id is None:
        ids = load_ids(store)
        if not ids:
            raise StoreError(f"{store.path}: no registry loaded yet (hermit registry load FILES)")
        load_id = ids[-1]
    head = con.execute(
        "SELECT loaded_at, files FROM registry_loads WHERE load_id = ?", [load_id]
    ).fetchone()
    if head is None:
        raise StoreError(f"{store.path}: no registry load {load_id} (loads: {load_ids(store)})")
    records: dict[str, dict[str, int]] = {}
    for registry, schema, n in con.execute(
        "SELECT registry, schema, count(*) FROM registry_records WHERE load_id = ? "
        "GROUP BY ALL ORDER BY 1, 2",
        [load_id],
    ).fetchall():
        records.setdefault(str(registry), {})[str(schema)] = int(n)
    problems = [
        (str(k), str(p or ""), str(r), int(n))
        for k, p, r, n in con.execute(
            "SELECT kind, prop, reason, count(*) FROM registry_problems WHERE load_id = ? "
            "GROUP BY ALL ORDER BY 4 DESC, 1, 2, 3",
            [load_id],
        ).fetchall()
    ]
    identifiers = {
        str(s): (int(v), int(i))
        for s, v, i in con.execute(
            "SELECT scheme, count(*) FILTER (WHERE valid), count(*) FILTER (WHERE NOT valid) "
            "FROM registry_identifiers WHERE load_id = ? GROUP BY 1 ORDER BY 1",
            [load_id],
        ).fetchall()
    }
    return LoadStatus(load_id, head[0], list(head[1]), records, problems, identifiers)
