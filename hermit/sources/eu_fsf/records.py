"""One sanctionEntity of the EU FSF XML to its entities."""

from __future__ import annotations

import hashlib
from pathlib import Path

from lxml import etree

from hermit.errors import SourceError
from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.model import Entity, Provenance, Value
from hermit.model import schema as ftm
from hermit.sources.safe_xml import line_of, local

DATASET = "eu_fsf"
AUTHORITY = "European Union (Council of the European Union)"
_SCHEMATA = {"person": "Person", "enterprise": "Organization"}
_GENDERS = {"M": "male", "F": "female"}
#: identificationTypeCode -> (document schema, property on a Person, on others)
_DOCUMENTS = {
    "passport": ("Passport", "passportNumber", "idNumber"),
    "id": ("Identification", "idNumber", "idNumber"),
    "regnumber": ("Identification", "idNumber", "registrationNumber"),
    "fiscalcode": ("Identification", "taxNumber", "taxNumber"),
    "swiftbic": ("Identification", "idNumber", "swiftBic"),
}
_KNOWN = frozenset(
    {"regulation", "subjectType", "nameAlias", "citizenship", "birthdate", "identification",
     "address", "remark"}
)  # fmt: skip
_Element = etree._Element


def entity_id(logical_id: str) -> str:
    """logicalId 5463 -> ``eu-fsf-5463``: the EU's own id, stable across versions."""
    return f"eu-fsf-{logical_id}"


def _hash(*parts: str | None) -> str:
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()[:10]


def _attr(el: _Element, name: str) -> str | None:
    text = el.get(name)
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _children(el: _Element, name: str) -> list[_Element]:
    return [c for c in el if local(c.tag) == name]


def _remarks(el: _Element) -> list[str]:
    return [" ".join(r.text.split()) for r in _children(el, "remark") if r.text and r.text.strip()]


def _country(el: _Element) -> tuple[str | None, str | None]:
    """(ISO code, the description as written); the code ``00`` means unknown."""
    code = (_attr(el, "countryIso2Code") or "").lower()
    return (None if code in ("", "00") else code), _attr(el, "countryDescription")


def _schema(path: Path, record: _Element) -> str:
    subject = next(iter(_children(record, "subjectType")), None)
    code = None if subject is None else _attr(subject, "code")
    schema = _SCHEMATA.get((code or "").lower())
    if schema is None:
        raise SourceError(
            path, f"unknown subjectType code {code!r} (person or enterprise)", line_of(record)
        )
    if schema == "Organization" and any(_is_imo(i) for i in _children(record, "identification")):
        return "Vessel"
    return schema


def _is_imo(ident: _Element) -> bool:
    kind = (_attr(ident, "identificationTypeCode") or "").lower()
    described = (_attr(ident, "identificationTypeDescription") or "").upper()
    return kind == "imo" or "IMO" in described.split()


def record_entities(
    path: Path, record: _Element, logical: str, warnings: list[str]
) -> list[Entity]:
    """The main entity, its Sanction, documents and addresses."""
    schema = _schema(path, record)
    prov = Provenance(DATASET, logical, str(path), line_of(record))
    main = Entity(entity_id(logical), schema, prov)
    related: dict[str, Entity] = {}
    _names(path, record, main)
    for citizenship in _children(record, "citizenship"):
        code, described = _country(citizenship)
        prop = "nationality" if schema == "Person" else "country"
        if code is not None:
            main.add_value(Value(prop, code, described))
        for remark in _remarks(citizenship):
            main.add(
                ftm.note_prop(schema), f"citizenship: {remark}", qualifier="eu:citizenship/remark"
            )
    if schema == "Person":
        for birth in _children(record, "birthdate"):
            _birth(path, birth, main, warnings)
    for ident in _children(record, "identification"):
        doc = _identification(ident, main)
        if doc is not None:
            related.setdefault(doc.id, doc)
    for addr in _children(record, "address"):
        address = _address(addr, main)
        if address is not None:
            related.setdefault(address.id, address)
    for remark in _remarks(record):
        main.add(ftm.note_prop(schema), remark, qualifier="eu:remark")
    main.add("topics", "sanction")
    sanction = _sanction(record, main)
    for child in record:
        name = local(child.tag)
        if name and name not in _KNOWN:
            text = " ".join("".join(str(t) for t in child.itertext()).split())
            main.add(
                ftm.note_prop(schema),
                f"{name}: {text or etree.tostring(child).decode()[:200]}",
                qualifier=f"eu:{name}",
            )
            warnings.append(
                f"{path}, line {line_of(child)}: unknown element <{name}>: kept in notes"
            )
    return [main, sanction, *related.values()]


