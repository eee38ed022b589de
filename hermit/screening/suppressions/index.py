"""The standing decisions as the Screener consults them: does a decision on this
(query, listed entity) pair still apply, and if not, why.

A decision applies only while all of these hold, and otherwise the hit alerts again with
the reason (``lapsed``):

- the query has exactly the reviewed facts: none missing, none added, none different
  (facts.py). A reviewer judged what was in front of them; a fact they relied on that
  is now missing, or one they never saw, is a new question;
- for a decision by query id that recorded the reviewed name, the query's name is that
  name (normalised);
- the listed entity is as it was reviewed (the same fingerprint: entity_state.py);
- the decision recorded its facts and the entity's state at all: decisions from before
  hermit kept them no longer apply until they are recorded again.

A query is looked up by its id, then by its name; the first decision that applies
suppresses the pair. When none applies, the result names the reviewed decision and why
it no longer applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hermit.screening.query import Query
from hermit.screening.result import Review
from hermit.screening.suppressions.entity_state import EntityState, entity_states
from hermit.screening.suppressions.facts import differences, query_facts
from hermit.screening.suppressions.records import Suppression, listed, name_key

if TYPE_CHECKING:
    import duckdb

    from hermit.store.state import StateDB

OLD_FORMAT = (
    "the decision was recorded before hermit kept the reviewed facts and list version "
    "(review the hit and record it again to suppress it)"
)


@dataclass(frozen=True, slots=True)
class _Standing:
    decision: Suppression
    facts: dict[str, str] | None  # None: not recorded (an old decision)
    name_key: str | None  # the reviewed name, compared for a decision by query id
    changed: str | None  # how the listed entity changed since the review, if it did

    def lapses(self, query: Query, query_key: str, facts: dict[str, str]) -> list[str]:
        """Why this decision does not apply to ``query`` (empty: it applies)."""
        if self.facts is None:
            return [OLD_FORMAT]
        out: list[str] = []
        if self.decision.query_id is not None and self.name_key not in (None, query_key):
            out.append(
                f"this query's name {query.name!r} differs from the reviewed "
                f"{self.decision.query_name!r}"
            )
        out.extend(differences(self.facts, facts))
        if self.changed is not None:
            out.append(self.changed)
        return out


def _changed(decision: Suppression, now: EntityState | None) -> str | None:
    if decision.entity_fingerprint is None or now is None:
        return None
    if now.fingerprint == decision.entity_fingerprint:
        return None
    return (
        f"the listed entity changed since the review "
        f"({now.dataset} version {decision.list_seq} -> {now.seq})"
    )


class SuppressionIndex:
    """The standing decisions by key, for the Screener (``lookup`` is its
    SuppressionLookup)."""

    def __init__(
        self, decisions: list[Suppression], states: dict[str, EntityState] | None = None
    ) -> None:
        states = states or {}
        self._by_id: dict[tuple[str, str], _Standing] = {}
        self._by_name: dict[tuple[str, str], _Standing] = {}
        for s in decisions:
            kind, key, entity_id = s.key
            reviewed_name = None if s.query_name is None else name_key(s.query_name)
            facts = None if s.facts is None else dict(s.facts)
            standing = _Standing(s, facts, reviewed_name, _changed(s, states.get(entity_id)))
            target = self._by_id if kind == "id" else self._by_name
            target[(key, entity_id)] = standing
        # the last query looked up, its name key and facts: a query's candidates come
        # in a row; one tuple, read and replaced whole (requests share the index)
        self._last: tuple[Query | None, str, dict[str, str]] = (None, "", {})

    @classmethod
    def from_store(cls, db: StateDB, lists: duckdb.DuckDBPyConnection) -> SuppressionIndex:
        """The standing decisions of the state ``db``, with the current state of the
        entities they name read from ``lists`` (the list store)."""
        decisions = listed(db)
        return cls(decisions, entity_states(lists, {s.entity_id for s in decisions}))

    def __len__(self) -> int:
        return len(self._by_id) + len(self._by_name)

    def lookup(self, query: Query, entity_id: str) -> Review | None:
        """What the decisions on this (query, entity) pair say: ``suppressed`` with the
        decision that applies, ``lapsed`` with the one that no longer does and why, or
        None when the pair was never reviewed."""
        by_id = None if query.id is None else self._by_id.get((query.id, entity_id))
        if by_id is None and not self._by_name:
            return None
        last = self._last
        if last[0] is not query:
            last = (query, name_key(query.name), query_facts(query))
            self._last = last
        by_name = self._by_name.get((last[1], entity_id))
        found = [s for s in (by_id, by_name) if s is not None]
        if not found:
            return None
        lapsed: list[tuple[_Standing, list[str]]] = []
        for standing in found:
            reasons = standing.lapses(query, last[1], last[2])
            if not reasons:
                return Review(suppressed=standing.decision.text)
            lapsed.append((standing, reasons))
        standing, reasons = lapsed[0]
        return Review(lapsed=f"{standing.decision.reviewed}; {'; '.join(reasons)}: alerting again")
