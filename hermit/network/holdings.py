"""Ownership edges: one holding of an owner in an asset, its share as a range, its dates
and its source record; and the reading of a share from the forms registries give it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from hermit.errors import HermitError

OWNERSHIP = "ownership"
CONTROL = "control"

_RANGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*[-–]\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")


class ShareError(HermitError):
    """A share that cannot be read as a percentage (the message names the field and value)."""


@dataclass(frozen=True, slots=True)
class Holding:
    """One edge of the table. ``low``..``high`` is the share in percent (equal when exact);
    ``start``/``end`` the validity (``end`` is the day the holding ended: not current on or
    after it); ``kind`` is ``ownership`` or ``control`` (a directorship: never a stake)."""

    owner: str
    asset: str
    low: float
    high: float
    start: date | None = None
    end: date | None = None
    source: str = ""
    kind: str = OWNERSHIP

    def current(self, as_of: date) -> bool:
        """Valid on ``as_of``: started on or before it and not ended on or before it."""
        if self.start is not None and self.start > as_of:
            return False
        return self.end is None or self.end > as_of


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_share(
    *,
    pct: str | float | None = None,
    band: tuple[float, float] | list[float] | None = None,
    fraction: str | None = None,
    nominal: float | None = None,
    capital: float | None = None,
) -> tuple[float, float]:
    """The share as ``(low, high)`` percent from whichever form is given: a percentage
    ("51", "51.00%"), a band ("25-50%" or ``[25, 50]``), an EGRUL simple fraction ("1/2"),
    or the nominal value of the share over the charter capital."""
    if band is not None:
        low, high = float(band[0]), float(band[1])
        return _checked(low, high, f"range {list(band)!r}")
    if pct is not None:
        if isinstance(pct, (int, float)):
            return _checked(float(pct), float(pct), f"percentage {pct!r}")
        matched = _RANGE.match(pct)
        if matched:
            return _checked(_number(matched[1]), _number(matched[2]), f"percentage {pct!r}")
        if _FRACTION.match(pct):
            return parse_share(fraction=pct)
        matched = _NUMBER.match(pct)
        if matched:
            value = _number(matched[1])
            return _checked(value, value, f"percentage {pct!r}")
        raise ShareError(f"percentage {pct!r} is not a number, a band or a fraction")
    if fraction is not None:
        matched = _FRACTION.match(fraction)
        if not matched or int(matched[2]) == 0:
            raise ShareError(f"fraction {fraction!r} is not of the form N/M")
        value = float(Fraction(int(matched[1]), int(matched[2])) * 100)
        return _checked(value, value, f"fraction {fraction!r}")
    if nominal is not None and capital is not None:
        if capital <= 0:
            raise ShareError(f"capital {capital!r} is not positive (nominal {nominal!r})")
        value = float(nominal) * 100 / float(capital)
        return _checked(value, value, f"nominal {nominal!r} of capital {capital!r}")
    raise ShareError("no share given (percentage, range, fraction or nominal with capital)")


def _checked(low: float, high: float, what: str) -> tuple[float, float]:
    if low < 0 or high < low:
        raise ShareError(f"{what}: not a share between 0 and its upper bound")
    return low, high
