"""What screening returns: matches with their contributions, and the run's identity."""

from __future__ import annotations

from dataclasses import dataclass, field

#: The contribution that keeps a score within 0..1 (see hermit.screening.scorer).
BOUNDS = "bounds"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part of a score: its name, signed value and a reason to read."""

    feature: str
    value: float
    reason: str

    @property
    def is_cap(self) -> bool:
        """The ``bounds`` line: the score's cap at 1.00 (or floor at 0.00), not evidence."""
        return self.feature == BOUNDS

    @property
    def text(self) -> str:
        """``feature +0.05: reason``; a cap reads as its reason alone."""
        return self.reason if self.is_cap else f"{self.feature} {self.value:+.2f}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Match:
    """A listed entity that may be the query. ``score`` is the sum of the contributions'
    values; ``suppressed`` holds the analyst's recorded decision when the pair was
    reviewed and judged not a match, ``lapsed`` the reviewed decision that no longer
    applies (the query's facts or the listed entity changed since) and why: the pair
    then alerts as if never reviewed."""

    entity_id: str
    schema: str
    caption: str
    datasets: tuple[str, ...]
    score: float
    is_match: bool
    contributions: tuple[Contribution, ...]
    suppressed: str | None = None
    lapsed: str | None = None

    @property
    def explanation(self) -> str:
        """Every contribution, signed, with its reason; the ``bounds`` line (a cap, not
        evidence) by its reason alone: ``name +1.00: ...; capped at 1.00 (...)``."""
        return "; ".join(c.text for c in self.contributions)

    def by_feature(self) -> dict[str, tuple[float, str]]:
        """Each feature once: its contributions summed (4 decimals) and their reasons
        joined, in the order the features first contributed."""
        values: dict[str, float] = {}
        reasons: dict[str, list[str]] = {}
        for c in self.contributions:
            values[c.feature] = values.get(c.feature, 0.0) + c.value
            reasons.setdefault(c.feature, []).append(c.reason)
        return {f: (round(v, 4), "; ".join(reasons[f])) for f, v in values.items()}

    @property
    def evidence(self) -> float:
        """The sum before the ``bounds`` contribution: among pairs that both reach 1.0
        it tells the one with more agreeing facts (a passport too) from the other."""
        return sum(c.value for c in self.contributions if not c.is_cap)

    @property
    def rank_key(self) -> tuple[float, float, str]:
        """Best first: score, then the evidence behind it, then the id (stable)."""
        return (-self.score, -self.evidence, self.entity_id)

    @property
    def alert(self) -> bool:
        """A match that was not suppressed: something an analyst must look at."""
        return self.is_match and self.suppressed is None


@dataclass(frozen=True, slots=True)
class Review:
    """What analysts' decisions say of one (query, listed entity) pair: the decision
    that applies (``suppressed``), or the one that no longer does and why (``lapsed``)."""

    suppressed: str | None = None
    lapsed: str | None = None


@dataclass(frozen=True, slots=True)
class ListVersion:
    dataset: str
    seq: int
    title: str
    content_sha256: str


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What a screening result depends on, recorded with every run so it can be
    reproduced: the algorithm, its threshold and floor, the list versions, and the
    scoring's fingerprint (every named algorithm, the digest of the reviewed tables, the
    versions of the libraries with tables of their own: hermit.screening.algorithms)."""

    algorithm: str
    threshold: float
    report_floor: float
    lists: tuple[ListVersion, ...] = field(default_factory=tuple)
    scoring: dict[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "algorithm": self.algorithm,
            "threshold": self.threshold,
            "report_floor": self.report_floor,
            "lists": [
                {"dataset": v.dataset, "seq": v.seq, "title": v.title, "sha256": v.content_sha256}
                for v in self.lists
            ],
            **self.scoring,
        }
