"""The UN Security Council consolidated list (XML).

Element tree: CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL and ENTITIES / ENTITY. For
DPRK people FIRST_NAME holds the surname. The parser refuses any DOCTYPE (no external
entities, no entity expansion), so a hostile file cannot read local files or blow up.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from lxml import etree

from hermit.errors import SourceError
from hermit.model import Entity, Provenance
from hermit.sources.snapshot import ListSnapshot, SourceFile

PARSER = "un-xml@1"
DATASET = "un_sc_sanctions"
AUTHORITY = "United Nations Security Council"

_NAME_PARTS = (
    ("FIRST_NAME", "firstName"),
    ("SECOND_NAME", "secondName"),
    ("THIRD_NAME", "middleName"),
    ("FOURTH_NAME", "middleName"),
)
_ALIAS_PROPS = {
    "good": "alias",
    "a.k.a.": "alias",
    "": "alias",
    "low": "weakAlias",
    "f.k.a.": "previousName",
}
_Element = etree._Element


def _line(el: _Element) -> int | None:
    """The element's line in the file (lxml keeps it for every element)."""
    line = getattr(el, "sourceline", None)
    return line if isinstance(line, int) else None


def _text(el: _Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    text = " ".join(el.text.split())
    return text or None


def _child(el: _Element, tag: str) -> str | None:
    return _text(el.find(tag))


def _values(el: _Element, tag: str) -> list[str]:
    """Texts of ``tag/VALUE`` children (NATIONALITY, DESIGNATION, TITLE ...)."""
    out: list[str] = []
    for holder in el.findall(tag):
        for value in holder.findall("VALUE"):
            text = _text(value)
            if text is not None:
                out.append(text)
    return out


def _short_hash(*parts: str | None) -> str:
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:10]


def _iso_date(path: Path, el: _Element, field: str, text: str) -> str:
    """``2016-03-02`` (a zone suffix such as ``2010-07-13-04:00`` is dropped) or error."""
    head = text[:10]
    try:
        datetime.strptime(head, "%Y-%m-%d")
    except ValueError as exc:
        raise SourceError(path, f"{field}: {text!r} is not a date", _line(el)) from exc
    return head


