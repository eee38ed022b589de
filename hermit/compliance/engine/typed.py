"""Values of the most common shapes read in Arrow, column at a time, to exactly what
hermit's per-value readers (hermit.compliance.values, hermit.compliance.read) give:
``DD.MM.YYYY`` dates, ``DD.MM.YYYY HH:MM`` and ``YYYY-MM-DD HH:MM`` times, document
numbers and name keys in ASCII (and keys in basic Cyrillic). Each function returns
the values it read and a mask of the rows it read; the caller reads the other rows one
by one (which also names the reason of a value that cannot be read).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

#: The ASCII characters Python's ``\s`` and str.split() take for white space.
_ASCII_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f "
_DATE = r"^\d\d\.\d\d\.\d\d\d\d$"
_SHORT_DATE = r"^\d\d\.\d\d\.\d\d$"
_ISO_DATE = r"^\d\d\d\d-\d\d-\d\d$"
_MOMENT = r"^\d\d\.\d\d\.\d\d\d\d \d\d:\d\d$"
_ISO_MOMENT = r"^\d\d\d\d-\d\d-\d\d \d\d:\d\d$"
#: Text whose upper case is the same character by character in Python and Arrow.
_SIMPLE_CASE = r"^[\x00-\x7f\x{0400}-\x{045f}]*$"

Read = tuple[pa.Array, pa.Array]


def _iso_day(text: pa.Array) -> pa.Array:
    """``YYYY-MM-DD`` from text starting ``DD.MM.YYYY``."""
    return pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(text, 6, 10),
        pc.utf8_slice_codeunits(text, 3, 5),
        pc.utf8_slice_codeunits(text, 0, 2),
        "-",
    )


def _valid_day(iso: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The dates of ``iso`` days and where the day is a calendar date (round
    trip through strptime; Python's dates start in year 1)."""
    stamp = pc.cast(pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True), pa.date32())
    ok = pc.and_(
        pc.equal(pc.cast(stamp, pa.string()), iso),
        pc.invert(pc.starts_with(iso, "0000")),
    )
    return stamp, pc.fill_null(ok, False)


def iso_first(formats: tuple[str, ...], iso: str = "%Y-%m-%d") -> bool:
    """Whether ISO text (``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM`` with ``iso`` its
    datetime format) is read by the format ``iso`` (no format tried before it can
    read text with dashes)."""
    if iso not in formats:
        return False
    return all("-" not in f for f in formats[: formats.index(iso)])


def dates(text: pa.Array, pivot: int, iso: bool) -> Read:
    """``DD.MM.YYYY`` (hermit.compliance.read._fast_date), ``DD.MM.YY`` (years below
    ``pivot`` in the 2000s, hermit.compliance.values.read_date) and, where ``iso``,
    ``YYYY-MM-DD``, as date32."""
    long_ = pc.fill_null(pc.match_substring_regex(text, _DATE), False)
    short = pc.fill_null(pc.match_substring_regex(text, _SHORT_DATE), False)
    iso_ = pc.fill_null(pc.match_substring_regex(text, _ISO_DATE), False)
    if not iso:
        iso_ = pc.and_(iso_, False)
    yy = pc.utf8_slice_codeunits(text, 6, 8)
    century = pc.if_else(pc.less(yy, f"{pivot:02d}"), "20", "19")
    year = pc.if_else(
        long_,
        pc.utf8_slice_codeunits(text, 6, 10),
        pc.binary_join_element_wise(century, yy, ""),
    )
    day_first = pc.binary_join_element_wise(
        year, pc.utf8_slice_codeunits(text, 3, 5), pc.utf8_slice_codeunits(text, 0, 2), "-"
    )
    iso = pc.if_else(iso_, text, day_first)
    stamp, ok = _valid_day(iso)
    done = pc.and_(pc.or_(pc.or_(long_, short), iso_), ok)
    return pc.if_else(done, stamp, pa.scalar(None, pa.date32())), done


def moments(text: pa.Array, iso: bool = False) -> Read:
    """``DD.MM.YYYY HH:MM`` (read._fast_datetime) and, where ``iso``, ``YYYY-MM-DD
    HH:MM`` (values.read_datetime's ``%Y-%m-%d %H:%M``) as ``YYYY-MM-DD HH:MM:00``."""
    shaped = pc.fill_null(pc.match_substring_regex(text, _MOMENT), False)
    iso_ = pc.fill_null(pc.match_substring_regex(text, _ISO_MOMENT), False)
    if not iso:
        iso_ = pc.and_(iso_, False)
    day = pc.if_else(iso_, pc.utf8_slice_codeunits(text, 0, 10), _iso_day(text))
    _, ok = _valid_day(day)
    hour = pc.utf8_slice_codeunits(text, 11, 13)
    minute = pc.utf8_slice_codeunits(text, 14, 16)
    clock_ok = pc.and_(pc.less(hour, "24"), pc.less(minute, "60"))
    done = pc.fill_null(pc.and_(pc.and_(pc.or_(shaped, iso_), ok), clock_ok), False)
    value = pc.binary_join_element_wise(day, " ", hour, ":", minute, ":00", "")
    return pc.if_else(done, value, pa.scalar(None, pa.string())), done


def documents(text: pa.Array) -> Read:
    """ASCII document numbers (hermit.compliance.values.read_document): spaces,
    dashes, ``N`` and ``#`` taken out, upper case; an empty result is left to the
    caller (it names the error)."""
    ascii_ = pc.fill_null(pc.string_is_ascii(text), False)
    value = pc.ascii_upper(pc.replace_substring_regex(text, f"[{_ASCII_SPACE}\\-N#]+", ""))
    done = pc.and_(ascii_, pc.fill_null(pc.not_equal(value, ""), False))
    return pc.if_else(done, value, pa.scalar(None, pa.string())), done


def keys(text: pa.Array) -> Read:
    """A value's words in upper case, one space apart (``" ".join(v.split()).upper()``),
    for ASCII and basic Cyrillic text."""
    simple = pc.fill_null(pc.match_substring_regex(text, _SIMPLE_CASE), False)
    words = pc.replace_substring_regex(
        pc.utf8_trim(text, characters=" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"),
        f"[{_ASCII_SPACE}]+",
        " ",
    )
    value = pc.utf8_upper(words)
    return pc.if_else(simple, value, pa.scalar(None, pa.string())), simple
