"""Analysts' decisions that a screening hit was reviewed and is not a match.

A decision covers one listed entity and either a query id (a customer number: the same
customer screened again) or a query name, compared normalised (case, spacing, accents
and scripts folded by ``name_tokens``), so ``KIM, Yong-chol`` and ``kim yong chol`` are
one decision. Decisions live in the store's ``suppressions`` table, outside the list
versions; removing one keeps its row with who removed it and when. The Screener reads
them through ``SuppressionIndex.lookup``, loaded once when the Screener is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from hermit.errors import HermitError
from hermit.screening.query import Query
from hermit.screening.text import name_tokens


class SuppressionError(HermitError):
    """A suppression cannot be recorded or removed as asked."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One standing decision: ``entity_id`` is not the query with ``query_id`` or
    ``query_name``, decided by ``decided_by`` at ``decided_at`` (UTC) for ``reason``."""

    entity_id: str
    query_id: str | None
    query_name: str | None
    decided_by: str
    decided_at: datetime
    reason: str
    removed_by: str | None = None
    removed_at: datetime | None = None

    @property
    def text(self) -> str:
        """What a result shows: ``reviewed not a match by alice 2026-11-23: why``."""
        return (
            f"reviewed not a match by {self.decided_by} "
            f"{self.decided_at.date().isoformat()}: {self.reason}"
        )

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, query key, entity id): the pair this decision is about."""
        if self.query_id is not None:
            return ("id", self.query_id, self.entity_id)
        return ("name", name_key(self.query_name or ""), self.entity_id)


def name_key(name: str) -> str:
    """The normalised form names are matched on (``Kim  Yong-Chol`` -> ``kim yong chol``)."""
    return " ".join(name_tokens(name))


def _pair(query_id: str | None, query_name: str | None) -> tuple[str, str, str]:
    """(column, value, shown) for exactly one of a query id or a query name."""
    if (query_id is None) == (query_name is None):
        raise SuppressionError("give either a query id or a query name (exactly one)")
    if query_id is not None:
        if not query_id.strip():
            raise SuppressionError("the query id is blank")
        return "query_id", query_id.strip(), f"query id {query_id.strip()!r}"
    assert query_name is not None
    key = name_key(query_name)
    if not key:
        raise SuppressionError(f"query name {query_name!r} has no letters or digits to match")
    return "name_key", key, f"query name {query_name!r}"


def _table_exists(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'suppressions'"
    ).fetchone()
    return found is not None and found[0] > 0


