"""Remarks clauses applied to an SDN entry: dates, places, identifiers, links."""

from __future__ import annotations

from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity
from hermit.model import schema as ftm
from hermit.sources.ofac_entries import _Entry, _short_hash, entity_id
from hermit.sources.ofac_remarks import Clause, parse_date, parse_remarks


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
