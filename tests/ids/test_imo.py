"""IMO and MMSI numbers."""

from __future__ import annotations

import pytest

from hermit.ids.imo import is_valid_ship_imo, normalize_imo
from hermit.ids.mmsi import normalize_mmsi, ship_mid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("7937317", True),
        ("IMO 9074729", True),
        ("IMO9074729", True),
        ("8914934", True),
        ("7937318", False),
        ("0000000", False),
        ("123456", False),
        ("12345678", False),
        ("5607445", False),
    ],  # the last is an OFAC company number: fails the ship check
)
def test_ship_check_digit(text: str, valid: bool) -> None:
    assert is_valid_ship_imo(text) is valid


def test_normalize() -> None:
    assert normalize_imo(" IMO 9074729 ") == "9074729"
    assert normalize_imo("abc") is None
    assert normalize_mmsi("445 012 000") == "445012000"
    assert ship_mid("445012000") == "445"
    assert ship_mid("002731234") is None
