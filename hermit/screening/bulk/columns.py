"""Input columns to query fields: names are compared case- and spacing-insensitively
(``Name``, ``birth date``, ``Birth-Date`` and ``DOB`` are ``name`` and ``birth_date``);
columns that are no query field are ignored and listed in the run's summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hermit.errors import SourceError
from hermit.screening.query import FIELDS, QUERY_FIELDS

#: Other names for query fields (``dob`` as in ``hermit screen --dob``).
ALIASES = {alias: spec.name for spec in FIELDS for alias in spec.aliases}


def column_key(name: str) -> str:
    """``' Birth-Date '`` -> ``birth_date``; ``DOB`` -> ``birth_date``."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return ALIASES.get(key, key)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which input column feeds which query field, and which columns are ignored."""

    fields: dict[str, str]  # input column -> query field
    unknown: tuple[str, ...]

    @classmethod
    def of(cls, path: Path, names: Sequence[str], line: int | None = None) -> ColumnMap:
        """The map for a header; SourceError naming the file when it has no ``name``
        column or two columns for one field."""
        fields: dict[str, str] = {}
        seen: dict[str, str] = {}
        unknown: list[str] = []
        for name in names:
            key = column_key(name)
            if key not in QUERY_FIELDS:
                unknown.append(name)
                continue
            if key in seen:
                raise SourceError(
                    path, f"columns {seen[key]!r} and {name!r} are both the query's {key}", line
                )
            seen[key] = name
            fields[name] = key
        if "name" not in seen:
            shown = ", ".join(repr(n) for n in names) or "none"
            raise SourceError(
                path,
                f"no 'name' column (columns found: {shown}); the query columns are "
                f"{', '.join(QUERY_FIELDS)}",
                line,
            )
        return cls(fields, tuple(unknown))
