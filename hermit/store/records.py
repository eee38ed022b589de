"""What the store hands back: versions, load results, stored entities, changes, stats."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hermit.model import Entity


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One stored version of one list."""

    dataset: str
    seq: int
    title: str
    published: datetime | None
    loaded_at: datetime
    parser: str
    content_sha256: str
    files: list[dict[str, Any]]
    warnings: list[str]
    entity_count: int
    statement_count: int
    added: int
    removed: int
    changed: int

    @property
    def label(self) -> str:
        when = self.published.date().isoformat() if self.published else "undated"
        return f"{self.dataset} v{self.seq} ({when})"


@dataclass(frozen=True, slots=True)
class LoadResult:
    version: VersionInfo
    unchanged: bool


@dataclass(frozen=True, slots=True)
class Reference:
    """An entity that points at another (a Sanction, an UnknownLink, a Passport ...)."""

    entity_id: str
    schema: str
    caption: str
    prop: str


@dataclass(frozen=True, slots=True)
class LinkedParty:
    """A party at the other end of a link. ``outgoing``: this entity is the link's source
    (the subject of an UnknownLink, the owner of an Ownership) or points at the party
    itself; otherwise the party is the source and this entity the target."""

    entity_id: str
    schema: str
    caption: str
    dataset: str
    relation: str  # FtM's label of the link read from its source: "linked to", "owns"
    outgoing: bool
    via_id: str | None  # the link entity, None for a direct reference
    via_schema: str | None
    details: tuple[str, ...]  # the link's role, dates, share ...

    @property
    def phrase(self) -> str:
        """How the link reads from this entity: "linked to X" or "X linked to this"."""
        return self.relation if self.outgoing else f"{self.relation} this"


@dataclass(slots=True)
class StoredEntity:
    entity: Entity
    first_seen: VersionInfo
    last_changed: VersionInfo
    current: VersionInfo
    referenced_by: list[Reference] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: The parties it is linked to and that are linked to it, named (hermit.store.links).
    links: list[LinkedParty] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityChange:
    """How one entity differs between two versions of a list."""

    entity_id: str
    change: str  # added | removed | changed
    schema: str
    caption: str
    added: dict[str, list[str]]
    removed: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class StoreStats:
    versions: list[VersionInfo]
    by_schema: list[tuple[str, str, int]]  # dataset, schema, count
    by_program: list[tuple[str, str, int]]  # dataset, program, count