def _parse_tree(path: Path) -> _Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            path, f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the UN list is UTF-8)", bad_line
        ) from exc
    try:
        tree = etree.parse(io.BytesIO(raw), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise SourceError(path, f"not well-formed XML: {exc.msg}", line) from exc
    info = tree.docinfo
    if (
        getattr(info, "doctype", None)
        or info.internalDTD is not None
        or info.externalDTD is not None
    ):
        raise SourceError(
            path,
            "the XML declares a DOCTYPE/DTD (entities are refused: XXE, entity "
            "expansion); the UN list has none",
            1,
        )
    root = tree.getroot()
    if root.tag != "CONSOLIDATED_LIST":
        raise SourceError(
            path,
            f"not a UN consolidated list: the root element is <{root.tag}>, "
            "expected <CONSOLIDATED_LIST>",
            _line(root),
        )
    return root


def _published(path: Path, root: _Element) -> datetime | None:
    stamp = root.get("dateGenerated")
    if stamp is None:
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError as exc:
        raise SourceError(path, f"dateGenerated {stamp!r} is not a timestamp", 2) from exc


def _records(root: _Element) -> Iterator[tuple[_Element, str]]:
    for group, tag, schema in (
        ("INDIVIDUALS", "INDIVIDUAL", "Person"),
        ("ENTITIES", "ENTITY", "Organization"),
    ):
        for holder in root.findall(group):
            for record in holder.findall(tag):
                yield record, schema


def parse_un_xml(path: Path) -> ListSnapshot:
    """Parse the whole list; every problem is a SourceError naming file and line."""
    if not path.exists():
        raise SourceError(path, "no such file")
    if path.stat().st_size == 0:
        raise SourceError(path, "the file is empty")
    root = _parse_tree(path)
    entities: list[Entity] = []
    lines: dict[str, int | None] = {}
    for record, schema in _records(root):
        ref = _child(record, "REFERENCE_NUMBER")
        if ref is None:
            raise SourceError(path, f"<{record.tag}> without REFERENCE_NUMBER", _line(record))
        ref = ref.replace(" ", "")
        if ref in lines:
            raise SourceError(
                path,
                f"reference number {ref} occurs twice (lines {lines[ref]} and {_line(record)})",
                _line(record),
            )
        lines[ref] = _line(record)
        entities.extend(_record(path, record, schema, ref))
    if not entities:
        raise SourceError(path, "the list holds no INDIVIDUAL or ENTITY records")
    return ListSnapshot(
        dataset=DATASET,
        title="UN Security Council consolidated list",
        parser=PARSER,
        files=[SourceFile.of(path)],
        published=_published(path, root),
        entities=entities,
    )


def entity_id(reference: str) -> str:
    """``KPi.024`` -> ``unsc-kpi-024``: stable across versions of the list."""
    return "unsc-" + reference.strip().lower().replace(".", "-")


def _record(path: Path, record: _Element, schema: str, ref: str) -> list[Entity]:
    prov = Provenance(DATASET, ref, str(path), _line(record))
    main = Entity(entity_id(ref), schema, prov)
    _names(record, main)
    for prop, tag in (
        ("title", "TITLE"),
        ("position", "DESIGNATION"),
        ("nationality", "NATIONALITY"),
    ):
        if main.schema == "Person" or prop != "title":
            for value in _values(record, tag):
                main.add(prop, value)
    main.add("gender", _child(record, "GENDER"))
    main.add("notes", _child(record, "COMMENTS1"))
    main.add("program", _child(record, "UN_LIST_TYPE"), cleaned=True)
    main.add("topics", "sanction")
    for value in _values(record, "LIST_TYPE"):
        main.add("keywords", value, qualifier="un:LIST_TYPE")
    extra = [_sanction(path, record, main, ref)]
    _birth_dates(path, record, main)
    _birth_places(record, main)
    extra.extend(_documents(path, record, main))
    extra.extend(_addresses(record, main))
    unique = {e.id: e for e in extra}  # the list repeats an identical address sometimes
    return [main, *unique.values()]


def _names(record: _Element, main: Entity) -> None:
    parts = [(tag, prop, _child(record, tag)) for tag, prop in _NAME_PARTS]
    full = " ".join(text for _, _, text in parts if text)
    main.add("name", full)
    if main.schema == "Person":
        for tag, prop, text in parts:
            main.add(prop, text, qualifier=f"un:{tag}")
    original = _child(record, "NAME_ORIGINAL_SCRIPT")
    main.add("alias", original, qualifier="original-script")
    for alias in record.findall(f"{record.tag}_ALIAS"):
        name = _child(alias, "ALIAS_NAME")
        quality = _child(alias, "QUALITY") or ""
        prop = _ALIAS_PROPS.get(quality.lower(), "alias")
        main.add(prop, name, qualifier=quality or None)
        note = _child(alias, "NOTE")
        if name and note:
            main.add("notes", f"alias {name}: {note}", qualifier="un:ALIAS/NOTE")
        if name and main.schema == "Person":
            _alias_birth(alias, main, name)


def _alias_birth(alias: _Element, main: Entity, name: str) -> None:
    dob = _child(alias, "DATE_OF_BIRTH")
    main.add("birthDate", dob, qualifier=f"with alias {name}")
    place = ", ".join(
        p for p in (_child(alias, "CITY_OF_BIRTH"), _child(alias, "COUNTRY_OF_BIRTH")) if p
    )
    main.add("birthPlace", place or None, qualifier=f"with alias {name}")


def _birth_dates(path: Path, record: _Element, main: Entity) -> None:
    for dob in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = (_child(dob, "TYPE_OF_DATE") or "EXACT").upper()
        note = _child(dob, "NOTE")
        date, year = _child(dob, "DATE"), _child(dob, "YEAR")
        start, end = _child(dob, "FROM_YEAR"), _child(dob, "TO_YEAR")
        if date is not None:
            main.add("birthDate", _iso_date(path, dob, "DATE", date), qualifier=kind.lower())
        if year is not None:
            _year(path, dob, "YEAR", year)
            main.add("birthDate", year, qualifier=kind.lower())
        if start is not None and end is not None:
            first, last = _year(path, dob, "FROM_YEAR", start), _year(path, dob, "TO_YEAR", end)
            if last < first:
                raise SourceError(
                    path, f"BETWEEN {first} and {last}: range runs backwards", _line(dob)
                )
            for y in range(first, last + 1):
                main.add("birthDate", str(y), qualifier=f"between {first} and {last}")
        if note is not None:
            main.add("notes", f"date of birth: {note}", qualifier="un:DATE_OF_BIRTH/NOTE")


def _year(path: Path, el: _Element, field: str, text: str) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise SourceError(path, f"{field}: {text!r} is not a year", _line(el))
    return int(text)


def _birth_places(record: _Element, main: Entity) -> None:
    for pob in record.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        parts = [_child(pob, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
        text = ", ".join(p for p in parts if p)
        main.add("birthPlace", text or None)
        main.add("birthCountry", parts[3])
        note = _child(pob, "NOTE")
        if note:
            main.add("notes", f"place of birth: {note}", qualifier="un:PLACE_OF_BIRTH/NOTE")


def _sanction(path: Path, record: _Element, main: Entity, ref: str) -> Entity:
    sanction = Entity(f"{main.id}-sanction", "Sanction", main.provenance)
    sanction.add("entity", main.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    sanction.add("program", _child(record, "UN_LIST_TYPE"))
    sanction.add("unscId", ref)
    listed = _child(record, "LISTED_ON")
    if listed is not None:
        sanction.add("listingDate", _iso_date(path, record, "LISTED_ON", listed))
    for value in _values(record, "LAST_DAY_UPDATED"):
        sanction.add("modifiedAt", _iso_date(path, record, "LAST_DAY_UPDATED", value))
    sanction.add("recordId", _child(record, "DATAID"))
    return sanction


def _documents(path: Path, record: _Element, main: Entity) -> list[Entity]:
    out: list[Entity] = []
    for doc in record.findall("INDIVIDUAL_DOCUMENT"):
        kind = _child(doc, "TYPE_OF_DOCUMENT")
        kind2 = _child(doc, "TYPE_OF_DOCUMENT2")
        number = _child(doc, "NUMBER")
        note = _child(doc, "NOTE")
        if not (kind or number or note):
            continue
        label = " / ".join(k for k in (kind, kind2) if k)
        is_passport = "pass" in label.lower() or "pasaporte" in label.lower()
        schema = "Passport" if is_passport else "Identification"
        ident = Entity(f"{main.id}-doc-{_short_hash(label, number, note)}", schema, main.provenance)
        ident.add("holder", main.id, cleaned=True)
        ident.add("type", label or None)
        ident.add("number", number)
        country = _child(doc, "ISSUING_COUNTRY") or _child(doc, "COUNTRY_OF_ISSUE")
        ident.add("country", country)
        issued = _child(doc, "DATE_OF_ISSUE")
        if issued is not None:
            ident.add("startDate", _iso_date(path, doc, "DATE_OF_ISSUE", issued))
        where = ", ".join(
            p for p in (_child(doc, "CITY_OF_ISSUE"), _child(doc, "COUNTRY_OF_ISSUE")) if p
        )
        ident.add("authority", where or None)
        ident.add("summary", note)
        if number is not None:
            main.add(
                "passportNumber" if is_passport else "idNumber", number, qualifier=label or None
            )
        out.append(ident)
    return out


def _addresses(record: _Element, main: Entity) -> list[Entity]:
    out: list[Entity] = []
    for addr in record.findall(f"{record.tag}_ADDRESS"):
        parts = {
            t: _child(addr, t)
            for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
        }
        full = ", ".join(
            parts[t] or ""
            for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
            if parts[t]
        )
        if not full and not parts["NOTE"]:
            continue
        address = Entity(
            f"{main.id}-addr-{_short_hash(*parts.values())}", "Address", main.provenance
        )
        address.add("full", full or None)
        address.add("street", parts["STREET"])
        address.add("city", parts["CITY"])
        address.add("region", parts["STATE_PROVINCE"])
        address.add("postalCode", parts["ZIP_CODE"])
        address.add("country", parts["COUNTRY"])
        address.add("remarks", parts["NOTE"])
        main.add("address", full or None)
        main.add("addressEntity", address.id, cleaned=True)
        main.add("country", parts["COUNTRY"])
        out.append(address)
    return out
