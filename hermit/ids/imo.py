"""IMO numbers: ship numbers (7 digits, weighted check digit) and company numbers.

A ship's IMO number is seven digits whose last is the sum of the first six times
7, 6, 5, 4, 3, 2, modulo 10 (IMO Resolution A.1117(30)). Company and registered-owner
numbers (the "Company Number IMO" of OFAC remarks) are also seven digits but use another
check, so a company number usually fails the ship check: never store one as a ship's.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(?:IMO[\s:]*)?(\d{7})", re.IGNORECASE)
_SHIP_WEIGHTS = (7, 6, 5, 4, 3, 2)


def normalize_imo(text: str) -> str | None:
    """The seven digits of an IMO number in ``text`` (``IMO 9137960`` -> ``9137960``)."""
    match = _DIGITS.fullmatch(text.strip())
    return None if match is None else match.group(1)


def is_valid_ship_imo(text: str) -> bool:
    """True if ``text`` is a ship IMO number whose check digit is right."""
    digits = normalize_imo(text)
    if digits is None or digits == "0000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:6], _SHIP_WEIGHTS, strict=True))
    return total % 10 == int(digits[6])
