"""Documents (passports, identity numbers) and addresses of UN list records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from hermit.model import Entity, Value
from hermit.sources.un_xml.common import (
    _ADDRESS_PARTS,
    _ADDRESS_TAGS,
    _DOCUMENT_TAGS,
    _LABELLED_NUMBER,
    _PASSPORT,
    _child,
    _Element,
    _provenance,
    _short_hash,
    _Source,
    _text,
)
from hermit.sources.un_xml.values import _country, _date, _leftovers


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
