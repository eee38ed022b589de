"""An in-memory index of every listed name, built from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from hermit.model import Entity
from hermit.model.schema import NAME_PROPS
from hermit.names import korean
from hermit.names.organizations import parse_org_name
from hermit.names.russian import transliterate
from hermit.names.script import CYRILLIC, detect_script
from hermit.screening.dates import ListedDate
from hermit.screening.text import name_tokens

#: Schemata that are screened (not addresses, sanctions or documents).
SCREENED_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


@dataclass(frozen=True, slots=True)
class ListedName:
    entity_id: str
    name: str
    kind: str  # name | alias | weakAlias | previousName
    tokens: tuple[str, ...]
    schema: str
    org_tokens: tuple[str, ...] = ()


@dataclass(slots=True)
class ListedEntity:
    entity_id: str
    schema: str
    caption: str
    dataset: str
    birth_dates: list[ListedDate] = field(default_factory=list)
    names: list[ListedName] = field(default_factory=list)


def listed_entity(entity: Entity) -> ListedEntity:
    """A screened entity from a model Entity (names, org words, dates of birth)."""
    listed = ListedEntity(entity.id, entity.schema, entity.caption, entity.dataset)
    for value in entity.values:
        if value.prop in NAME_PROPS:
            listed.names.append(_listed_name(entity.id, value.value, value.prop, entity.schema))
    listed.birth_dates.extend(
        ListedDate(v.value, v.qualifier) for v in entity.values if v.prop == "birthDate"
    )
    return listed


def _listed_name(entity_id: str, name: str, kind: str, schema: str) -> ListedName:
    org = () if schema == "Person" else org_tokens(name)
    return ListedName(entity_id, name, kind, tuple(name_tokens(name)), schema, org)


@dataclass(slots=True)
class NameIndex:
    """Listed entities and an inverted index from name token to entity ids."""

    entities: dict[str, ListedEntity]
    by_token: dict[str, set[str]]
    by_korean_surname: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection) -> NameIndex:
        entities: dict[str, ListedEntity] = {}
        rows = con.execute(
            "SELECT entity_id, schema, caption, dataset FROM current_entities "
            f"WHERE schema IN {SCREENED_SCHEMATA}"
        ).fetchall()
        for eid, schema, caption, dataset in rows:
            entities[eid] = ListedEntity(eid, schema, caption, dataset)
        by_token: dict[str, set[str]] = defaultdict(set)
        by_korean: dict[str, set[str]] = {}
        for eid, kind, name in con.execute(
            "SELECT entity_id, kind, name FROM names ORDER BY entity_id"
        ).fetchall():
            entity = entities.get(eid)
            if entity is None:
                continue
            listed = _listed_name(eid, name, kind, entity.schema)
            entity.names.append(listed)
            for token in set(listed.tokens) | set(listed.org_tokens):
                by_token[token].add(eid)
            if entity.schema == "Person":
                for surname in korean_surnames(name):
                    by_korean.setdefault(surname, set()).add(eid)
        for eid, value, qualifier in con.execute(
            "SELECT entity_id, value, qualifier FROM current_statements WHERE prop = 'birthDate'"
        ).fetchall():
            if eid in entities:
                entities[eid].birth_dates.append(ListedDate(value, qualifier))
        return cls(entities=entities, by_token=dict(by_token), by_korean_surname=by_korean)

    def candidates(self, name: str, tokens: list[str]) -> set[str]:
        """Entities sharing a name token with the query, or (for a name that reads as
        Korean in any script) sharing its surname."""
        found: set[str] = set()
        for token in tokens:
            found |= self.by_token.get(token, set())
        for surname in korean_surnames(name):
            found |= self.by_korean_surname.get(surname, set())
        return found


def org_tokens(name: str) -> tuple[str, ...]:
    """Canonical words of an organization name (legal forms set aside), Latin script."""
    text = " ".join(transliterate(name)[:1]) if detect_script(name) == CYRILLIC else name
    return parse_org_name(text).tokens


def korean_surnames(name: str) -> set[str]:
    """The surname keys of a name's Korean readings (empty if it reads as none)."""
    return {"".join(map(str, r.surname)) for r in korean.readings(name) if r.surname is not None}
