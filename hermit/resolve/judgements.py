"""Analysts' judgements on pairs of records, kept in the registry store as an
append-only table (nomenklatura's resolver is the model): who judged, when, why, and
the decision (``same``, ``not same``, ``unsure``). The latest judgement of a pair is
the one in force; earlier ones stay, as the audit trail. Pairs are kept by their
records' ids (stable across runs and loads), so a decision holds for every later run.

Every run (run.py, incremental.py) clusters with the judgements in force: ``apply``
sets the links' tiers (a pair judged the same joins, with the analyst's reason; one
judged not the same becomes "possibly the same"); ``accepted_unlinked`` gives the
accepted pairs the run's scores did not keep (scored for their evidence and joined all
the same); ``rejected`` gives the pairs cluster.py keeps apart (a cannot-link: never in
one entity, not through a chain either). An unsure pair is left as the scores made it,
and stays in the review queue (review.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore
from hermit.resolve.links import JUDGED, POSSIBLE, SAME, Link, Reason

ACCEPT = "same"
REJECT = "not same"
UNSURE = "unsure"
DECISIONS = (ACCEPT, REJECT, UNSURE)
__all__ = [
    "ACCEPT",
    "DECISIONS",
    "JUDGED",
    "REJECT",
    "UNSURE",
    "Judgement",
    "accepted_unlinked",
    "apply",
    "history",
    "in_force",
    "reason",
    "record",
    "rejected",
]

DDL = """
CREATE TABLE IF NOT EXISTS resolve_judgements (
  judged_at TIMESTAMP, left_id VARCHAR, right_id VARCHAR, decision VARCHAR,
  who VARCHAR, why VARCHAR);
"""


@dataclass(frozen=True, slots=True)
class Judgement:
    left: str
    right: str
    decision: str
    who: str
    why: str
    judged_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        """The judgement as the CLI's --json, the API and ``resolve show`` give it."""
        return {
            "left": self.left,
            "right": self.right,
            "decision": self.decision,
            "who": self.who,
            "why": self.why,
            "judged_at": self.judged_at.isoformat(),
        }


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def record(
    store: RegistryStore, left: str, right: str, decision: str, who: str, why: str
) -> Judgement:
    """Append one judgement; the pair is stored in id order."""
    if decision not in DECISIONS:
        raise StoreError(f"judgement: decision {decision!r} is not one of {', '.join(DECISIONS)}")
    if left == right:
        raise StoreError(f"judgement: a record ({left}) cannot be judged against itself")
    if not who.strip():
        raise StoreError("judgement: who judged is required")
    a, b = _pair(left, right)
    at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    store.con.execute(DDL)
    store.con.execute(
        "INSERT INTO resolve_judgements VALUES (?, ?, ?, ?, ?, ?)", [at, a, b, decision, who, why]
    )
    return Judgement(a, b, decision, who, why, at)


def _exists(store: RegistryStore) -> bool:
    found = store.con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'resolve_judgements'"
    ).fetchone()
    return bool(found and found[0])


def history(store: RegistryStore) -> list[Judgement]:
    """Every judgement, oldest first (none on a store that holds none, read-only too)."""
    if not _exists(store):
        return []
    rows = store.con.execute(
        "SELECT left_id, right_id, decision, who, why, judged_at FROM resolve_judgements"
        " ORDER BY judged_at, left_id, right_id"
    ).fetchall()
    return [Judgement(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


def in_force(judgements: Iterable[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The latest judgement of each pair (judgements given oldest first)."""
    out: dict[tuple[str, str], Judgement] = {}
    for j in judgements:
        out[_pair(j.left, j.right)] = j
    return out


def apply(links: list[Link], force: dict[tuple[str, str], Judgement]) -> list[Link]:
    """The links with the judgements in force: rejected ones POSSIBLE, accepted ones
    SAME, each with the analyst's reason; unsure and unjudged ones unchanged."""
    out = []
    for link in links:
        j = force.get(_pair(link.left, link.right))
        if j is None or j.decision == UNSURE:
            out.append(link)
            continue
        tier = SAME if j.decision == ACCEPT else POSSIBLE
        kept = tuple(r for r in link.reasons if r.comparison != JUDGED)
        out.append(replace(link, tier=tier, reasons=(*kept, reason(j))))
    return out


def reason(j: Judgement) -> Reason:
    """The reason a judgement gives a link: the decision, who, when (UTC) and why."""
    return Reason(JUDGED, f"{j.decision} ({j.who}, {j.judged_at:%Y-%m-%d %H:%M} UTC: {j.why})", 0.0)


def accepted_unlinked(
    links: Iterable[Link], force: dict[tuple[str, str], Judgement], ids: Collection[str]
) -> list[tuple[str, str]]:
    """The pairs of ``ids`` judged the same that no link holds (in id order)."""
    linked = {_pair(k.left, k.right) for k in links}
    return sorted(
        pair
        for pair, j in force.items()
        if j.decision == ACCEPT and pair not in linked and pair[0] in ids and pair[1] in ids
    )


def rejected(
    force: dict[tuple[str, str], Judgement], ids: Collection[str]
) -> list[tuple[str, str]]:
    """The pairs of ``ids`` judged not the same (cluster.py's ``apart``)."""
    return sorted(
        pair
        for pair, j in force.items()
        if j.decision == REJECT and pair[0] in ids and pair[1] in ids
    )
