"""The data model: FollowTheMoney entities with per-value qualifiers and provenance."""

from hermit.model.entity import Entity, Value
from hermit.model.provenance import Provenance

__all__ = ["Entity", "Provenance", "Value"]
