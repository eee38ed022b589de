"""The UN Security Council consolidated list (XML) as FollowTheMoney entities.

Element tree: CONSOLIDATED_LIST / INDIVIDUALS / INDIVIDUAL and ENTITIES / ENTITY. Each
record becomes a Person or Organization (id ``unsc-<reference number>``), a Sanction, and
Passport / Identification / Address entities for its documents and addresses. For DPRK
people FIRST_NAME holds the surname. Values are kept as written (whitespace collapsed);
what fits no FtM property goes to notes with an ``un:<ELEMENT>`` qualifier, so nothing in
the file is dropped except empty placeholder elements.

Security: the file is parsed without DTD loading, entity resolution or network access,
and any DOCTYPE is refused outright (external entities / XXE, "billion laughs").
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from hermit.errors import ModelError, SourceError
from hermit.model import Entity, Provenance, Value
from hermit.model import schema as ftm
from hermit.sources.snapshot import ListSnapshot, SourceFile

PARSER = "un-xml@1"
DATASET = "un_sc_sanctions"
AUTHORITY = "United Nations Security Council"
TITLE = "UN Security Council consolidated list"
ROOT = "CONSOLIDATED_LIST"

_Element = etree._Element

#: (group element, record element, FtM schema)
_RECORD_KINDS = (("INDIVIDUALS", "INDIVIDUAL", "Person"), ("ENTITIES", "ENTITY", "Organization"))
_NAME_PARTS = (
    ("FIRST_NAME", "firstName"),
    ("SECOND_NAME", "secondName"),
    ("THIRD_NAME", "middleName"),
    ("FOURTH_NAME", "middleName"),
)
#: record element -> property; ``notes`` with a label where the schema lacks it.
_FIELDS = (
    ("TITLE", "title"),
    ("DESIGNATION", "position"),
    ("GENDER", "gender"),
    ("NATIONALITY", "nationality"),
    ("COMMENTS1", "notes"),
)
#: bookkeeping elements, kept on the Sanction's summary.
_BOOKKEEPING = ("VERSIONNUM", "SORT_KEY", "SORT_KEY_LAST_MOD", "SUBMITTED_BY")
_ALIAS_PROPS: Mapping[str, str] = MappingProxyType(
    {"good": "alias", "a.k.a.": "alias", "low": "weakAlias", "f.k.a.": "previousName"}
)
_DATE_KINDS = frozenset({"EXACT", "APPROXIMATELY", "BETWEEN"})
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
#: country values that mean "not available" (FtM would read ``na`` as Namibia).
_NOT_AVAILABLE = frozenset({"na", "n/a", "n.a.", "n.a"})

_RECORD_TAGS = frozenset(
    {
        "DATAID", "REFERENCE_NUMBER", "UN_LIST_TYPE", "LISTED_ON", "LAST_DAY_UPDATED",
        "LIST_TYPE", "NAME_ORIGINAL_SCRIPT",
        *(tag for tag, _ in _NAME_PARTS), *(tag for tag, _ in _FIELDS), *_BOOKKEEPING,
        "INDIVIDUAL_ALIAS", "ENTITY_ALIAS", "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS",
        "INDIVIDUAL_DATE_OF_BIRTH", "INDIVIDUAL_PLACE_OF_BIRTH", "INDIVIDUAL_DOCUMENT",
    }
)  # fmt: skip
_ALIAS_TAGS = frozenset(
    {"QUALITY", "ALIAS_NAME", "NOTE", "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH"}
)
_DOB_TAGS = frozenset({"TYPE_OF_DATE", "DATE", "YEAR", "FROM_YEAR", "TO_YEAR", "NOTE"})
_PLACE_TAGS = ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")
_POB_TAGS = frozenset({*_PLACE_TAGS, "NOTE"})
_ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
_ADDRESS_TAGS = frozenset({*_ADDRESS_PARTS, "NOTE"})
_DOCUMENT_TAGS = frozenset(
    {
        "TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2", "NUMBER", "ISSUING_COUNTRY",
        "DATE_OF_ISSUE", "CITY_OF_ISSUE", "COUNTRY_OF_ISSUE", "NOTE",
    }
)  # fmt: skip

#: An XML prolog (declaration, comments, PIs, space) followed by a DOCTYPE.
_PROLOG_DOCTYPE = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*<!DOCTYPE", re.DOTALL)
#: xs:date / xs:dateTime as the list writes them: ``2016-03-02``, ``2015-04-07-04:00``.
_DATE = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?"
)
_YEAR = re.compile(r"\d{4}")
#: A document number written with its label or a remark: ``Russian foreign travel
#: passport number 515458008``, ``381110042 (Expired 25 Jan. 2016)``.
_LABELLED_NUMBER = re.compile(
    r"(?:(?P<label>[^\d]*?[^\d\s]\s+(?:number|no\.?))\s*:?\s*)?"
    r"(?P<number>(?:[A-Z]{1,3}\s)?[\w./-]*\d[\w./-]*)"
    r"(?:\s*\((?P<remark>[^()]*)\))?",
    re.IGNORECASE,
)
_PASSPORT = re.compile(r"passport|passeport|pasaporte", re.IGNORECASE)
#: Several names in one ALIAS_NAME: ``A; B b) C; D`` or ``<script> (A; B; C)``.
_NAME_LIST_SPLIT = re.compile(r"\s*;\s*|\s+[a-z]\)\s+")
_SCRIPT_AND_NAMES = re.compile(r"(?P<head>[^();]+?)\s*\((?P<inner>[^()]+)\)")


@dataclass(slots=True)
class _Source:
    """The file being parsed and the warnings collected while parsing it."""

    path: Path
    warnings: list[str] = field(default_factory=list)

    def error(self, problem: str, el: _Element | None = None) -> SourceError:
        """A SourceError naming the file and the element's line."""
        return SourceError(self.path, problem, None if el is None else _line(el))

    def warn(self, problem: str, el: _Element | None = None) -> None:
        """Record a warning (once) naming the file and the element's line."""
        line = None if el is None else _line(el)
        text = f"{self.path}: {problem}" if line is None else f"{self.path}, line {line}: {problem}"
        if text not in self.warnings:
            self.warnings.append(text)