def _names(path: Path, record: _Element, main: Entity) -> None:
    aliases = _children(record, "nameAlias")
    person = main.schema == "Person"
    for index, alias in enumerate(aliases):
        parts = [_attr(alias, a) for a in ("firstName", "middleName", "lastName")]
        whole = _attr(alias, "wholeName") or " ".join(p for p in parts if p) or None
        if whole is None:
            continue
        strong = (_attr(alias, "strong") or "true").lower() != "false"
        language = _attr(alias, "nameLanguage")
        prop = "name" if index == 0 or not main.get("name") else "alias"
        if not strong and prop == "alias":
            prop = "weakAlias"
        qualifier = ("strong" if strong else "weak") + (
            f", language {language}" if language else ""
        )
        main.add_value(Value(prop, whole, None, qualifier))
        if person:
            first, middle, last = parts
            main.add("firstName", first)
            main.add("middleName", middle)
            main.add("lastName", last)
            main.add("title", _attr(alias, "title"))
            main.add("position", _attr(alias, "function"))
            gender = _attr(alias, "gender")
            if gender is not None:
                main.add_value(
                    Value("gender", _GENDERS.get(gender.upper(), gender.lower()), gender)
                )
        else:
            for attr in ("function", "title"):
                if _attr(alias, attr):
                    main.add(
                        "notes", f"{attr}: {_attr(alias, attr)}", qualifier=f"eu:nameAlias/{attr}"
                    )
        for remark in _remarks(alias):
            main.add(
                ftm.note_prop(main.schema),
                f"name {whole}: {remark}",
                qualifier="eu:nameAlias/remark",
            )
    if not main.get("name"):
        raise SourceError(
            path, f"sanctionEntity {main.provenance.record_id} has no name", line_of(record)
        )


def _birth(path: Path, birth: _Element, main: Entity, warnings: list[str]) -> None:
    """A full date (``birthdate``), else year / month / day parts, else a year range;
    ``circa="true"`` is the qualifier ``circa``; the place goes to birthPlace."""
    circa = (_attr(birth, "circa") or "").lower() == "true"
    qualifier = "circa" if circa else None
    full = _attr(birth, "birthdate")
    year, month, day = (_attr(birth, a) for a in ("year", "monthOfYear", "dayOfMonth"))
    low, high = _attr(birth, "yearRangeFrom"), _attr(birth, "yearRangeTo")
    value: str | None = None
    if full is not None:
        value = main.add("birthDate", full, qualifier=qualifier)
    elif year is not None:
        iso = year + (f"-{int(month):02d}" if month and month.isdigit() else "")
        iso += f"-{int(day):02d}" if month and day and day.isdigit() else ""
        value = main.add("birthDate", iso, qualifier=qualifier)
    elif low is not None and high is not None and low.isdigit() and high.isdigit():
        for y in range(int(low), int(high) + 1):
            value = main.add("birthDate", str(y), qualifier=f"between {low} and {high}")
    if value is None and (full or year or low or high):
        warnings.append(f"{path}, line {line_of(birth)}: birthdate not understood: kept in notes")
    code, described = _country(birth)
    place = ", ".join(
        p
        for p in (_attr(birth, "city"), _attr(birth, "place"), _attr(birth, "region"), described)
        if p and p != "-"
    )
    main.add("birthPlace", place or None)
    if code is not None:
        main.add_value(Value("birthCountry", code, described))
    for remark in _remarks(birth):
        main.add("notes", f"birth: {remark}", qualifier="eu:birthdate/remark")


