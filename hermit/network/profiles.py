"""What the red-flag detectors (hermit.network.fronts) read of each party besides its
edges: per node of a build, the facts its records state, each with the record that
states it (record id, file, row), so that a finding can cite it.

- ``jurisdiction``, ``country`` (the country a commercial database describes the firm in,
  which can differ from where it is registered), ``description``, ``name``/``alias``,
  ``previousName``, ``incorporationDate``, ``dissolutionDate`` (companies and other
  organisations);
- ``nationality``, ``citizenship``, ``birthDate`` (people).

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from hermit.network.graph import PARTIES, Build, Record

ORGS = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
_PROPS = (
    "jurisdiction",
    "country",
    "description",
    "name",
    "alias",
    "previousName",
    "incorporationDate",
    "dissolutionDate",
    "nationality",
    "citizenship",
    "birthDate",
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One value of one property, and the record that states it."""

    prop: str
    value: str
    cited: str  # "record id (file, row N)"


@dataclass
class Profile:
    node: str
    schema: str
    facts: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))

    def values(self, prop: str) -> set[str]:
        return {f.value for f in self.facts.get(prop, ())}

    def first(self, prop: str) -> Fact | None:
        found = self.facts.get(prop)
        return found[0] if found else None

    def day(self, prop: str, *, latest: bool = False) -> tuple[date, Fact] | None:
        """The earliest (or latest) date the records give for ``prop`` (a year or
        year-month read as its first day); None when none can be read."""
        days: list[tuple[date, Fact]] = []
        for fact in self.facts.get(prop, ()):
            text = fact.value
            try:
                days.append((date.fromisoformat(text[:10]), fact))
            except ValueError:
                if len(text) in (4, 7) and text[:4].isdigit():
                    try:
                        days.append(
                            (date.fromisoformat(text[:4] + (text[4:7] or "-01") + "-01"), fact)
                        )
                    except ValueError:
                        continue
        if not days:
            return None
        return max(days, key=lambda d: d[0]) if latest else min(days, key=lambda d: d[0])

    @property
    def is_org(self) -> bool:
        return self.schema in ORGS


def profiles(records: Iterable[Record], build: Build) -> dict[str, Profile]:
    """The profile of every party node of ``build`` from ``records`` (the same records the
    build read; a record given twice: the last one wins)."""
    latest: dict[str, Record] = {}
    for record in records:
        if record[1] in PARTIES:
            latest[record[0]] = record
    found: dict[str, Profile] = {}
    for record_id, schema, file, row, entity in latest.values():
        node = build.entity(record_id)
        profile = found.get(node)
        if profile is None:
            profile = found[node] = Profile(node, schema)
        props = entity.get("properties") or {}
        cited = f"{record_id} ({file}, row {row})"
        for prop in _PROPS:
            for value in props.get(prop) or []:
                profile.facts[prop].append(Fact(prop, str(value), cited))
    return found
