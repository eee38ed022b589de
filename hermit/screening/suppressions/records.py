"""Decisions in the ``suppressions`` table of the store's state database
(hermit.store.state, beside the lists): record, withdraw, list.

A decision is keyed by one listed entity and either a query id (a customer number) or a
query name compared normalised; it records the facts of the query that was reviewed
(facts.py) and the state of the listed entity then (entity_state.py). One decision
stands per key: recording another on the same key replaces it, and a replaced or
withdrawn decision keeps its row (who removed it, when). Rows made before facts were
kept have ``facts`` NULL: such a decision no longer applies (index.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from hermit.errors import HermitError
from hermit.screening.suppressions.entity_state import entity_states
from hermit.screening.suppressions.facts import KEYS, describe
from hermit.screening.text import name_tokens

if TYPE_CHECKING:
    import duckdb

    from hermit.store.state import StateDB


class SuppressionError(HermitError):
    """A suppression cannot be recorded or removed as asked."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One decision: ``entity_id`` is not the query with ``query_id`` (or ``query_name``)
    and the reviewed ``facts``, decided by ``decided_by`` at ``decided_at`` (UTC) for
    ``reason``, when the entity stood at version ``list_seq`` of ``dataset`` with
    ``entity_fingerprint``. ``facts`` (field, text pairs) is None for a decision recorded
    before hermit kept them. A decision by query id may carry the reviewed name too."""

    entity_id: str
    query_id: str | None
    query_name: str | None
    decided_by: str
    decided_at: datetime
    reason: str
    removed_by: str | None = None
    removed_at: datetime | None = None
    facts: tuple[tuple[str, str], ...] | None = ()
    dataset: str | None = None
    list_seq: int | None = None
    entity_fingerprint: str | None = None

    @property
    def reviewed(self) -> str:
        """``reviewed not a match by alice 2026-11-23 for birth date 1962-02-18``."""
        head = f"reviewed not a match by {self.decided_by} {self.decided_at.date().isoformat()}"
        scope = self.scope
        return head if not scope else f"{head} for {scope}"

    @property
    def scope(self) -> str:
        """What the review covered, in words (empty when it was not recorded)."""
        if self.facts is None:
            return ""
        parts: list[str] = []
        if self.query_id is not None:
            parts.append(f"query id {self.query_id}")
            if self.query_name is not None:
                parts.append(f"name {self.query_name}")
        facts = describe(dict(self.facts))
        if facts:
            parts.append(facts)
        return ", ".join(parts) if parts else "the name alone"

    @property
    def text(self) -> str:
        """What a suppressed hit shows: ``reviewed not a match by alice 2026-11-23 for
        birth date 1962-02-18: ours born 1962``."""
        return f"{self.reviewed}: {self.reason}"

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, query key, entity id): the pair this decision is about."""
        if self.query_id is not None:
            return ("id", self.query_id, self.entity_id)
        return ("name", name_key(self.query_name or ""), self.entity_id)

    @property
    def version(self) -> str:
        """``us_ofac_sdn version 3`` (empty when not recorded)."""
        if self.dataset is None or self.list_seq is None:
            return ""
        return f"{self.dataset} version {self.list_seq}"


def name_key(name: str) -> str:
    """The normalised form names are matched on (``Kim  Yong-Chol`` -> ``kim yong chol``)."""
    return " ".join(name_tokens(name))


def _pair(query_id: str | None, query_name: str | None) -> tuple[str, str, str]:
    """(column, value, shown) of the decision's key: the query id when given, else
    the query name."""
    if query_id is None and query_name is None:
        raise SuppressionError("give a query id or a query name")
    if query_id is not None:
        if not query_id.strip():
            raise SuppressionError("the query id is blank")
        return "query_id", query_id.strip(), f"query id {query_id.strip()!r}"
    assert query_name is not None
    key = name_key(query_name)
    if not key:
        raise SuppressionError(f"query name {query_name!r} has no letters or digits to match")
    return "name_key", key, f"query name {query_name!r}"


