"""Field values as written in labour records, read into dates, document numbers and
amounts. A value that cannot be read raises ValueError with the reason."""

from __future__ import annotations

import datetime as dt
import re

from hermit.compliance.columns import DateSettings

_TWO_DIGIT_YEAR = re.compile(r"^\d{1,2}\.\d{1,2}\.(\d{2})$")
_DOC_NOISE = re.compile(r"[\s\-№N°#]+")
_AMOUNT_SPACES = re.compile(r"[\s\u00a0\u202f']+")


def read_date(text: str, settings: DateSettings) -> dt.date:
    """``DD.MM.YYYY``, ``DD.MM.YY`` (years below the pivot are 20xx) or ISO."""
    value = text.strip()
    short = _TWO_DIGIT_YEAR.match(value)
    if short is not None:
        yy = int(short.group(1))
        century = 2000 if yy < settings.two_digit_year_pivot else 1900
        day, month, _ = value.split(".")
        try:
            return dt.date(century + yy, int(month), int(day))
        except ValueError:
            raise ValueError(f"{text!r} is not a calendar date") from None
    for fmt in settings.formats:
        if fmt == "%d.%m.%y":
            continue  # handled above with the pivot
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,4}[.\-/]\d{1,2}[.\-/]\d{1,4}", value):
        raise ValueError(f"{text!r} is not a calendar date")
    raise ValueError(f"{text!r} is not a date in a known format")


def read_datetime(text: str, settings: DateSettings) -> dt.datetime:
    value = text.strip()
    for fmt in settings.datetime_formats:
        try:
            return dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
    day = read_date(value, settings)  # a date without a time
    return dt.datetime(day.year, day.month, day.day)


def read_document(text: str) -> str:
    """A document number without spaces, dashes or a number sign, in upper case."""
    value = _DOC_NOISE.sub("", text).upper()
    if not value:
        raise ValueError(f"{text!r} holds no document number")
    return value


def read_amount(text: str) -> float:
    """``21500,00``, ``7 300,00``, ``1234.5``."""
    value = _AMOUNT_SPACES.sub("", text.strip())
    if "," in value and "." in value:
        value = value.replace(".", "").replace(",", ".")
    else:
        value = value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{text!r} is not an amount") from None
