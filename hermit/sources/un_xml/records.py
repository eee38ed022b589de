"""Records of the UN list to FtM entities: names, aliases, dates and places of birth, sanctions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from hermit.model import Entity, Value
from hermit.sources.un_xml.common import (
    _ALIAS_PROPS,
    _ALIAS_TAGS,
    _BOOKKEEPING,
    _DATE_KINDS,
    _DOB_TAGS,
    _FIELDS,
    _NAME_LIST_SPLIT,
    _NAME_PARTS,
    _PLACE_TAGS,
    _POB_TAGS,
    _RECORD_KINDS,
    _RECORD_TAGS,
    _SCRIPT_AND_NAMES,
    AUTHORITY,
    ROOT,
    _child,
    _Element,
    _has_prop,
    _line,
    _provenance,
    _Source,
    _text,
    _value_elements,
    _values,
)
from hermit.sources.un_xml.documents import _addresses, _documents
from hermit.sources.un_xml.values import (
    _country,
    _date,
    _date_or_year,
    _leftovers,
    _note_months,
    _year,
)


def entity_id(reference: str) -> str:
    """``KPi.024`` -> ``unsc-kpi-024``: stable across versions of the list."""
    return "unsc-" + "".join(reference.split()).lower().replace(".", "-")


def _records(root: _Element) -> Iterator[tuple[_Element, str]]:
    """(record element, schema) for every INDIVIDUAL and ENTITY, in file order."""
    for group, tag, schema in _RECORD_KINDS:
        for holder in root.iterfind(group):
            for record in holder.iterfind(tag):
                yield record, schema


def _where(el: _Element | None) -> str:
    """``CONSOLIDATED_LIST/X/INDIVIDUALS``: the element's path from the root."""
    tags: list[str] = []
    while el is not None:
        tags.append(str(el.tag))
        el = el.getparent()
    return "/".join(reversed(tags))


def _check_structure(src: _Source, root: _Element) -> None:
    """Every INDIVIDUAL and ENTITY element of the file sits where the reader reads
    records (CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL, .../ENTITIES/ENTITY), and the
    groups hold nothing else: a file whose structure changed (records under one more
    wrapper element, renamed elements) is refused rather than loaded without them."""
    for group, tag, _ in _RECORD_KINDS:
        expected = sum(1 for holder in root.iterfind(group) for _ in holder.iterfind(tag))
        astray = [el for el in root.iter(tag) if _where(el.getparent()) != f"{ROOT}/{group}"]
        if astray:
            places = Counter(_where(el.getparent()) for el in astray)
            found = "; ".join(f"{n} under {place}" for place, n in places.most_common())
            read = (
                f"no {group}/{tag} records at {ROOT}/{group}"
                if expected == 0
                else f"{expected} {group}/{tag} records at {ROOT}/{group}"
            )
            raise src.error(
                f"{read}; found {len(astray)} {tag} elements elsewhere ({found}): the "
                "file's structure is not the UN list's; refused rather than load the list "
                f"without them",
                astray[0],
            )
    for group, tag, _ in _RECORD_KINDS:
        expected = sum(1 for holder in root.iterfind(group) for _ in holder.iterfind(tag))
        for holder in root.iterfind(group):
            others = Counter(
                str(el.tag) for el in holder if isinstance(el.tag, str) and el.tag != tag
            )
            if others:
                found = ", ".join(f"{n} <{name}>" for name, n in others.most_common())
                raise src.error(
                    f"{ROOT}/{group} holds {found} besides {expected} <{tag}> records: the "
                    "file's structure is not the UN list's; refused rather than load the "
                    "list without them",
                    holder,
                )


def _entities(src: _Source, root: _Element) -> list[Entity]:
    """All entities of all records; reference numbers checked to be present and unique."""
    _check_structure(src, root)
    entities: list[Entity] = []
    seen: dict[str, int | None] = {}
    for record, schema in _records(root):
        ref = _child(record, "REFERENCE_NUMBER")
        if ref is None:
            raise src.error(f"<{record.tag}> without REFERENCE_NUMBER", record)
        ref = "".join(ref.split())
        if ref in seen:
            raise src.error(
                f"reference number {ref} occurs twice (records on lines {seen[ref]} "
                f"and {_line(record)})",
                record,
            )
        seen[ref] = _line(record)
        entities.extend(_record(src, record, schema, ref))
    if not entities:
        raise src.error("the list holds no INDIVIDUAL or ENTITY records", root)
    return entities


