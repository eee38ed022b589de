"""A link between two records of one resolution: its match weight and probability, its
reasons (each comparison's level and match weight, and the prior's) and its tier."""

from __future__ import annotations

from dataclasses import dataclass

#: A link at or above the link probability joins two entities; one between the keep and
#: the link probability is "possibly the same", kept apart for an analyst.
SAME = "same"
POSSIBLE = "possible"
#: The reason's comparison name of a link set by an analyst's judgement.
JUDGED = "analyst judgement"


@dataclass(frozen=True, slots=True)
class Reason:
    comparison: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Link:
    left: str
    right: str
    kind: str
    match_weight: float
    probability: float
    reasons: tuple[Reason, ...]
    tier: str = SAME  # SAME: joins the records' entities; POSSIBLE: kept for review