# --- reading and checking the file -------------------------------------------------


def parse_un_xml(path: Path) -> ListSnapshot:
    """Parse the whole list; every problem is a SourceError naming file and line."""
    src = _Source(Path(path))
    raw = _read(src)
    root = _parse_tree(src, raw)
    published = _published(src, root)
    entities = _entities(src, root)
    digest = hashlib.sha256(raw).hexdigest()
    return ListSnapshot(
        dataset=DATASET,
        title=TITLE,
        parser=PARSER,
        files=[SourceFile(str(src.path), digest, len(raw))],
        published=published,
        entities=entities,
        warnings=src.warnings,
    )


def _read(src: _Source) -> bytes:
    """The file's bytes, checked to be non-empty, UTF-8, XML-looking and DTD-free."""
    try:
        raw = src.path.read_bytes()
    except OSError as exc:
        raise SourceError(src.path, f"cannot read: {exc.strerror or exc}") from exc
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise SourceError(src.path, "the file is empty")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            src.path,
            f"byte 0x{body[exc.start]:02x} is not valid UTF-8 (the UN list is UTF-8; "
            "wrong file or re-encoded?)",
            line,
        ) from exc
    start = len(body) - len(body.lstrip())
    if body[start : start + 1] != b"<":
        snippet = body[start : start + 30].decode("utf-8", "replace")
        raise SourceError(
            src.path, f"not XML: the file starts with {snippet!r}", body.count(b"\n", 0, start) + 1
        )
    _refuse_doctype(src, body)
    return raw


def _refuse_doctype(src: _Source, body: bytes) -> None:
    """Refuse a DOCTYPE before lxml sees it: no DTD, no entities, nothing to expand."""
    found = _PROLOG_DOCTYPE.match(body)
    if found is not None:
        line = body.count(b"\n", 0, found.end()) + 1
        raise _doctype_error(src, line, b"<!ENTITY" in body)


