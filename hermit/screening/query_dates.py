"""Reading a query's date of birth from the text customer files hold.

``1969-07-16``, ``1969-7-16``, ``16/07/1969``, ``07/16/1969``, ``16.07.1969``,
``16-Jul-1969``, ``16 Jul 1969``, ``July 16, 1969``, ``16 juillet 1969``,
``16 июля 1969 г.``, ``19690716``, ``1969-07-16 00:00:00``, ``16/07/69``, ``1969``,
``1969-07``, ``Jul 1969``, ``circa 1960``, ``1960-1965``. The formats, month names and
rules are data (``resources/screening/dates.yaml``). A numeric date whose day and month
can be read either way (``08/01/1984``) keeps both readings; a two-digit year is read
by a fixed rule and said so; an impossible date (``1974-01-32``) is a DateProblem
naming what is wrong. A library's parser was not used: ``strptime`` (and prefixdate's
``parse_format`` over it) reads month names in the process's locale only, says
nothing of which part of a date is impossible, and cannot keep two readings.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

import yaml

from hermit.screening.dates import BirthDate

_TIME = re.compile(r"(?:t|\s)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|[+-]\d{2}:?\d{2}|am|pm)?$")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th|er|re|e)\b")
_TOKEN = re.compile(r"\d+|[^\W\d_]+|~")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class DateProblem(ValueError):
    """The text is not a date of birth; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class DateReading:
    """A date read from text, with what the reader had to assume (warnings to show)."""

    date: BirthDate
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rules:
    numeric_orders: dict[str, tuple[str, ...]]
    compact_orders: tuple[str, ...]
    base_year: int
    years: tuple[int, int]
    max_range_years: int
    range_words: frozenset[str]
    range_starts: frozenset[str]
    approximate: frozenset[str]
    filler: frozenset[str]
    months: dict[str, int]
    month_names: tuple[str, ...]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@cache
def rules() -> _Rules:
    """The reviewed table ``resources/screening/dates.yaml``."""
    path = resources.files("hermit") / "resources" / "screening" / "dates.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    months = {_fold(str(word)): int(n) for n, words in data["months"].items() for word in words}
    low, high = data["plausible_years"]
    return _Rules(
        numeric_orders={str(k): tuple(v) for k, v in data["numeric_orders"].items()},
        compact_orders=tuple(data["compact_orders"]),
        base_year=int(data["two_digit_year_base"]),
        years=(int(low), int(high)),
        max_range_years=int(data["max_range_years"]),
        range_words=frozenset(_fold(str(w)) for w in data["range_words"]),
        range_starts=frozenset(_fold(str(w)) for w in data["range_starts"]),
        approximate=frozenset(_fold(str(w)) for w in data["approximate"]),
        filler=frozenset(_fold(str(w)) for w in data["filler"]),
        months=months,
        month_names=tuple(data["month_names"]),
    )