def _clean_facts(facts: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for field, value in (facts or {}).items():
        if field in KEYS:
            raise SuppressionError(f"{field!r} is a key of the decision, not a fact")
        text = " ".join(str(value).split())
        if text:
            out.append((field, text))
    return tuple(out)


def add(
    db: StateDB,
    lists: duckdb.DuckDBPyConnection,
    entity_id: str,
    *,
    by: str,
    reason: str,
    query_id: str | None = None,
    query_name: str | None = None,
    facts: Mapping[str, str] | None = None,
    at: datetime | None = None,
) -> tuple[Suppression, Suppression | None]:
    """Record a decision on the reviewed query's id (with its name, if given) or name
    and its ``facts`` (``query_facts`` of the reviewed Query; none: the name alone). The
    listed entity's current state is recorded with it. A standing decision on the same
    key is replaced (and kept as removed). Returns the new decision and the replaced one.
    The entity must be in the current lists (read from ``lists``, the list store); ``by``
    and ``reason`` must not be blank."""
    column, value, _ = _pair(query_id, query_name)
    if not by.strip():
        raise SuppressionError("say who reviewed the pair (--by)")
    if not reason.strip():
        raise SuppressionError("say why the pair is not a match (--reason)")
    if query_name is not None and not name_key(query_name):
        raise SuppressionError(f"query name {query_name!r} has no letters or digits to match")
    state = entity_states(lists, [entity_id]).get(entity_id)
    if state is None:
        raise SuppressionError(f"no entity {entity_id!r} in the store's current lists")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    recorded = _clean_facts(facts)
    new = Suppression(
        entity_id,
        value if column == "query_id" else None,
        None if query_name is None else " ".join(query_name.split()),
        by.strip(),
        when,
        " ".join(reason.split()),
        facts=recorded,
        dataset=state.dataset,
        list_seq=state.seq,
        entity_fingerprint=state.fingerprint,
    )
    from hermit.store.state import to_text

    with db.transaction() as con:
        replaced = _standing(db, entity_id, column, value)
        _mark_removed(db, entity_id, column, value, new.decided_by, when)
        con.execute(
            "INSERT INTO suppressions (entity_id, query_id, query_name, name_key, decided_by, "
            "decided_at, reason, facts, dataset, list_seq, entity_fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                entity_id,
                new.query_id,
                new.query_name,
                value if column == "name_key" else None,
                new.decided_by,
                to_text(when),
                new.reason,
                orjson.dumps(dict(recorded)).decode(),
                new.dataset,
                new.list_seq,
                new.entity_fingerprint,
            ],
        )
        db.bump("suppressions")
    return new, replaced


def remove(
    db: StateDB,
    entity_id: str,
    *,
    by: str,
    query_id: str | None = None,
    query_name: str | None = None,
    at: datetime | None = None,
) -> Suppression:
    """Withdraw the standing decision on a key (the query id when given, else the
    name); its row stays, marked removed by ``by`` at ``at`` (default now), and the pair
    is screened as before from the next run. Returns the withdrawn decision as it now
    stands (with who removed it and when)."""
    column, value, shown = _pair(query_id, query_name)
    if not by.strip():
        raise SuppressionError("say who withdraws the decision (--by)")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    with db.transaction():
        standing = _standing(db, entity_id, column, value)
        if standing is None:
            raise SuppressionError(f"no standing suppression of {entity_id!r} for {shown}")
        _mark_removed(db, entity_id, column, value, by.strip(), when)
        db.bump("suppressions")
    return replace(standing, removed_by=by.strip(), removed_at=when)


#: Columns read, in order (the last four NULL in decisions recorded before they were kept).
_SELECT = (
    "SELECT entity_id, query_id, query_name, decided_by, decided_at, reason, removed_by, "
    "removed_at, facts, dataset, list_seq, entity_fingerprint FROM suppressions"
)


def _row(row: tuple[Any, ...]) -> Suppression:
    from hermit.store.state import from_text

    facts = None if row[8] is None else tuple(orjson.loads(row[8]).items())
    decided = from_text(row[4])
    assert decided is not None
    return Suppression(
        row[0],
        row[1],
        row[2],
        row[3],
        decided,
        row[5],
        row[6],
        from_text(row[7]),
        facts,
        row[9],
        row[10],
        row[11],
    )


def _standing(db: StateDB, entity_id: str, column: str, value: str) -> Suppression | None:
    found = db.con.execute(
        f"{_SELECT} WHERE entity_id = ? AND {column} = ? AND removed_at IS NULL",
        [entity_id, value],
    ).fetchone()
    return None if found is None else _row(found)


def _mark_removed(
    db: StateDB,
    entity_id: str,
    column: str,
    value: str,
    by: str,
    when: datetime,
) -> None:
    from hermit.store.state import to_text

    db.con.execute(
        "UPDATE suppressions SET removed_by = ?, removed_at = ? "
        f"WHERE entity_id = ? AND {column} = ? AND removed_at IS NULL",
        [by, to_text(when), entity_id, value],
    )


def listed(db: StateDB, *, include_removed: bool = False) -> list[Suppression]:
    """The standing decisions (with ``include_removed``, the withdrawn ones too), oldest
    first."""
    where = "" if include_removed else " WHERE removed_at IS NULL"
    rows = db.con.execute(f"{_SELECT}{where} ORDER BY decided_at, entity_id").fetchall()
    return [_row(r) for r in rows]
