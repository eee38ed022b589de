"""SDN entries and their companions (aliases, addresses, comment rows) as FtM entities."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from hermit.errors import SourceError
from hermit.model import Entity, Provenance
from hermit.sources.ofac_rows import _read_rows, _Row

PARSER = "ofac-csv@1"
DATASET = "us_ofac_sdn"
AUTHORITY = "Office of Foreign Assets Control"
_SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
_ALIAS_PROPS = {"aka": "alias", "fka": "previousName", "nka": "alias"}


@dataclass(slots=True)
class _Entry:
    row: _Row
    entity: Entity
    remarks: str | None
    related: list[Entity] = field(default_factory=list)


def entity_id(ent_num: str) -> str:
    return f"ofac-{ent_num}"


def _short_hash(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:10]


def _entries(path: Path, end_mark: bool = True) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for row in _read_rows(path, "sdn", end_mark):
        ent_num, name, sdn_type = row.cells[0], row.cells[1], row.cells[2]
        assert ent_num is not None
        if ent_num in entries:
            raise SourceError(
                path,
                f"ent_num {ent_num} occurs twice (first on line {entries[ent_num].row.line})",
                row.line,
            )
        schema = _SCHEMATA.get((sdn_type or "").lower())
        if schema is None:
            raise SourceError(path, f"unknown SDN type {sdn_type!r}", row.line)
        if name is None:
            raise SourceError(path, f"entry {ent_num} has no name", row.line)
        entity = Entity(
            entity_id(ent_num), schema, Provenance(DATASET, ent_num, str(path), row.line)
        )
        entries[ent_num] = _Entry(row, entity, row.cells[11])
        _main_fields(entries[ent_num])
    return entries


def _main_fields(entry: _Entry) -> None:
    e, cells = entry.entity, entry.row.cells
    name = cells[1]
    assert name is not None
    e.add("name", name)
    if e.schema == "Person" and ", " in name:
        last, first = name.split(", ", 1)
        e.add("lastName", last)
        e.add("firstName", first)
    programs = [p.strip() for p in (cells[3] or "").strip("[]").split("] [") if p.strip()]
    for program in programs:
        e.add("program", program, cleaned=True)
    e.add("topics", "sanction")
    if cells[4] is not None:
        e.add("position" if e.schema == "Person" else "notes", cells[4], qualifier="ofac:title")
    if e.schema == "Vessel":
        e.add("callSign", cells[5])
        e.add("type", cells[6])
        e.add("tonnage", cells[7])
        e.add("grossRegisteredTonnage", cells[8])
        e.add("flag", cells[9])
    else:
        for index, label in ((5, "call sign"), (6, "vessel type"), (9, "flag")):
            if cells[index] is not None:
                e.add("notes", f"{label}: {cells[index]}", qualifier="ofac:vessel-field")
    if cells[10] is not None:
        e.add("notes", f"owner: {cells[10]}", qualifier="ofac:vess_owner")
    sanction = Entity(f"{e.id}-sanction", "Sanction", e.provenance)
    sanction.add("entity", e.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    for program in programs:
        sanction.add("program", program)
    sanction.add("recordId", e.provenance.record_id)
    entry.related.append(sanction)


def _apply_comments(path: Path, entries: dict[str, _Entry], warnings: list[str]) -> None:
    for row in _read_rows(path, "comments"):
        ent_num, text = row.cells[0], row.cells[1]
        assert ent_num is not None
        entry = entries.get(ent_num)
        if entry is None:
            warnings.append(f"{path}, line {row.line}: comment for unknown ent_num {ent_num}")
            continue
        entry.remarks = (entry.remarks or "") + (text or "")


def _apply_aliases(
    path: Path, entries: dict[str, _Entry], warnings: list[str], end_mark: bool = True
) -> None:
    for row in _read_rows(path, "alt", end_mark):
        ent_num, _alt_num, alt_type, alt_name, alt_remarks = row.cells
        assert ent_num is not None
        entry = entries.get(ent_num)
        if entry is None:
            warnings.append(f"{path}, line {row.line}: alias of unknown ent_num {ent_num}")
            continue
        kind = (alt_type or "aka").lower()
        prop = _ALIAS_PROPS.get(kind)
        if prop is None:
            raise SourceError(path, f"unknown alias type {alt_type!r}", row.line)
        entry.entity.add(prop, alt_name, qualifier=kind)
        if alt_remarks:
            entry.entity.add(
                "notes", f"alias {alt_name}: {alt_remarks}", qualifier="ofac:alt_remarks"
            )


def _apply_addresses(
    path: Path, entries: dict[str, _Entry], warnings: list[str], end_mark: bool = True
) -> None:
    for row in _read_rows(path, "add", end_mark):
        ent_num, add_num, street, city, country, remarks = row.cells
        assert ent_num is not None
        entry = entries.get(ent_num)
        if entry is None:
            warnings.append(f"{path}, line {row.line}: address of unknown ent_num {ent_num}")
            continue
        full = ", ".join(p for p in (street, city, country) if p)
        if not full and not remarks:
            continue
        main = entry.entity
        address = Entity(
            f"{main.id}-addr-{add_num}",
            "Address",
            Provenance(DATASET, ent_num, str(path), row.line),
        )
        address.add("full", full or None)
        address.add("street", street)
        address.add("city", city)
        address.add("country", country)
        address.add("remarks", remarks)
        main.add("address", full or None)
        main.add("addressEntity", address.id, cleaned=True)
        main.add("country", country)
        entry.related.append(address)
