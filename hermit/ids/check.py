"""Check an identifier against its scheme: a valid one is strong evidence, an invalid
one is kept as weak text with the reason it failed (never dropped)."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Literal

from hermit.ids.schemes import Scheme

Strength = Literal["strong", "weak"]
_SEPARATORS = re.compile(r"[\s\-./]")


@dataclass(frozen=True, slots=True)
class IdCheck:
    """One identifier value as read (``raw``), its compact form and the verdict."""

    scheme: str
    raw: str
    value: str
    valid: bool
    reason: str | None = None

    @property
    def strength(self) -> Strength:
        return "strong" if self.valid else "weak"


def compact(raw: str) -> str:
    """Upper case without spaces, dashes, dots or slashes (``77 07-083893`` -> ``7707083893``)."""
    return _SEPARATORS.sub("", raw.strip()).upper()


def _stdnum(module: str, value: str) -> str | None:
    from stdnum.exceptions import ValidationError

    mod = importlib.import_module(f"stdnum.{module}")
    try:
        mod.validate(value)
    except ValidationError as exc:
        return str(exc).rstrip(".").lower()
    return None


def _imo_company(value: str) -> str | None:
    from rigour.ids.imo import IMO

    if not re.fullmatch(r"\d{7}", value):
        return "not seven digits"
    return None if IMO.is_valid_company(value) else "the company check digit is wrong"


def _pattern(scheme: Scheme, value: str, country: str | None) -> str | None:
    patterns = scheme.patterns
    where = "the general format"
    if country is not None and country.lower() in scheme.by_country:
        patterns = scheme.by_country[country.lower()]
        where = f"the format of {country.lower()}"
    if any(p.fullmatch(value) for p in patterns):
        return None
    return f"does not match {where}"


def check_identifier(scheme: Scheme, raw: str, country: str | None = None) -> IdCheck:
    """Check ``raw`` under ``scheme``; ``country`` picks a per-country format (passports)."""
    value = compact(raw)
    reason: str | None
    if not value:
        reason = "empty"
    elif (
        scheme.patterns
        and scheme.check != "pattern"
        and not any(p.fullmatch(value) for p in scheme.patterns)
    ):
        reason = "has the wrong length or characters"
    elif scheme.check.startswith("stdnum:"):
        reason = _stdnum(scheme.check.removeprefix("stdnum:"), value)
    elif scheme.check == "rigour:imo_company":
        reason = _imo_company(value.removeprefix("IMO"))
    else:
        reason = _pattern(scheme, value, country)
    return IdCheck(scheme.name, raw, value, reason is None, reason)