def _doctype_error(src: _Source, line: int | None, entities: bool) -> SourceError:
    """The error for a document that declares a DOCTYPE."""
    what = "a DOCTYPE with entity declarations" if entities else "a DOCTYPE (DTD)"
    return SourceError(
        src.path,
        f"the XML declares {what}; refused for safety (external entities/XXE, entity "
        "expansion such as 'billion laughs'); the UN list never has one",
        line,
    )


def _parse_tree(src: _Source, raw: bytes) -> _Element:
    """Parse with a hardened lxml parser; check there is no DTD and the root is right."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        tree = etree.parse(io.BytesIO(raw), parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise SourceError(src.path, f"not well-formed XML: {exc.msg}", line) from exc
    info = tree.docinfo
    if (
        getattr(info, "doctype", None)
        or info.internalDTD is not None
        or info.externalDTD is not None
    ):
        raise _doctype_error(src, None, b"<!ENTITY" in raw)  # defence in depth
    root = tree.getroot()
    if root.tag != ROOT:
        raise src.error(
            f"not a UN consolidated list: the root element is <{root.tag}>, expected <{ROOT}>",
            root,
        )
    return root


def _published(src: _Source, root: _Element) -> datetime | None:
    """The root's dateGenerated as an aware datetime (UTC where no zone is given)."""
    stamp = root.get("dateGenerated")
    if stamp is None or not stamp.strip():
        src.warn("no dateGenerated on <CONSOLIDATED_LIST>: publication date unknown", root)
        return None
    try:
        when = datetime.fromisoformat(stamp.strip())
    except ValueError as exc:
        raise src.error(f"dateGenerated {stamp!r} is not a timestamp", root) from exc
    if when.tzinfo is None:
        src.warn(f"dateGenerated {stamp!r} has no time zone: read as UTC", root)
        when = when.replace(tzinfo=UTC)
    return when


# --- element helpers ----------------------------------------------------------------


def _line(el: _Element) -> int | None:
    """The element's line in the file (lxml keeps it for every element)."""
    line = el.sourceline
    return line if isinstance(line, int) else None


def _text(el: _Element | None) -> str | None:
    """The element's own text, whitespace collapsed; None for empty placeholders."""
    if el is None or el.text is None:
        return None
    text = " ".join(el.text.split())
    return text or None


def _child(el: _Element, tag: str) -> str | None:
    """Text of the first ``tag`` child."""
    return _text(el.find(tag))


def _value_elements(el: _Element, tag: str) -> Iterator[_Element]:
    """The elements holding ``tag``'s values: its VALUE children, or itself if it has
    text of its own (NATIONALITY/VALUE, LAST_DAY_UPDATED/VALUE, VERSIONNUM)."""
    for holder in el.iterfind(tag):
        if _text(holder) is not None:
            yield holder
        for value in holder.iterfind("VALUE"):
            if _text(value) is not None:
                yield value


def _values(el: _Element, tag: str) -> list[str]:
    """Texts of ``tag``'s values (see ``_value_elements``)."""
    return [text for v in _value_elements(el, tag) if (text := _text(v)) is not None]


def _short_hash(*parts: str | None) -> str:
    """Ten hex digits of SHA-1 over the parts: a stable id suffix."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:10]


def _has_prop(schema: str, prop: str) -> bool:
    """Whether the FtM schema has the property."""
    try:
        ftm.prop_type(schema, prop)
    except ModelError:
        return False
    return True


def _country(src: _Source, el: _Element | None, field_name: str) -> str | None:
    """A country value, or None for "na"-style placeholders (warned about)."""
    text = _text(el)
    if text is not None and text.casefold() in _NOT_AVAILABLE:
        src.warn(f"{field_name} {text!r} read as 'not available', not as a country", el)
        return None
    return text


def _leftovers(src: _Source, el: _Element, known: frozenset[str], target: Entity) -> None:
    """Keep the text of elements this parser does not know in ``target``'s notes."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in known:
            continue
        texts = [" ".join(str(t) for t in c.itertext()) for c in child] or [child.text or ""]
        kept = [" ".join(t.split()) for t in texts if t.strip()]
        for text in kept:
            target.add(ftm.note_prop(target.schema), f"{tag}: {text}", qualifier=f"un:{tag}")
        if kept:
            src.warn(f"unknown element <{tag}> in <{el.tag}>: kept in notes", child)


