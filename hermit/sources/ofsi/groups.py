"""OFSI groups to FtM entities: one Person, Organization or Vessel per Group ID with
every name of its rows, a Sanction, Passport / Identification and Address entities.

The list repeats a group's facts on each of its rows and spreads its alternatives over
them (one row per name, and again per date of birth or address): a group's entity holds
the union of its rows' values, each value once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import MappingProxyType

from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity, Provenance, Value
from hermit.model import schema as ftm
from hermit.sources.ofsi import values as v
from hermit.sources.ofsi.table import Row, Table

DATASET = "gb_hmt_sanctions"
AUTHORITY = "HM Treasury, Office of Financial Sanctions Implementation (OFSI)"
SCHEMATA: Mapping[str, str] = MappingProxyType(
    {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
)
#: Alias Type (2018 and 2022 wording) -> property.
ALIAS_PROPS: Mapping[str, str] = MappingProxyType(
    {
        "prime alias": "name",
        "primary name": "name",
        "primary name variation": "alias",
        "aka": "alias",
        "fka": "previousName",
    }
)
_ADDRESS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")
_GIVEN = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
_VESSEL_LABELS = {
    "Flag of ship": "flag",
    "Previous flags": "pastFlags",
    "Type of ship": "type",
    "Tonnage of ship": "tonnage",
    "Year built": "buildDate",
}
_CONTACT_LABELS = {
    "Phone number": "phone",
    "Tel": "phone",
    "Email address": "email",
    "Website": "website",
    "Business Reg No": "registrationNumber",
    "Type of entity": "legalForm",
}


def entity_id(group_id: str) -> str:
    """Group ID 13651 -> ``ofsi-13651``: OFSI's own id, stable across versions."""
    return f"ofsi-{group_id}"


def _short_hash(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:10]


def group_rows(table: Table) -> dict[str, list[Row]]:
    """Rows by Group ID in file order; a row without a numeric Group ID is an error."""
    groups: dict[str, list[Row]] = {}
    for row in table.rows:
        gid = row.cells.get("Group ID", "")
        if not gid.isdigit():
            raise table.error(f"Group ID {gid!r} is not a number", row.line)
        groups.setdefault(gid, []).append(row)
    return groups


