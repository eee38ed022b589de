"""MMSI numbers: nine digits; a ship station's first three are its flag's MID."""

from __future__ import annotations

import re

_MMSI = re.compile(r"\d{9}")


def normalize_mmsi(text: str) -> str | None:
    digits = text.strip().replace(" ", "")
    return digits if _MMSI.fullmatch(digits) else None


def ship_mid(mmsi: str) -> str | None:
    """The Maritime Identification Digits of a ship station MMSI (first digit 2-7)."""
    digits = normalize_mmsi(mmsi)
    if digits is None or digits[0] not in "234567":
        return None
    return digits[:3]
