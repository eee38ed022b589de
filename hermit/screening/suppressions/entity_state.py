"""The state of a listed entity a decision was made on: its list, the list's version, and
a fingerprint of the entity's own current statements.

The fingerprint is the SHA-256 of the entity's schema and of each current statement's
key (property, value, source text, qualifier) with the version it has been valid from.
A load that changes nothing of the entity keeps it, whatever else changed in the list;
a new alias, a changed date of birth, or the entity removed and added back (its
statements then valid from the later version) changes it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True, slots=True)
class EntityState:
    """A listed entity as it stands: ``dataset`` at version ``seq`` (the list's latest)."""

    dataset: str
    seq: int
    fingerprint: str


def entity_states(
    con: duckdb.DuckDBPyConnection, entity_ids: Iterable[str]
) -> dict[str, EntityState]:
    """The current state of each of ``entity_ids`` that is on a current list."""
    wanted = sorted(set(entity_ids))
    if not wanted:
        return {}
    latest = dict(con.execute("SELECT dataset, max(seq) FROM versions GROUP BY dataset").fetchall())
    listed = {
        eid: (dataset, schema)
        for eid, dataset, schema in con.execute(
            "SELECT entity_id, dataset, schema FROM current_entities "
            "SEMI JOIN (SELECT unnest(?) AS entity_id) USING (entity_id)",
            [wanted],
        ).fetchall()
    }
    lines: dict[str, list[str]] = {eid: [f"schema {s}"] for eid, (_, s) in listed.items()}
    for eid, key, valid_from in con.execute(
        "SELECT entity_id, stmt_key, valid_from FROM statements "
        "SEMI JOIN (SELECT unnest(?) AS entity_id) USING (entity_id) "
        "WHERE valid_to IS NULL ORDER BY entity_id, stmt_key, valid_from",
        [wanted],
    ).fetchall():
        if eid in lines:
            lines[eid].append(f"{key}@{valid_from}")
    out: dict[str, EntityState] = {}
    for eid, (dataset, _) in listed.items():
        digest = hashlib.sha256("\n".join(lines[eid]).encode("utf-8")).hexdigest()
        out[eid] = EntityState(dataset, int(latest[dataset]), digest)
    return out
