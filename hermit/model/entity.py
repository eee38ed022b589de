"""An entity record: a FollowTheMoney schema, property values with qualifiers, provenance."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hermit.model import schema as ftm
from hermit.model.provenance import Provenance


@dataclass(frozen=True, slots=True)
class Value:
    """One property value.

    ``original`` is the source text when cleaning changed it (``Korea, North`` for
    ``kp``); ``qualifier`` carries what the FtM value alone cannot say: the quality of an
    alias (``Good``, ``Low``, ``aka``, ``fka``), a date's precision (``approximately``,
    ``circa``, ``between 1950 and 1955``), ``unparsed:<prop>`` for text kept in ``notes``
    because it could not be cleaned.
    """

    prop: str
    value: str
    original: str | None = None
    qualifier: str | None = None


@dataclass(slots=True)
class Entity:
    """An entity as parsed from a source, before or after it is stored."""

    id: str
    schema: str
    provenance: Provenance
    values: list[Value] = field(default_factory=list)
    #: (prop, value) of every value, for ``_append``'s check; made on the first add, so
    #: that an entity read back and only read (a service holds every current one) has
    #: none: it was about a fifth of such an entity's memory.
    _keys: set[tuple[str, str]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.schema = ftm.check_schema(self.schema)

    def add(
        self,
        prop: str,
        raw: str | None,
        *,
        qualifier: str | None = None,
        cleaned: bool = False,
    ) -> str | None:
        """Add a value for ``prop``; returns the stored value, or None if ``raw`` is empty.

        The value is cleaned the FollowTheMoney way unless ``cleaned`` is true. A value
        that cannot be cleaned (a country FtM does not know) is not lost: it goes to
        ``notes`` (or ``description`` where a schema has no notes) with the qualifier
        ``unparsed:<prop>``. Duplicates are skipped.
        """
        if raw is None:
            return None
        if not raw.isprintable():
            raw = raw.translate(ftm.CONTROL_CHARS)
        text = " ".join(raw.split())
        if not text:
            return None
        value = text if cleaned else ftm.clean_text(self.schema, prop, text)
        if value is None:
            note = ftm.note_prop(self.schema)
            return self._append(Value(note, f"{prop}: {text}", None, f"unparsed:{prop}"))
        original = None if value == text else text
        return self._append(Value(prop, value, original, qualifier))

    def add_value(self, value: Value) -> None:
        """Add an already-cleaned value (as read back from the store or FtM JSON)."""
        ftm.prop_type(self.schema, value.prop)  # raises ModelError for unknown props
        self._append(value)

    def _append(self, value: Value) -> str:
        keys = self._keys
        if keys is None:
            keys = self._keys = {(v.prop, v.value) for v in self.values}
        key = (value.prop, value.value)
        if key not in keys:
            keys.add(key)
            self.values.append(value)
        return value.value

    def get(self, prop: str) -> list[str]:
        return [v.value for v in self.values if v.prop == prop]

    def first(self, prop: str) -> str | None:
        for v in self.values:
            if v.prop == prop:
                return v.value
        return None

    def props(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for v in self.values:
            out.setdefault(v.prop, []).append(v.value)
        return out

    def names(self) -> Iterator[tuple[str, str]]:
        """(name, kind) for every name-like value: primary, alias, weak, previous."""
        for v in self.values:
            kind = ftm.NAME_PROPS.get(v.prop)
            if kind is not None:
                yield v.value, kind

    @property
    def caption(self) -> str:
        for prop in ftm.caption_props(self.schema):
            found = self.first(prop)
            if found is not None:
                return found
        return self.id

    @property
    def dataset(self) -> str:
        return self.provenance.dataset

    def to_ftm(self, list_version: str | None = None) -> dict[str, Any]:
        """FollowTheMoney JSON (``id``, ``schema``, ``properties``) plus hermit's extras
        under ``hermit`` (provenance with the list version it was read from, qualifiers,
        originals), which FtM readers ignore."""
        provenance: dict[str, Any] = self.provenance.to_dict()
        if list_version is not None:
            provenance["list_version"] = list_version
        extras: dict[str, Any] = {"provenance": provenance}
        grouped = sorted(self.values, key=lambda v: self._prop_order(v.prop))
        qualifiers = [[v.prop, v.value, v.qualifier] for v in grouped if v.qualifier]
        originals = [[v.prop, v.value, v.original] for v in grouped if v.original]
        if qualifiers:
            extras["qualifiers"] = qualifiers
        if originals:
            extras["originals"] = originals
        return {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption,
            "datasets": [self.dataset],
            "properties": self.props(),
            "hermit": extras,
        }

    def _prop_order(self, prop: str) -> int:
        """Properties in the order they first occur (as ``props()`` groups them)."""
        for index, value in enumerate(self.values):
            if value.prop == prop:
                return index
        return len(self.values)

    @classmethod
    def read_back(
        cls, id: str, schema: str, provenance: Provenance, values: Iterable[Value]
    ) -> Entity:
        """An entity as read back from the store: each value's property checked against
        the schema and each (prop, value) kept once, as ``from_values`` does, but without
        keeping the set of keys that adding uses (made again on a later add)."""
        entity = cls(id=id, schema=schema, provenance=provenance)
        seen: set[tuple[str, str]] = set()
        kept = entity.values
        for value in values:
            ftm.prop_type(entity.schema, value.prop)  # raises ModelError for unknown props
            key = (value.prop, value.value)
            if key not in seen:
                seen.add(key)
                kept.append(value)
        return entity

    @classmethod
    def from_values(
        cls, id: str, schema: str, provenance: Provenance, values: Iterable[Value]
    ) -> Entity:
        entity = cls(id=id, schema=schema, provenance=provenance)
        for value in values:
            entity.add_value(value)
        return entity
