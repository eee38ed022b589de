"""Values of the UN XML: countries, dates, and elements no rule knows."""

from __future__ import annotations

import re
from datetime import date

from hermit.model import Entity
from hermit.model import schema as ftm
from hermit.sources.un_xml.common import (
    _DATE,
    _MONTHS,
    _NOT_AVAILABLE,
    _YEAR,
    _Element,
    _Source,
    _text,
)


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
