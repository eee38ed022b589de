"""The OFAC SDN legacy CSV set: sdn.csv with alt.csv, add.csv and sdn_comments.csv.

No header; ``-0- `` is null; ASCII; a Ctrl-Z line closes each file. sdn.csv columns:
ent_num, name, type, programs ("] [" joined), title, call sign, vessel type, tonnage,
GRT, flag, owner, remarks. sdn_comments.csv rows continue an entry's remarks.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity, Provenance
from hermit.model import schema as ftm
from hermit.sources.ofac_remarks import Clause, parse_date, parse_remarks
from hermit.sources.snapshot import ListSnapshot, SourceFile

PARSER = "ofac-csv@1"
DATASET = "us_ofac_sdn"
AUTHORITY = "Office of Foreign Assets Control"
_SCHEMATA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane", "": "Organization"}
_WIDTHS = {"sdn": 12, "alt": 5, "add": 6, "comments": 2}
_ALIAS_PROPS = {"aka": "alias", "fka": "previousName", "nka": "alias"}


@dataclass(slots=True)
class _Row:
    line: int
    cells: list[str | None]


@dataclass(slots=True)
class _Entry:
    row: _Row
    entity: Entity
    remarks: str | None
    related: list[Entity] = field(default_factory=list)


def _null(cell: str) -> str | None:
    text = cell.strip()
    return None if text in ("", "-0-") else text


def _read_rows(path: Path, kind: str) -> list[_Row]:
    """Rows with their physical line numbers; strict ASCII; the Ctrl-Z line skipped."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    if not raw.strip(b"\x1a\r\n \t"):
        if kind == "comments":
            return []
        raise SourceError(path, "the file is empty")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            path,
            f"byte 0x{raw[exc.start]:02x} is not ASCII: the OFAC CSV files are pure "
            "ASCII (wrong file or re-encoded?)",
            line,
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[_Row] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not cells or cells == ["\x1a"]:
                continue
            rows.append(_Row(start, [_null(c) for c in cells]))
    except csv.Error as exc:
        raise SourceError(path, f"malformed CSV: {exc}", reader.line_num) from exc
    _check_shape(path, kind, rows)
    return rows


def _check_shape(path: Path, kind: str, rows: list[_Row]) -> None:
    width = _WIDTHS[kind]
    for row in rows:
        if len(row.cells) != width:
            guess = {v: k for k, v in _WIDTHS.items()}.get(len(row.cells))
            hint = f" (this looks like {guess}.csv)" if guess and row is rows[0] else ""
            raise SourceError(
                path,
                f"expected {width} columns for {kind}.csv, found {len(row.cells)}{hint}",
                row.line,
            )
        if row.cells[0] is None or not row.cells[0].isdigit():
            raise SourceError(path, f"ent_num {row.cells[0]!r} is not a number", row.line)


def find_companion_files(sdn: Path) -> dict[str, Path]:
    """alt/add/comments files beside ``sdn`` (``ofac_sdn.csv`` -> ``ofac_alt.csv`` ...)."""
    name = sdn.name
    index = name.lower().rfind("sdn")
    if index < 0:
        return {}
    found: dict[str, Path] = {}
    for kind, part in (("alt", "alt"), ("add", "add"), ("comments", "sdn_comments")):
        for case in (part, part.upper()):
            candidate = sdn.with_name(name[:index] + case + name[index + 3 :])
            if candidate.exists() and candidate != sdn:
                found[kind] = candidate
                break
    return found


def entity_id(ent_num: str) -> str:
    return f"ofac-{ent_num}"


def _short_hash(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:10]


def parse_ofac_csv(
    sdn: Path,
    alt: Path | None = None,
    add: Path | None = None,
    comments: Path | None = None,
    published: datetime | None = None,
) -> ListSnapshot:
    """Parse the set; every problem is a SourceError naming the file and line."""
    if not sdn.exists():
        raise SourceError(sdn, "no such file")
    entries = _entries(sdn)
    warnings: list[str] = []
    if comments is not None:
        _apply_comments(comments, entries, warnings)
    if alt is not None:
        _apply_aliases(alt, entries, warnings)
    if add is not None:
        _apply_addresses(add, entries, warnings)
    names = _name_index(entries)
    entities: list[Entity] = []
    for entry in entries.values():
        _apply_remarks(entry, names, warnings)
        entities.append(entry.entity)
        entities.extend(entry.related)
    files = [SourceFile.of(p) for p in (sdn, alt, add, comments) if p is not None]
    return ListSnapshot(
        dataset=DATASET,
        title="OFAC Specially Designated Nationals (SDN) list",
        parser=PARSER,
        files=files,
        published=published,
        entities=entities,
        warnings=warnings,
    )


def _entries(path: Path) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for row in _read_rows(path, "sdn"):
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


def _apply_aliases(path: Path, entries: dict[str, _Entry], warnings: list[str]) -> None:
    for row in _read_rows(path, "alt"):
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


def _apply_addresses(path: Path, entries: dict[str, _Entry], warnings: list[str]) -> None:
    for row in _read_rows(path, "add"):
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


def _norm_name(name: str) -> str:
    return " ".join(name.upper().rstrip(".").split())