# --- dates --------------------------------------------------------------------------


def _date(
    src: _Source, el: _Element | None, field_name: str, expected: str = "YYYY-MM-DD"
) -> str | None:
    """``YYYY-MM-DD`` from an xs:date/xs:dateTime element (a zone suffix is dropped)."""
    text = _text(el)
    if text is None:
        return None
    found = _DATE.fullmatch(text)
    if found is not None:
        try:
            return date.fromisoformat(found[1]).isoformat()
        except ValueError:
            pass
    raise src.error(f"{field_name}: {text!r} is not a date (expected {expected})", el)


def _year(src: _Source, el: _Element | None, field_name: str) -> int | None:
    """A four-digit year, or a SourceError naming the field."""
    text = _text(el)
    if text is None:
        return None
    if _YEAR.fullmatch(text) is None:
        raise src.error(f"{field_name}: {text!r} is not a year (expected YYYY)", el)
    return int(text)


def _date_or_year(src: _Source, el: _Element | None, field_name: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY`` (alias dates of birth carry either)."""
    text = _text(el)
    if text is not None and _YEAR.fullmatch(text):
        return text
    return _date(src, el, field_name, "YYYY-MM-DD or YYYY")


def _month(token: str) -> int | None:
    """1-12 for a month name or abbreviation of at least three letters (``Sep``)."""
    word = token.lower()
    if len(word) < 3:
        return None
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    return None


def _note_months(note: str) -> tuple[list[int], str | None] | None:
    """Months (and the year) a date-of-birth NOTE gives when it says nothing else:
    ``Nov. 1973``, ``Between Aug. and Sep. 1977``, ``Sep.``; otherwise None."""
    months: list[int] = []
    years: list[str] = []
    for token in re.findall(r"[A-Za-z]+|\d+", note):
        month = _month(token)
        if _YEAR.fullmatch(token):
            years.append(token)
        elif month is not None:
            months.append(month)
        elif token.lower() not in ("between", "and"):
            return None
    if not months or len(years) > 1:
        return None
    return months, years[0] if years else None


# --- records ------------------------------------------------------------------------


def entity_id(reference: str) -> str:
    """``KPi.024`` -> ``unsc-kpi-024``: stable across versions of the list."""
    return "unsc-" + "".join(reference.split()).lower().replace(".", "-")


def _records(root: _Element) -> Iterator[tuple[_Element, str]]:
    """(record element, schema) for every INDIVIDUAL and ENTITY, in file order."""
    for group, tag, schema in _RECORD_KINDS:
        for holder in root.iterfind(group):
            for record in holder.iterfind(tag):
                yield record, schema


def _entities(src: _Source, root: _Element) -> list[Entity]:
    """All entities of all records; reference numbers checked to be present and unique."""
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


def _provenance(src: _Source, ref: str, el: _Element) -> Provenance:
    """Provenance pointing at ``el``'s line."""
    return Provenance(DATASET, ref, str(src.path), _line(el))


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


@dataclass(frozen=True, slots=True)
class _DocNumber:
    """A document's number, the label and remark written around it, the text as written."""

    number: str | None
    label: str | None
    remark: str | None
    written: str | None


def _doc_number(number: str | None, kind2: str | None) -> _DocNumber:
    """Split ``passport number 515458008`` / ``381110042 (Expired ...)`` in NUMBER (or,
    without a NUMBER, a number at the end of TYPE_OF_DOCUMENT2) into its parts."""
    written = number if number is not None else kind2
    if written is None:
        return _DocNumber(None, None, None, None)
    found = _LABELLED_NUMBER.fullmatch(written)
    if found is None or (number is None and not found["label"]):
        return _DocNumber(number, None, None, number)
    return _DocNumber(found["number"], found["label"], found["remark"], written)


def _documents(src: _Source, record: _Element, main: Entity, ref: str) -> Iterator[Entity]:
    """INDIVIDUAL_DOCUMENT: a Passport or Identification entity each, and
    passportNumber / idNumber on the person."""
    for doc in record.iterfind("INDIVIDUAL_DOCUMENT"):
        if not any(_text(child) for child in doc):
            continue
        yield _document(src, doc, main, ref)


def _document(src: _Source, doc: _Element, main: Entity, ref: str) -> Entity:
    """One non-empty INDIVIDUAL_DOCUMENT."""
    kind, kind2 = _child(doc, "TYPE_OF_DOCUMENT"), _child(doc, "TYPE_OF_DOCUMENT2")
    number, note = _child(doc, "NUMBER"), _child(doc, "NOTE")
    parsed = _doc_number(number, kind2)
    if number is None and parsed.number is not None:
        kind2 = None  # the number came out of TYPE_OF_DOCUMENT2, its label replaces it
    label = _doc_label(kind, kind2, parsed.label)
    is_passport = _PASSPORT.search(label or "") is not None
    schema = "Passport" if is_passport else "Identification"
    key = parsed.number if parsed.number is not None else note
    ident = Entity(
        f"{main.id}-doc-{_short_hash(schema, kind, key)}", schema, _provenance(src, ref, doc)
    )
    ident.add("holder", main.id, cleaned=True)
    ident.add("type", label)
    if parsed.number is not None:
        original = parsed.written if parsed.written != parsed.number else None
        ident.add_value(Value("number", parsed.number, original))
        on_main = "passportNumber" if is_passport else "idNumber"
        main.add_value(Value(on_main, parsed.number, original, label))
    for tag in ("ISSUING_COUNTRY", "COUNTRY_OF_ISSUE"):
        ident.add("country", _country(src, doc.find(tag), tag))
    ident.add("startDate", _date(src, doc.find("DATE_OF_ISSUE"), "DATE_OF_ISSUE"))
    ident.add("authority", _child(doc, "CITY_OF_ISSUE"), qualifier="un:CITY_OF_ISSUE")
    ident.add("summary", parsed.remark, qualifier="un:NUMBER")
    ident.add("summary", note, qualifier="un:NOTE")
    _leftovers(src, doc, _DOCUMENT_TAGS, ident)
    return ident


def _doc_label(*parts: str | None) -> str | None:
    """``Passport`` / ``National Identification Number / Birth certificate``: the type
    texts joined, repeats and trailing colons dropped."""
    seen: list[str] = []
    for part in parts:
        text = None if part is None else part.rstrip(" :")
        if text and text.casefold() not in (s.casefold() for s in seen):
            seen.append(text)
    return " / ".join(seen) or None


def _addresses(src: _Source, record: _Element, main: Entity, ref: str) -> Iterable[Entity]:
    """INDIVIDUAL_ADDRESS / ENTITY_ADDRESS: an Address entity each; ``address``,
    ``addressEntity`` and ``country`` on the parent."""
    out: list[Entity] = []
    for addr in record.iterfind(f"{record.tag}_ADDRESS"):
        parts = {tag: _child(addr, tag) for tag in _ADDRESS_PARTS}
        parts["COUNTRY"] = _country(src, addr.find("COUNTRY"), "COUNTRY")
        note = _child(addr, "NOTE")
        if not any(parts.values()) and note is None:
            continue
        content = [parts[tag] for tag in _ADDRESS_PARTS]
        address = Entity(
            f"{main.id}-addr-{_short_hash(*content, note)}", "Address", _provenance(src, ref, addr)
        )
        full = ", ".join(p for p in content if p) or note  # a NOTE alone is the address
        address.add("full", full)
        for prop, tag in (
            ("street", "STREET"),
            ("city", "CITY"),
            ("region", "STATE_PROVINCE"),
            ("postalCode", "ZIP_CODE"),
            ("country", "COUNTRY"),
        ):
            address.add(prop, parts[tag])
        address.add("remarks", note)
        _leftovers(src, addr, _ADDRESS_TAGS, address)
        main.add("address", full)
        main.add("addressEntity", address.id, cleaned=True)
        main.add("country", parts["COUNTRY"])
        out.append(address)
    return out