def _identification(ident: _Element, main: Entity) -> Entity | None:
    number = _attr(ident, "number") or _attr(ident, "latinNumber")
    kind = (_attr(ident, "identificationTypeCode") or "other").lower()
    described = _attr(ident, "identificationTypeDescription")
    if number is None:
        return None
    if _is_imo(ident):
        imo = normalize_imo(number)
        if main.schema == "Vessel" and imo is not None and is_valid_ship_imo(imo):
            main.add_value(Value("imoNumber", imo, None if imo == number else number))
        else:
            main.add("notes", f"IMO number: {number}", qualifier="eu:imo-not-a-valid-ship-number")
        return None
    doc_schema, person_prop, other_prop = _DOCUMENTS.get(
        kind, ("Identification", "idNumber", "registrationNumber")
    )
    prop = person_prop if main.schema == "Person" else other_prop
    if not ftm.has_prop(main.schema, prop):
        prop = "idNumber" if ftm.has_prop(main.schema, "idNumber") else "registrationNumber"
    if main.schema != "Person":
        doc_schema = "Identification"
    main.add_value(Value(prop, number, None, described))
    doc = Entity(
        f"{main.id}-doc-{_hash(kind, number)}",
        doc_schema,
        Provenance(DATASET, main.provenance.record_id, main.provenance.file, line_of(ident)),
    )
    doc.add("holder", main.id, cleaned=True)
    doc.add("number", number)
    doc.add("type", described)
    code, country = _country(ident)
    if code is not None:
        doc.add_value(Value("country", code, country))
    doc.add("authority", _attr(ident, "issuedBy"))
    flags = [
        f
        for f in ("diplomatic", "knownExpired", "knownFalse", "reportedLost", "revokedByIssuer")
        if (_attr(ident, f) or "").lower() == "true"
    ]
    if flags:
        doc.add("summary", "flags: " + ", ".join(flags))
    name_on = _attr(ident, "nameOnDocument")
    if name_on:
        doc.add("summary", f"name on document: {name_on}")
    for remark in _remarks(ident):
        doc.add("summary", remark)
    return doc


def _address(addr: _Element, main: Entity) -> Entity | None:
    code, described = _country(addr)
    parts = {a: _attr(addr, a) for a in ("street", "poBox", "city", "zipCode", "region", "place")}
    remarks = _remarks(addr)
    content = [
        parts["street"],
        parts["poBox"],
        parts["place"],
        parts["city"],
        parts["zipCode"],
        parts["region"],
        described if code is not None else None,
    ]
    full = ", ".join(p for p in content if p)
    if not full and not remarks:
        return None
    address = Entity(
        f"{main.id}-addr-{_hash(full, *remarks)}",
        "Address",
        Provenance(DATASET, main.provenance.record_id, main.provenance.file, line_of(addr)),
    )
    shown = full or remarks[0]
    address.add("full", shown)
    address.add("street", parts["street"])
    address.add("postOfficeBox", parts["poBox"])
    address.add("city", parts["city"])
    address.add("postalCode", parts["zipCode"])
    address.add("region", parts["region"])
    if code is not None:
        address.add_value(Value("country", code, described))
    for remark in remarks:
        address.add("remarks", remark)
    if ftm.has_prop(main.schema, "addressEntity"):
        main.add("address", shown)
        main.add("addressEntity", address.id, cleaned=True)
    if code is not None:
        main.add("country", code)
    return address


def _sanction(record: _Element, main: Entity) -> Entity:
    sanction = Entity(f"{main.id}-sanction", "Sanction", main.provenance)
    sanction.add("entity", main.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    sanction.add("authorityId", _attr(record, "euReferenceNumber"))
    sanction.add("unscId", _attr(record, "unitedNationId"))
    sanction.add("listingDate", _attr(record, "designationDate"))
    sanction.add("summary", _attr(record, "designationDetails"))
    sanction.add("recordId", main.provenance.record_id)
    for regulation in _children(record, "regulation"):
        programme = _attr(regulation, "programme")
        sanction.add("program", programme)
        main.add("program", programme, cleaned=True)
        title = _attr(regulation, "numberTitle")
        kind = _attr(regulation, "regulationType")
        if title is not None:
            sanction.add("provisions", f"{kind} {title}" if kind else title)
        for url in _children(regulation, "publicationUrl"):
            if url.text and url.text.strip():
                sanction.add("sourceUrl", url.text.strip())
        sanction.add("modifiedAt", _attr(regulation, "publicationDate"))
    return sanction
