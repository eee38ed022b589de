"""The records to resolve, read from the registry store: every party (Company,
Organization, Person, PublicBody, LegalEntity ...; not relations, not addresses), one per record id
(a record id read more than once - a Russian founder that is also a company of the
registry, a person named in several rows, the same file loaded twice - is one record
with the values of all its rows), with its first provenance, its checked identifiers and
the records it is related to (the other end of its Directorship and Ownership
relations)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson

from hermit.errors import StoreError
from hermit.registry.store import RegistryStore

#: The ends of the relations that attach a person or company to a company.
RELATION_ENDS = {"Ownership": ("owner", "asset"), "Directorship": ("director", "organization")}
PERSON = "person"
ORGANIZATION = "organization"


@dataclass(slots=True)
class Record:
    """One record to resolve (values of all rows with its id)."""

    record_id: str
    schema: str
    registry: str
    file: str
    row: int
    props: dict[str, list[str]] = field(default_factory=dict)
    strong_ids: set[str] = field(default_factory=set)  # "inn:7707083893"
    weak_ids: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)  # record ids at the other end

    @property
    def kind(self) -> str:
        return PERSON if self.schema == "Person" else ORGANIZATION

    def values(self, *names: str) -> list[str]:
        out: list[str] = []
        for name in names:
            for value in self.props.get(name, []):
                if value not in out:
                    out.append(value)
        return out


@cache
def party_schemata() -> tuple[str, ...]:
    """The FtM schemata that are parties (LegalEntity and what descends from it:
    Company, Organization, Person, PublicBody ...); relations and addresses are not."""
    from followthemoney import model

    return tuple(sorted(s.name for s in model.schemata.values() if s.is_a("LegalEntity")))


def _merge(record: Record, entity: dict[str, Any]) -> None:
    for prop, values in (entity.get("properties") or {}).items():
        kept = record.props.setdefault(prop, [])
        for value in values:
            if value not in kept:
                kept.append(str(value))


def read_records(store: RegistryStore) -> dict[str, Record]:
    """Every record of every load, by record id (StoreError if there are none)."""
    found: dict[str, Record] = {}
    parties = ", ".join(f"'{s}'" for s in party_schemata())
    rows = store.con.execute(
        f"SELECT record_id, schema, registry, file, row, entity FROM registry_records "
        f"WHERE schema IN ({parties}) ORDER BY load_id, file, row, record_id"
    ).fetchall()
    for record_id, schema, registry, file, row, entity in rows:
        record = found.get(record_id)
        if record is None:
            record = found[record_id] = Record(record_id, schema, registry, file, int(row))
        elif record.schema != schema and schema == "Person":
            raise StoreError(
                f"record {record_id} is a {record.schema} ({record.file}, row {record.row}) "
                f"and a Person ({file}, row {row}): one id, two kinds of entity"
            )
        _merge(record, orjson.loads(entity))
    if not found:
        raise StoreError(f"{store.path}: no registry records to resolve (hermit registry load)")
    for record_id, scheme, value, valid in store.con.execute(
        "SELECT DISTINCT record_id, scheme, value, valid FROM registry_identifiers"
    ).fetchall():
        record = found.get(record_id)
        if record is not None and value:
            (record.strong_ids if valid else record.weak_ids).add(f"{scheme}:{value}")
    _relate(store, found)
    return found


def _relate(store: RegistryStore, found: dict[str, Record]) -> None:
    ends: dict[str, set[str]] = defaultdict(set)
    schemata = ", ".join(f"'{s}'" for s in RELATION_ENDS)
    for schema, entity in store.con.execute(
        f"SELECT schema, entity FROM registry_records WHERE schema IN ({schemata})"
    ).fetchall():
        props = orjson.loads(entity).get("properties") or {}
        one, other = RELATION_ENDS[schema]
        for a in props.get(one, []):
            for b in props.get(other, []):
                ends[a].add(b)
                ends[b].add(a)
    for record_id, related in ends.items():
        record = found.get(record_id)
        if record is not None:
            record.related |= related - {record_id}