def _name_index(entries: dict[str, _Entry]) -> dict[str, str]:
    """Upper-cased primary names and aliases -> ent_num, for resolving "Linked To"."""
    index: dict[str, str] = {}
    for ent_num, entry in entries.items():
        for prop in ("alias", "previousName", "weakAlias"):
            for name in entry.entity.get(prop):
                index.setdefault(_norm_name(name), ent_num)
    for ent_num, entry in entries.items():
        for name in entry.entity.get("name"):
            index[_norm_name(name)] = ent_num  # a primary name wins over an alias
    return index


def _apply_remarks(entry: _Entry, names: dict[str, str], warnings: list[str]) -> None:
    e = entry.entity
    for clause in parse_remarks(entry.remarks):
        _apply_clause(entry, clause, names, warnings)
    if (
        e.schema in ("Person",)
        and not e.get("birthDate")
        and entry.remarks
        and "DOB" in entry.remarks
    ):
        warnings.append(f"{e.provenance.file}, line {e.provenance.line}: DOB not understood")


def _apply_clause(entry: _Entry, c: Clause, names: dict[str, str], warnings: list[str]) -> None:
    e = entry.entity
    person = e.schema == "Person"
    if c.kind == "birth_date" and person:
        for date in c.dates:
            e.add("birthDate", date, qualifier=c.qualifier)
    elif c.kind in ("birth_place", "nationality", "citizenship", "gender") and person:
        assert c.prop is not None
        e.add(c.prop, c.value, qualifier="alt." if c.alt else None)
    elif c.kind == "ship_imo":
        if e.schema == "Vessel" and is_valid_ship_imo(c.value):
            e.add("imoNumber", c.value, qualifier="alt." if c.alt else None)
        else:
            e.add("notes", c.text, qualifier="ofac:imo-not-a-valid-ship-number")
    elif c.kind == "company_imo":
        e.add("registrationNumber", c.value, qualifier="imo-company-number")
    elif c.kind == "identifier":
        _identifier(entry, c)
    elif c.kind == "linked_to":
        _link(entry, c, names, warnings)
    elif c.kind == "sanctions":
        entry.related[0].add("provisions", c.value)
    elif c.kind in (
        "weak_alias",
        "previous_name",
        "website",
        "email",
        "phone",
        "sector",
        "incorporation_date",
        "registration_country",
        "mmsi",
        "vessel_past_flag",
        "vessel_call_sign",
        "vessel_type",
        "aircraft_model",
        "aircraft_msn",
        "aircraft_construction_number",
        "aircraft_tail_number",
        "aircraft_manufacturer",
        "aircraft_build_date",
        "vessel_build_year",
    ):
        _typed(e, c)
    else:
        e.add("notes", c.text.rstrip("."), qualifier=f"ofac:{c.kind}")


def _typed(e: Entity, c: Clause) -> None:
    """A clause whose value goes to one FtM property, if the schema has it (else notes)."""
    prop = c.prop
    value = c.value
    if c.kind in ("aircraft_build_date", "incorporation_date"):
        value = parse_date(value) or value
    if prop is None or not ftm.has_prop(e.schema, prop):
        e.add(ftm.note_prop(e.schema), c.text.rstrip("."), qualifier=f"ofac:{c.kind}")
        return
    e.add(prop, value, qualifier=c.kind if c.kind.startswith("aircraft") else None)


def _identifier(entry: _Entry, c: Clause) -> None:
    e = entry.entity
    assert c.label is not None and c.prop is not None
    prop = c.prop
    if prop == "passportNumber" and e.schema != "Person":
        prop = "idNumber"
    if not ftm.has_prop(e.schema, prop):
        prop = "registrationNumber" if e.schema != "Person" else "idNumber"
    e.add(prop, c.value, qualifier=c.label)
    if prop == "swiftBic":
        return
    schema = "Passport" if c.prop == "passportNumber" and e.schema == "Person" else "Identification"
    doc = Entity(f"{e.id}-doc-{_short_hash(c.label, c.value)}", schema, e.provenance)
    doc.add("holder", e.id, cleaned=True)
    doc.add("type", c.label)
    doc.add("number", c.value)
    doc.add("country", c.country)
    doc.add("startDate", c.issued)
    doc.add("endDate", c.expires)
    if c.alt:
        doc.add("summary", "alternative")
    if all(r.id != doc.id for r in entry.related):
        entry.related.append(doc)


def _link(entry: _Entry, c: Clause, names: dict[str, str], warnings: list[str]) -> None:
    e = entry.entity
    target = names.get(_norm_name(c.value)) or names.get(" ".join(c.value.upper().split()))
    if target is None:
        e.add("notes", f"Linked To: {c.value}", qualifier="ofac:unresolved-link")
        warnings.append(
            f"{e.provenance.file}, line {e.provenance.line}: Linked To {c.value!r} matches no entry"
        )
        return
    link = Entity(f"{e.id}-link-{target}", "UnknownLink", e.provenance)
    link.add("subject", e.id, cleaned=True)
    link.add("object", entity_id(target), cleaned=True)
    link.add("role", "Linked To")
    if all(r.id != link.id for r in entry.related):
        entry.related.append(link)
