"""Identifier kinds as screening compares them, and their normal form.

Listed properties fall into five kinds: a ship's IMO number, an MMSI, a passport
number, a person's other national identifiers, and the registration-type numbers of
companies, vessels and aircraft (registration, tax, SWIFT/BIC, serial, call sign).
Numbers are compared on their letters and digits only, upper case (``No. 745-310010``
and ``745310010`` agree).
"""

from __future__ import annotations

import re
from typing import Literal

from hermit.ids.imo import normalize_imo
from hermit.ids.mmsi import normalize_mmsi

IdentifierKind = Literal["imo", "mmsi", "passport", "national_id", "registration"]
_ALNUM = re.compile(r"[^0-9A-Z]")

#: Which listed property is which kind (the same property can differ by schema).
_PERSON = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "national_id",
    "registrationNumber": "national_id",
}
_OTHER = {
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "registrationNumber": "registration",
    "idNumber": "registration",
    "taxNumber": "registration",
    "swiftBic": "registration",
    "serialNumber": "registration",
    "callSign": "registration",
}
#: The query fields that carry identifiers, and the listed kinds each is compared with
#: (first: the kind that speaks for or against; others: only for).
QUERY_IDENTIFIERS: dict[str, tuple[IdentifierKind, ...]] = {
    "imo": ("imo",),
    "mmsi": ("mmsi",),
    "passport": ("passport", "national_id"),
    "registration_number": ("registration", "national_id"),
}


def identifier_kind(schema: str, prop: str) -> IdentifierKind | None:
    table = _PERSON if schema == "Person" else _OTHER
    kind = table.get(prop)
    return kind  # type: ignore[return-value]


def normalize_identifier(kind: IdentifierKind, value: str) -> str | None:
    """The comparable form of an identifier; None if nothing comparable is left (fewer
    than four letters and digits say nothing)."""
    if kind == "imo":
        return normalize_imo(value)
    if kind == "mmsi":
        return normalize_mmsi(value)
    key = _ALNUM.sub("", value.upper())
    return key if len(key) >= 4 else None