def group_entities(table: Table, gid: str, rows: list[Row], warnings: list[str]) -> list[Entity]:
    """The main entity of one group, then its Sanction, documents and addresses."""
    first = rows[0]
    kinds = {r.cells["Group Type"].strip().lower() for r in rows}
    kind = first.cells["Group Type"].strip().lower()
    schema = SCHEMATA.get(kind)
    if schema is None:
        raise table.error(
            f"unknown Group Type {first.cells['Group Type']!r} (Individual, Entity or Ship)",
            first.line,
        )
    if len(kinds) > 1:
        _warn(
            table,
            first,
            f"group {gid} has rows of Group Types {sorted(kinds)}: read as {schema}",
            warnings,
        )
    prov = Provenance(DATASET, gid, str(table.path), first.line)
    main = Entity(entity_id(gid), schema, prov)
    related: dict[str, Entity] = {}
    sanction = Entity(f"{main.id}-sanction", "Sanction", prov)
    sanction.add("entity", main.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    sanction.add("recordId", gid)
    related[sanction.id] = sanction
    done: set[tuple[str, ...]] = set()  # the parts of rows already read (rows repeat them)
    for row in rows:
        _names(table, row, main, warnings)
        for part, columns, read in _PARTS:
            key = (part, *(row.cells.get(c, "") for c in columns))
            if key not in done:
                done.add(key)
                read(table, row, main, sanction, related, warnings)
        for column in table.unknown:
            text = row.cells.get(column, "")
            if text:
                main.add(ftm.note_prop(schema), f"{column}: {text}", qualifier=f"ofsi:{column}")
    if not main.get("name"):
        names = [n for n, _ in main.names()]
        if not names:
            raise table.error(f"group {gid} has no name on any of its rows", first.line)
        main.add("name", names[0], cleaned=True, qualifier="ofsi:no-primary-name")
        _warn(table, first, f"group {gid} has no primary name: {names[0]!r} used", warnings)
    main.add("topics", "sanction")
    return [main, *related.values()]


def _warn(table: Table, row: Row, problem: str, warnings: list[str]) -> None:
    text = f"{table.path}, {table.where} {row.line}: {problem}"
    if text not in warnings:
        warnings.append(text)


def _names(table: Table, row: Row, main: Entity, warnings: list[str]) -> None:
    cells = row.cells
    given = [cells.get(c, "") for c in _GIVEN]
    surname = cells.get("Name 6", "")
    full = " ".join(p for p in (*given, surname) if p)
    if not full:
        _warn(table, row, "a row without a name (Name 1 .. Name 6 empty)", warnings)
        return
    alias_type = cells.get("Alias Type", "")
    quality = cells.get("Alias Quality", "")
    prop = ALIAS_PROPS.get(alias_type.lower())
    if prop is None:
        _warn(table, row, f"unknown Alias Type {alias_type!r}: read as an alias", warnings)
        prop = "alias"
    if prop == "alias" and quality.lower().startswith("low"):
        prop = "weakAlias"
    qualifier = " / ".join(q for q in (alias_type, quality) if q) or None
    main.add_value(Value(prop, full, None, qualifier))
    if main.schema == "Person":
        main.add("firstName", given[0] or None)
        for middle in given[1:]:
            main.add("middleName", middle or None)
        main.add("lastName", surname or None)
        main.add("title", cells.get("Title") or None)
    elif cells.get("Title"):
        main.add("notes", f"Title: {cells['Title']}", qualifier="ofsi:Title")
    script = cells.get("Name Non-Latin Script", "")
    if script:
        kind = ", ".join(
            x
            for x in (cells.get("Non-Latin Script Type"), cells.get("Non-Latin Script Language"))
            if x
        )
        main.add("alias", script, qualifier="original-script" + (f" ({kind})" if kind else ""))


def _facts(row: Row, main: Entity) -> None:
    """Birth, nationality, position: for a Person; elsewhere kept in notes."""
    cells = row.cells
    person = main.schema == "Person"
    dob = cells.get("DOB", "")
    if dob and person:
        iso = v.birth_date(dob)
        if iso is None:
            main.add("notes", f"DOB: {dob}", qualifier="unparsed:birthDate")
        else:
            main.add_value(Value("birthDate", iso, None if iso == dob else dob))
    countries = v.items(cells.get("Country of Birth", ""))
    town = cells.get("Town of Birth", "")
    if person:
        place = ", ".join(p for p in (town, cells.get("Country of Birth", "")) if p)
        main.add("birthPlace", place or None)
        for country in countries:
            main.add("birthCountry", country)
        for nationality in v.items(cells.get("Nationality", "")):
            main.add("nationality", nationality)
        main.add("position", cells.get("Position") or None)
    else:
        for column in ("DOB", "Town of Birth", "Country of Birth", "Nationality", "Position"):
            if cells.get(column):
                main.add("notes", f"{column}: {cells[column]}", qualifier=f"ofsi:{column}")


def _documents(row: Row, main: Entity, related: dict[str, Entity]) -> None:
    """Passports and national identity numbers: the 2022 columns give the numbers
    (``(1) X (2) Y``) with their details; the 2018 column only text with numbers in it."""
    cells = row.cells
    for number_col, detail_col, schema, prop in (
        ("Passport Number", "Passport Details", "Passport", "passportNumber"),
        (
            "National Identification Number",
            "National Identification Details",
            "Identification",
            "idNumber",
        ),
        (None, "NI Number", "Identification", "idNumber"),
    ):
        details = v.items(cells.get(detail_col, ""))
        if number_col is not None and number_col in cells:
            numbers = v.items(cells.get(number_col, ""))
            pairs = [
                (n, details[i] if len(details) == len(numbers) else cells.get(detail_col, ""))
                for i, n in enumerate(numbers)
            ]
            for number, detail in pairs:
                _document(main, related, schema, prop, number, None, detail)
            continue
        if number_col is None and detail_col not in cells:
            continue
        if detail_col == "Passport Details" and "Passport Number" in cells:
            continue
        for text in details:
            found = v.document_number(text)
            if found is None:
                main.add(
                    ftm.note_prop(main.schema),
                    f"{detail_col}: {text}",
                    qualifier=f"ofsi:{detail_col}",
                )
                continue
            _document(main, related, schema, prop, found, text, text)


def _document(
    main: Entity,
    related: dict[str, Entity],
    schema: str,
    prop: str,
    number: str,
    original: str | None,
    detail: str | None,
) -> None:
    if main.schema != "Person":
        prop, schema = (
            ("registrationNumber" if main.schema != "Vessel" else "idNumber"),
            "Identification",
        )
        if not ftm.has_prop(main.schema, prop):
            main.add("notes", f"document: {detail or number}", qualifier="ofsi:document")
            return
    main.add_value(Value(prop, number, None if original == number else original))
    doc_id = f"{main.id}-doc-{_short_hash(schema, number)}"
    doc = related.get(doc_id)
    if doc is None:
        doc = related[doc_id] = Entity(doc_id, schema, main.provenance)
        doc.add("holder", main.id, cleaned=True)
        doc.add("number", number)
    doc.add("summary", None if detail == number else detail)


def _address(row: Row, main: Entity, related: dict[str, Entity]) -> None:
    cells = row.cells
    lines = [cells.get(c, "") for c in _ADDRESS]
    postcode = cells.get("Post/Zip Code", "")
    country = cells.get("Country", "")
    parts = [p for p in (*lines, postcode, country) if p]
    if not parts:
        return
    full = ", ".join(parts)
    address_id = f"{main.id}-addr-{_short_hash(full)}"
    if address_id not in related:
        address = related[address_id] = Entity(address_id, "Address", main.provenance)
        address.add("full", full)
        address.add("street", ", ".join(p for p in lines[:-1] if p) or None)
        address.add("city", lines[-1] or None)
        address.add("postalCode", postcode or None)
        address.add("country", country or None)
    if ftm.has_prop(main.schema, "addressEntity"):
        main.add("address", full)
        main.add("addressEntity", address_id, cleaned=True)
    main.add("country", country or None)


def _other(table: Table, row: Row, main: Entity, sanction: Entity, warnings: list[str]) -> None:
    """Other Information: kept whole in notes; its labelled parts to their properties."""
    text = row.cells.get("Other Information", "")
    if not text:
        return
    note = ftm.note_prop(main.schema)
    main.add(note, text, qualifier="ofsi:Other Information")
    info = v.other_information(text)
    for ref in info.get("UK Sanctions List Ref"):
        sanction.add("authorityId", ref)
    for ref in info.un_refs:
        sanction.add("unscId", ref)
    for reason in info.get("UK Statement of Reasons"):
        sanction.add("reason", reason)
    if main.schema == "Person":
        for gender in info.get("Gender"):
            main.add("gender", gender)
    for label, prop in _CONTACT_LABELS.items():
        for value in info.get(label):
            if ftm.has_prop(main.schema, prop):
                main.add(prop, value)
    if main.schema != "Vessel":
        return
    for imo in info.get("IMO number"):
        if is_valid_ship_imo(imo):
            main.add("imoNumber", imo)
        else:
            main.add("notes", f"IMO number: {imo}", qualifier="ofsi:imo-not-a-valid-ship-number")
            _warn(table, row, f"IMO number {imo!r} fails the check digit: kept in notes", warnings)
    for label, prop in _VESSEL_LABELS.items():
        for value in info.get(label):
            main.add(prop, value)


def _sanction(table: Table, row: Row, main: Entity, sanction: Entity, warnings: list[str]) -> None:
    cells = row.cells
    regime = cells.get("Regime", "")
    main.add("program", regime or None, cleaned=True)
    sanction.add("program", regime or None)
    for column, prop in (
        ("Listed On", "listingDate"),
        ("UK Sanctions List Date Designated", "startDate"),
        ("Last Updated", "modifiedAt"),
    ):
        text = cells.get(column, "")
        if not text:
            continue
        iso = v.list_date(text)
        if iso is None:
            _warn(
                table,
                row,
                f"{column} {text!r} is not a date DD/MM/YYYY: kept in the summary",
                warnings,
            )
            sanction.add("summary", f"{column}: {text}", qualifier=f"unparsed:{prop}")
        else:
            sanction.add_value(Value(prop, iso, text))


def _read_facts(
    table: Table,
    row: Row,
    main: Entity,
    sanction: Entity,
    related: dict[str, Entity],
    warnings: list[str],
) -> None:
    _facts(row, main)


def _read_documents(
    table: Table,
    row: Row,
    main: Entity,
    sanction: Entity,
    related: dict[str, Entity],
    warnings: list[str],
) -> None:
    _documents(row, main, related)


def _read_address(
    table: Table,
    row: Row,
    main: Entity,
    sanction: Entity,
    related: dict[str, Entity],
    warnings: list[str],
) -> None:
    _address(row, main, related)


def _read_other(
    table: Table,
    row: Row,
    main: Entity,
    sanction: Entity,
    related: dict[str, Entity],
    warnings: list[str],
) -> None:
    _other(table, row, main, sanction, warnings)


def _read_sanction(
    table: Table,
    row: Row,
    main: Entity,
    sanction: Entity,
    related: dict[str, Entity],
    warnings: list[str],
) -> None:
    _sanction(table, row, main, sanction, warnings)


#: The parts of a row read once per group for each distinct content of their columns.
_PARTS = (
    ("facts", ("DOB", "Town of Birth", "Country of Birth", "Nationality", "Position"), _read_facts),
    (
        "documents",
        (
            "Passport Number",
            "Passport Details",
            "National Identification Number",
            "National Identification Details",
            "NI Number",
        ),
        _read_documents,
    ),
    ("address", (*_ADDRESS, "Post/Zip Code", "Country"), _read_address),
    ("other", ("Other Information",), _read_other),
    (
        "sanction",
        ("Regime", "Listed On", "UK Sanctions List Date Designated", "Last Updated"),
        _read_sanction,
    ),
)
