"""An in-memory index of every listed name, built from the store."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import duckdb

from hermit.screening.text import name_tokens

#: Schemata that are screened (not addresses, sanctions or documents).
SCREENED_SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")


@dataclass(frozen=True, slots=True)
class ListedName:
    entity_id: str
    name: str
    kind: str  # name | alias | weakAlias | previousName
    tokens: tuple[str, ...]


@dataclass(slots=True)
class ListedEntity:
    entity_id: str
    schema: str
    caption: str
    dataset: str
    birth_dates: list[str] = field(default_factory=list)
    names: list[ListedName] = field(default_factory=list)


@dataclass(slots=True)
class NameIndex:
    """Listed entities and an inverted index from name token to entity ids."""

    entities: dict[str, ListedEntity]
    by_token: dict[str, set[str]]

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
        for eid, kind, name in con.execute(
            "SELECT entity_id, kind, name FROM names ORDER BY entity_id"
        ).fetchall():
            entity = entities.get(eid)
            if entity is None:
                continue
            tokens = tuple(name_tokens(name))
            entity.names.append(ListedName(eid, name, kind, tokens))
            for token in tokens:
                by_token[token].add(eid)
        for eid, value in con.execute(
            "SELECT entity_id, value FROM current_statements WHERE prop = 'birthDate'"
        ).fetchall():
            if eid in entities:
                entities[eid].birth_dates.append(value)
        return cls(entities=entities, by_token=dict(by_token))

    def candidates(self, tokens: list[str]) -> set[str]:
        found: set[str] = set()
        for token in tokens:
            found |= self.by_token.get(token, set())
        return found