def add(
    con: duckdb.DuckDBPyConnection,
    entity_id: str,
    *,
    by: str,
    reason: str,
    query_id: str | None = None,
    query_name: str | None = None,
    at: datetime | None = None,
) -> tuple[Suppression, Suppression | None]:
    """Record a decision; a standing decision on the same pair is replaced (and kept as
    removed). Returns the new decision and the replaced one. The entity must be in the
    current lists; ``by`` and ``reason`` must not be blank."""
    column, value, _ = _pair(query_id, query_name)
    if not by.strip():
        raise SuppressionError("say who reviewed the pair (--by)")
    if not reason.strip():
        raise SuppressionError("say why the pair is not a match (--reason)")
    listed = con.execute(
        "SELECT count(*) FROM current_entities WHERE entity_id = ?", [entity_id]
    ).fetchone()
    if listed is None or listed[0] == 0:
        raise SuppressionError(f"no entity {entity_id!r} in the store's current lists")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    new = Suppression(
        entity_id,
        value if column == "query_id" else None,
        " ".join(query_name.split()) if column == "name_key" and query_name else None,
        by.strip(),
        when,
        " ".join(reason.split()),
    )
    con.execute("BEGIN TRANSACTION")
    try:
        replaced = _standing(con, entity_id, column, value)
        _mark_removed(con, entity_id, column, value, new.decided_by, when)
        con.execute(
            "INSERT INTO suppressions (entity_id, query_id, query_name, name_key, decided_by, "
            "decided_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                entity_id,
                new.query_id,
                new.query_name,
                value if column == "name_key" else None,
                new.decided_by,
                when.replace(tzinfo=None),
                new.reason,
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return new, replaced


def remove(
    con: duckdb.DuckDBPyConnection,
    entity_id: str,
    *,
    by: str,
    query_id: str | None = None,
    query_name: str | None = None,
    at: datetime | None = None,
) -> Suppression:
    """Withdraw the standing decision on a pair (its row stays, marked removed by ``by``
    at ``at``, default now); the pair is screened as before from the next run. Returns
    the withdrawn decision."""
    column, value, shown = _pair(query_id, query_name)
    if not by.strip():
        raise SuppressionError("say who withdraws the decision (--by)")
    if not _table_exists(con):
        raise SuppressionError("no suppressions recorded in this store")
    standing = _standing(con, entity_id, column, value)
    if standing is None:
        raise SuppressionError(f"no standing suppression of {entity_id!r} for {shown}")
    _mark_removed(con, entity_id, column, value, by.strip(), at or datetime.now(UTC))
    return standing


_COLUMNS = "entity_id, query_id, query_name, decided_by, decided_at, reason, removed_by, removed_at"


def _row(row: tuple[Any, ...]) -> Suppression:
    return Suppression(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4].replace(tzinfo=UTC),
        row[5],
        row[6],
        None if row[7] is None else row[7].replace(tzinfo=UTC),
    )


def _standing(
    con: duckdb.DuckDBPyConnection, entity_id: str, column: str, value: str
) -> Suppression | None:
    found = con.execute(
        f"SELECT {_COLUMNS} FROM suppressions "
        f"WHERE entity_id = ? AND {column} = ? AND removed_at IS NULL",
        [entity_id, value],
    ).fetchone()
    return None if found is None else _row(found)


def _mark_removed(
    con: duckdb.DuckDBPyConnection,
    entity_id: str,
    column: str,
    value: str,
    by: str,
    when: datetime,
) -> None:
    con.execute(
        "UPDATE suppressions SET removed_by = ?, removed_at = ? "
        f"WHERE entity_id = ? AND {column} = ? AND removed_at IS NULL",
        [by, when.astimezone(UTC).replace(tzinfo=None), entity_id, value],
    )


def listed(con: duckdb.DuckDBPyConnection, *, include_removed: bool = False) -> list[Suppression]:
    """The standing decisions (with ``include_removed``, the withdrawn ones too), oldest
    first. A store made before suppressions existed has none."""
    if not _table_exists(con):
        return []
    where = "" if include_removed else "WHERE removed_at IS NULL "
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM suppressions {where}ORDER BY decided_at, entity_id"
    ).fetchall()
    return [_row(r) for r in rows]


class SuppressionIndex:
    """The standing decisions by pair, for the Screener (``lookup`` is its
    SuppressionLookup): a query's id is looked up first, then its name."""

    def __init__(self, decisions: list[Suppression]) -> None:
        self._by_id: dict[tuple[str, str], str] = {}
        self._by_name: dict[tuple[str, str], str] = {}
        for s in decisions:
            kind, key, entity_id = s.key
            target = self._by_id if kind == "id" else self._by_name
            target[(key, entity_id)] = s.text
        self._last: tuple[str, str] = ("", "")  # (name, key): a query's candidates in a row

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection) -> SuppressionIndex:
        return cls(listed(con))

    def __len__(self) -> int:
        return len(self._by_id) + len(self._by_name)

    def lookup(self, query: Query, entity_id: str) -> str | None:
        """The decision's text when this (query, entity) pair was judged not a match."""
        if query.id is not None:
            found = self._by_id.get((query.id, entity_id))
            if found is not None:
                return found
        if not self._by_name:
            return None
        if self._last[0] != query.name:
            self._last = (query.name, name_key(query.name))
        return self._by_name.get((self._last[1], entity_id))
