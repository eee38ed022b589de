"""Constants, the parse context and element helpers of the UN XML reader."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from lxml import etree

from hermit.errors import ModelError, SourceError
from hermit.model import Provenance
from hermit.model import schema as ftm

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


def _provenance(src: _Source, ref: str, el: _Element) -> Provenance:
    """Provenance pointing at ``el``'s line."""
    return Provenance(DATASET, ref, str(src.path), _line(el))
