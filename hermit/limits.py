"""The bounds on what one input may cost, from ``resources/limits.yaml`` (each value
is explained there)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class ScreeningLimits:
    max_fuzzy_word_chars: int  # longest word whose one-letter deletions are looked up


@dataclass(frozen=True, slots=True)
class QueryLimits:
    max_name_chars: int  # a longer name is cut to this many characters, with a warning
    max_name_words: int  # a name with more words is cut to this many, with a warning
    max_field_chars: int  # another field longer than this is set aside, with a warning


@dataclass(frozen=True, slots=True)
class NameLimits:
    max_korean_word_chars: int  # longest romanized word read as Korean syllables


@dataclass(frozen=True, slots=True)
class BulkLimits:
    max_record_lines: int  # a CSV record over more lines is an unclosed quote


@dataclass(frozen=True, slots=True)
class ServiceLimits:
    max_header_bytes: int  # request line and headers; more is a 431
    header_seconds: int  # a request head must arrive within this (slowloris)
    keep_alive_seconds: int  # an idle keep-alive connection is closed after this
    max_request_seconds: int  # a longer request is answered 503
    max_upload_seconds: int  # the same for the upload paths


@cache
def _section(name: str) -> dict[str, Any]:
    path = resources.files("hermit") / "resources" / "limits.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    section: dict[str, Any] = data[name]
    return section


def _ints(name: str, keys: tuple[str, ...]) -> dict[str, int]:
    section = _section(name)
    return {key: int(section[key]) for key in keys}


@cache
def screening_limits() -> ScreeningLimits:
    """The screening bounds of ``resources/limits.yaml`` (read once)."""
    return ScreeningLimits(**_ints("screening", ("max_fuzzy_word_chars",)))


@cache
def query_limits() -> QueryLimits:
    """How long a query's name and fields may be."""
    return QueryLimits(**_ints("query", ("max_name_chars", "max_name_words", "max_field_chars")))


@cache
def name_limits() -> NameLimits:
    return NameLimits(**_ints("names", ("max_korean_word_chars",)))


@cache
def bulk_limits() -> BulkLimits:
    return BulkLimits(**_ints("bulk", ("max_record_lines",)))


@cache
def service_limits() -> ServiceLimits:
    keys = (
        "max_header_bytes",
        "header_seconds",
        "keep_alive_seconds",
        "max_request_seconds",
        "max_upload_seconds",
    )
    return ServiceLimits(**_ints("service", keys))