def describe(iso: str) -> str:
    """``1984-01-08`` -> ``8 January 1984``; ``1984-01`` -> ``January 1984``."""
    parts = iso.split("-")
    if len(parts) == 1:
        return iso
    month = rules().month_names[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


@dataclass(slots=True)
class _Tokens:
    """The words and numbers of a date's text, and the separators between them."""

    items: list[str]
    gaps: list[str]  # gaps[i]: the text between items[i] and items[i + 1], stripped

    @classmethod
    def of(cls, text: str) -> _Tokens:
        found = list(_TOKEN.finditer(text))
        items = [m.group() for m in found]
        gaps = [text[a.end() : b.start()].strip() for a, b in pairwise(found)]
        return cls(items, gaps)

    def drop(self, index: int) -> None:
        """Remove an item; the separator kept is the one before it (or after, first)."""
        del self.items[index]
        if not self.gaps:
            return
        del self.gaps[index if index < len(self.gaps) else index - 1]


def read_birth_date(text: str) -> DateReading:
    """The date of birth ``text`` gives, or DateProblem saying why it is none."""
    iso = _ISO.fullmatch(text)
    if iso is not None:  # the common case, read without the general machinery
        year, month, day = iso.groups()
        _check_year(int(year))
        if month is not None:
            _iso(int(year), int(month), None if day is None else int(day))
        return DateReading(BirthDate((text,), text=text))
    given = " ".join(text.split())
    folded = _fold(given)
    untimed = _TIME.sub("", folded).strip()
    tokens = _Tokens.of(_ORDINAL.sub(r"\1", untimed or folded))
    r = rules()
    approximate = False
    for index in (len(tokens.items) - 1, 0):  # "circa 1960", "1960 approx."
        if len(tokens.items) > 1 and tokens.items[index] in r.approximate:
            tokens.drop(index)
            approximate = True
    for index in range(len(tokens.items) - 1, -1, -1):
        if tokens.items[index] in r.filler:
            tokens.drop(index)
    if not tokens.items:
        raise DateProblem("no date in it")
    span = _range(tokens)
    if span is not None:
        return _range_reading(given, span, approximate)
    readings, notes = _single(tokens)
    return DateReading(BirthDate(readings, approximate, None, given), notes)


def _range(tokens: _Tokens) -> tuple[int, int] | None:
    r = rules()
    items = list(tokens.items)
    if items and items[0] in r.range_starts:
        items = items[1:]
    numbers = [i for i in items if i.isdigit()]
    if len(numbers) != 2 or not all(len(n) == 4 for n in numbers):
        return None
    if len(items) == 3 and items[1] in r.range_words:
        return int(items[0]), int(items[2])
    gap = tokens.gaps[-1] if tokens.gaps else ""
    if len(items) == 2 and gap in r.range_words:
        return int(items[0]), int(items[1])
    return None


def _range_reading(given: str, span: tuple[int, int], approximate: bool) -> DateReading:
    r = rules()
    low, high = span
    for year in span:
        _check_year(year)
    if low > high:
        raise DateProblem(f"a range of years from {low} back to {high}")
    if high - low > r.max_range_years:
        raise DateProblem(
            f"a range of {high - low} years says too little (at most {r.max_range_years})"
        )
    if low == high:
        return DateReading(BirthDate((str(low),), approximate, None, given))
    years = tuple(str(y) for y in range(low, high + 1))
    return DateReading(BirthDate(years, approximate, (low, high), given))


def _single(tokens: _Tokens) -> tuple[tuple[str, ...], tuple[str, ...]]:
    r = rules()
    numbers: list[str] = []
    month: int | None = None
    for item in tokens.items:
        if item.isdigit():
            numbers.append(item)
        elif item in r.months and month is None:
            month = r.months[item]
        elif item in r.months:
            raise DateProblem("two month names")
        elif item in r.approximate and len(tokens.items) == 1:
            raise DateProblem("no date in it")
        else:
            raise DateProblem(f"{item!r} is not a month name or part of a date")
    if month is not None:
        return _named_month(numbers, month)
    if len(numbers) == 1:
        return _one_number(numbers[0])
    if len(numbers) == 2:
        return _two_numbers(numbers)
    if len(numbers) == 3:
        return _three_numbers(numbers, tokens.gaps[0] if tokens.gaps else "")
    raise DateProblem("not a date (a day, a month and a year, or a year)")


def _year(text: str, notes: list[str]) -> int:
    """A four-digit year, or a two-digit one read by the fixed rule (noted)."""
    if len(text) == 4:
        return _check_year(int(text))
    if len(text) != 2:
        raise DateProblem(f"{text!r} is not a year (four digits)")
    base = rules().base_year
    year = base + (int(text) - base % 100) % 100
    notes.append(
        f"two-digit year {text} read as {year} "
        f"({base % 100:02d}-99 are {base}-{base // 100 * 100 + 99}, "
        f"00-{base % 100 - 1:02d} are {base // 100 * 100 + 100}-{base + 99}); "
        "write the year in four digits to be sure"
    )
    return _check_year(year)


def _check_year(year: int) -> int:
    low, high = rules().years
    if not low <= year <= high:
        raise DateProblem(f"year {year} is not a plausible year of birth ({low} to {high})")
    return year


def _iso(year: int, month: int, day: int | None = None) -> str:
    """The ISO prefix of a date, or DateProblem naming the impossible part."""
    if not 1 <= month <= 12:
        raise DateProblem(f"there is no month {month}")
    if day is None:
        return f"{year:04d}-{month:02d}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = rules().month_names[month - 1]
        raise DateProblem(f"there is no day {day} in {name} {year} (it has {last} days)")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _named_month(numbers: list[str], month: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    notes: list[str] = []
    if len(numbers) == 1:
        return (_iso(_year(numbers[0], notes), month),), tuple(notes)
    if len(numbers) != 2:
        raise DateProblem("not a date (a day, a month name and a year)")
    four = [n for n in numbers if len(n) == 4]
    year_text = four[0] if len(four) == 1 else numbers[-1]
    day_text = numbers[1] if year_text is numbers[0] else numbers[0]
    if len(day_text) > 2:
        raise DateProblem(f"{day_text!r} is not a day of the month")
    year = _year(year_text, notes)
    return (_iso(year, month, int(day_text)),), tuple(notes)


def _one_number(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if len(text) == 4:
        return (str(_check_year(int(text))),), ()
    if len(text) == 8:
        return _ordered(text[:4], text[4:6], text[6:], rules().compact_orders, text)
    if len(text) == 5:
        raise DateProblem("not a date (a spreadsheet's day number? export the column as text)")
    raise DateProblem("not a date (a year needs four digits)")


def _two_numbers(numbers: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    first, second = numbers
    if len(first) == 4 and len(second) <= 2:
        return (_iso(_check_year(int(first)), int(second)),), ()
    if len(second) == 4 and len(first) <= 2:
        return (_iso(_check_year(int(second)), int(first)),), ()
    raise DateProblem("not a date (a month and a year need a four-digit year)")


def _three_numbers(numbers: list[str], gap: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    a, b, c = numbers
    if len(a) == 4:
        if len(b) > 2 or len(c) > 2:
            raise DateProblem("not a date (year, month, day)")
        return (_iso(_check_year(int(a)), int(b), int(c)),), ()
    if len(a) > 2 or len(b) > 2 or len(c) not in (2, 4):
        raise DateProblem("not a date (day, month and year, or year, month and day)")
    orders = rules().numeric_orders.get(gap or " ", ("dmy", "mdy"))
    return _ordered(c, b, a, orders, None)


def _ordered(
    year_text: str, second: str, first: str, orders: tuple[str, ...], compact: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every reading of a numeric date the orders allow (``dmy``: ``first`` is the
    day; ``mdy``: the month; ``ymd``: a compact year-first date)."""
    notes: list[str] = []
    readings: list[str] = []
    problems: list[str] = []
    for order in orders:
        try:
            if order == "ymd" and compact is not None:
                reading = _iso(_check_year(int(compact[:4])), int(compact[4:6]), int(compact[6:]))
            elif order == "dmy" and compact is not None:
                year = _check_year(int(compact[4:]))
                reading = _iso(year, int(compact[2:4]), int(compact[:2]))
            else:
                year = _year(year_text, notes)
                day, month = (first, second) if order == "dmy" else (second, first)
                reading = _iso(year, int(month), int(day))
        except DateProblem as exc:
            problems.append(f"{_ORDER_LABEL[order]}: {exc}")
            continue
        if reading not in readings:
            readings.append(reading)
        if compact is not None:
            break  # a compact date read year first is not read again day first
    if not readings:
        only = problems[0].partition(": ")[2]
        raise DateProblem(only if len(problems) == 1 else "; ".join(problems))
    notes = list(dict.fromkeys(notes))
    if len(readings) > 1:
        shown = " or ".join(describe(x) for x in readings)
        notes.append(f"day and month can be read either way: compared as {shown}")
    return tuple(readings), tuple(notes)


_ORDER_LABEL = {"dmy": "day first", "mdy": "month first", "ymd": "year first"}