def _record(src: _Source, record: _Element, schema: str, ref: str) -> list[Entity]:
    """The main entity of one record, then its Sanction, documents and addresses."""
    main = Entity(entity_id(ref), schema, _provenance(src, ref, record))
    _names(src, record, main, ref)
    _fields(src, record, main)
    if schema == "Person":
        _birth_dates(src, record, main)
        _birth_places(src, record, main)
    related: dict[str, Entity] = {}
    for entity in (
        _sanction(src, record, main, ref),
        *_documents(src, record, main, ref),
        *_addresses(src, record, main, ref),
    ):
        _merge_into(related, entity)
    _leftovers(src, record, _RECORD_TAGS, main)
    return [main, *related.values()]


def _merge_into(found: dict[str, Entity], entity: Entity) -> None:
    """Add ``entity`` under its id; a repeat (the list repeats identical addresses,
    or a document) adds its values to the first instead."""
    first = found.get(entity.id)
    if first is None:
        found[entity.id] = entity
        return
    for value in entity.values:
        first.add_value(value)


def _names(src: _Source, record: _Element, main: Entity, ref: str) -> None:
    """``name`` from FIRST..FOURTH_NAME, the parts, original script and aliases."""
    parts = [(tag, prop, _child(record, tag)) for tag, prop in _NAME_PARTS]
    full = " ".join(text for _, _, text in parts if text)
    if not full:
        raise src.error(f"record {ref} has no name (FIRST_NAME .. FOURTH_NAME empty)", record)
    main.add("name", full)
    if main.schema == "Person":
        for tag, prop, text in parts:
            main.add(prop, text, qualifier=f"un:{tag}")
    for script in _values(record, "NAME_ORIGINAL_SCRIPT"):
        main.add("alias", script, qualifier="original-script")
    for alias in record.iterfind(f"{record.tag}_ALIAS"):
        _alias(src, alias, main)


def _alias(src: _Source, alias: _Element, main: Entity) -> None:
    """One INDIVIDUAL_ALIAS / ENTITY_ALIAS: the name by QUALITY, note, birth data."""
    name = _child(alias, "ALIAS_NAME")
    quality = _child(alias, "QUALITY")
    if name is None:
        if any(_text(child) for child in alias):
            src.warn(f"<{alias.tag}> without ALIAS_NAME skipped", alias)
        return
    prop = _ALIAS_PROPS.get((quality or "good").lower())
    if prop is None:
        src.warn(f"unknown alias QUALITY {quality!r}: read as an alias", alias)
        prop = "alias"
    for part in _split_names(name):
        main.add_value(Value(prop, part, None if part == name else name, quality))
    note = _child(alias, "NOTE")
    if note is not None:
        main.add("notes", f"alias {name}: {note}", qualifier="un:ALIAS/NOTE")
    if main.schema == "Person":
        _alias_birth(src, alias, main, name)
    _leftovers(src, alias, _ALIAS_TAGS, main)


def _split_names(name: str) -> list[str]:
    """The names in one ALIAS_NAME: ``A; B b) C`` and ``<script> (A; B)`` hold several;
    anything without a semicolon is one name, kept as written."""
    if ";" not in name:
        return [name]
    found = _SCRIPT_AND_NAMES.fullmatch(name)
    pieces = [found["head"], found["inner"]] if found else [name]
    names = [n.strip() for piece in pieces for n in _NAME_LIST_SPLIT.split(piece)]
    if any("(" in n or ")" in n for n in names):
        return [name]  # nested or unbalanced brackets: leave it to a reader
    return [n for n in names if n]


def _alias_birth(src: _Source, alias: _Element, main: Entity, name: str) -> None:
    """Date and place of birth given with one alias (qualified ``with alias <name>``)."""
    qualifier = f"with alias {name}"
    main.add(
        "birthDate",
        _date_or_year(src, alias.find("DATE_OF_BIRTH"), "DATE_OF_BIRTH"),
        qualifier=qualifier,
    )
    country = _country(src, alias.find("COUNTRY_OF_BIRTH"), "COUNTRY_OF_BIRTH")
    place = ", ".join(p for p in (_child(alias, "CITY_OF_BIRTH"), country) if p)
    main.add("birthPlace", place or None, qualifier=qualifier)
    main.add("birthCountry", country, qualifier=qualifier)


def _fields(src: _Source, record: _Element, main: Entity) -> None:
    """Title, designation, gender, nationality, comments, programme and list type."""
    for tag, prop in _FIELDS:
        for el in _value_elements(record, tag):
            text = _country(src, el, tag) if prop == "nationality" else _text(el)
            if _has_prop(main.schema, prop):
                main.add(prop, text)
            elif text is not None:
                main.add("notes", f"{tag}: {text}", qualifier=f"un:{tag}")
    main.add("program", _child(record, "UN_LIST_TYPE"), cleaned=True)
    main.add("topics", "sanction")
    for value in _values(record, "LIST_TYPE"):
        main.add("keywords", value, qualifier="un:LIST_TYPE")


def _birth_dates(src: _Source, record: _Element, main: Entity) -> None:
    """INDIVIDUAL_DATE_OF_BIRTH: EXACT / APPROXIMATELY dates and years, BETWEEN ranges
    (one birthDate per year), month-and-year notes; the NOTE itself is kept."""
    for dob in record.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        kind = (_child(dob, "TYPE_OF_DATE") or "").upper()
        if kind and kind not in _DATE_KINDS:
            src.warn(f"unknown TYPE_OF_DATE {kind!r}: kept as the qualifier", dob)
        qualifier = kind.lower() or None
        day = _date(src, dob.find("DATE"), "DATE")
        year = _year(src, dob.find("YEAR"), "YEAR")
        main.add("birthDate", day, qualifier=qualifier)
        main.add("birthDate", None if year is None else str(year), qualifier=qualifier)
        ranged = _year_range(src, dob, main)
        note = _child(dob, "NOTE")
        if note is not None:
            main.add("notes", f"date of birth: {note}", qualifier="un:DATE_OF_BIRTH/NOTE")
            if day is None and not ranged:
                _note_dates(note, year, qualifier, main)
        _leftovers(src, dob, _DOB_TAGS, main)


def _year_range(src: _Source, dob: _Element, main: Entity) -> bool:
    """FROM_YEAR..TO_YEAR as one birthDate per year; True if there was a range."""
    first = _year(src, dob.find("FROM_YEAR"), "FROM_YEAR")
    last = _year(src, dob.find("TO_YEAR"), "TO_YEAR")
    if first is None and last is None:
        return False
    if first is None or last is None:
        known = first if first is not None else last
        src.warn("a BETWEEN date with only one of FROM_YEAR/TO_YEAR", dob)
        main.add("birthDate", str(known), qualifier=f"between {first or '?'} and {last or '?'}")
        return True
    if last < first:
        raise src.error(f"FROM_YEAR {first} is after TO_YEAR {last}", dob.find("TO_YEAR"))
    for year in range(first, last + 1):
        main.add("birthDate", str(year), qualifier=f"between {first} and {last}")
    return True


def _note_dates(note: str, year: int | None, qualifier: str | None, main: Entity) -> None:
    """birthDate ``YYYY-MM`` from a NOTE naming months (``Nov. 1973``; ``Sep.`` with
    YEAR 1958); a note naming two months gives every month between them."""
    parsed = _note_months(note)
    if parsed is None:
        return
    months, note_year = parsed
    if note_year is not None and year is not None and int(note_year) != year:
        return
    which = note_year or (None if year is None else str(year))
    if which is None:
        return
    low, high = min(months), max(months)
    if low != high:
        qualifier = f"between {which}-{low:02d} and {which}-{high:02d}"
    for month in range(low, high + 1):
        main.add("birthDate", f"{which}-{month:02d}", qualifier=qualifier)


def _birth_places(src: _Source, record: _Element, main: Entity) -> None:
    """INDIVIDUAL_PLACE_OF_BIRTH: birthPlace as one text (NOTE included), birthCountry."""
    for pob in record.iterfind("INDIVIDUAL_PLACE_OF_BIRTH"):
        country = _country(src, pob.find("COUNTRY"), "COUNTRY")
        parts = [_child(pob, tag) for tag in _PLACE_TAGS[:-1]] + [country]
        place = ", ".join(p for p in parts if p)
        note = _child(pob, "NOTE")
        if note is not None:
            bracketed = note if note.startswith("(") else f"({note})"
            place = f"{place} {bracketed}" if place else note
        main.add("birthPlace", place or None)
        main.add("birthCountry", country)
        _leftovers(src, pob, _POB_TAGS, main)


# --- related entities ---------------------------------------------------------------


def _sanction(src: _Source, record: _Element, main: Entity, ref: str) -> Entity:
    """The UN designation itself: programme, reference, listing and update dates."""
    sanction = Entity(f"{main.id}-sanction", "Sanction", main.provenance)
    sanction.add("entity", main.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    sanction.add("program", _child(record, "UN_LIST_TYPE"))
    sanction.add("unscId", ref)
    sanction.add("listingDate", _date(src, record.find("LISTED_ON"), "LISTED_ON"))
    for el in _value_elements(record, "LAST_DAY_UPDATED"):
        sanction.add("modifiedAt", _date(src, el, "LAST_DAY_UPDATED"))
    sanction.add("recordId", _child(record, "DATAID"))
    for tag in _BOOKKEEPING:
        for value in _values(record, tag):
            sanction.add("summary", f"{tag}: {value}", qualifier=f"un:{tag}")
    return sanction
