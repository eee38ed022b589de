"""The declared column mapping (``resources/compliance/columns.yaml``): for each record
kind, the files to read and which column holds each field, with the field's type.

The built-in file is also the schema: a user's mapping (same shape) may only name the
kinds and fields it has, and a mistake is a SourceError naming the file, kind and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hermit.errors import SourceError

TYPES = frozenset({"text", "date", "datetime", "document", "amount"})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    column: str
    type: str = "text"
    required: bool = False


@dataclass(frozen=True, slots=True)
class KindSpec:
    """How one record kind is read: its files, separator, id column and fields."""

    kind: str
    files: tuple[str, ...]
    delimiter: str
    id_column: str | None
    fields: tuple[FieldSpec, ...]

    @property
    def columns(self) -> set[str]:
        cols = {f.column for f in self.fields}
        return cols if self.id_column is None else cols | {self.id_column}


@dataclass(frozen=True, slots=True)
class DateSettings:
    two_digit_year_pivot: int
    formats: tuple[str, ...]
    datetime_formats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    source: str
    dates: DateSettings
    kinds: dict[str, KindSpec]


def _fail(source: str, where: str, problem: str) -> SourceError:
    return SourceError(source, f"{where}: {problem}")


def _field(source: str, kind: str, name: str, raw: Any) -> FieldSpec:
    where = f"kind {kind}, field {name}"
    if isinstance(raw, str):
        return FieldSpec(name, raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("column"), str):
        raise _fail(source, where, "give the column name, or {column: ..., type: ...}")
    ftype = str(raw.get("type", "text"))
    if ftype not in TYPES:
        raise _fail(source, where, f"type {ftype!r} is not one of {', '.join(sorted(TYPES))}")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise _fail(source, where, "required must be true or false")
    return FieldSpec(name, raw["column"], ftype, required)


def _kind(source: str, kind: str, raw: Any) -> KindSpec:
    if not isinstance(raw, dict):
        raise _fail(source, f"kind {kind}", "not a mapping")
    files = raw.get("files") or []
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise _fail(source, f"kind {kind}, files", "give a list of file names")
    fields = raw.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise _fail(source, f"kind {kind}, fields", "give at least one field")
    id_column = raw.get("id")
    return KindSpec(
        kind=kind,
        files=tuple(files),
        delimiter=str(raw.get("delimiter") or ","),
        id_column=None if id_column is None else str(id_column),
        fields=tuple(_field(source, kind, str(n), v) for n, v in fields.items()),
    )


def _dates(source: str, raw: Any) -> DateSettings:
    if not isinstance(raw, dict):
        raise _fail(source, "dates", "not a mapping")
    pivot = raw.get("two_digit_year_pivot")
    if not isinstance(pivot, int) or not 0 <= pivot <= 99:
        raise _fail(source, "dates, two_digit_year_pivot", "must be a number 0-99")
    return DateSettings(
        pivot,
        tuple(str(f) for f in raw.get("formats") or ()),
        tuple(str(f) for f in raw.get("datetime_formats") or ()),
    )


def _read(path: Path | None) -> tuple[str, Any]:
    if path is None:
        ref = resources.files("hermit") / "resources" / "compliance" / "columns.yaml"
        return "built-in columns.yaml", yaml.safe_load(ref.read_text(encoding="utf-8"))
    try:
        return str(path), yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(path, "no such column mapping file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SourceError(path, f"not a YAML column mapping: {exc}") from None


def builtin_mapping() -> ColumnMapping:
    source, data = _read(None)
    kinds = {str(k): _kind(source, str(k), v) for k, v in data["kinds"].items()}
    return ColumnMapping(source, _dates(source, data["dates"]), kinds)


def load_columns(path: Path | None = None) -> ColumnMapping:
    """The built-in mapping, with the kinds of the user's file ``path`` replacing the
    built-in ones (its fields must be fields the built-in kind has)."""
    base = builtin_mapping()
    if path is None:
        return base
    source, data = _read(path)
    if not isinstance(data, dict) or not isinstance(data.get("kinds"), dict):
        raise SourceError(source, "no 'kinds' mapping at the top")
    kinds = dict(base.kinds)
    for name, raw in data["kinds"].items():
        if name not in base.kinds:
            raise _fail(source, f"kind {name}", f"unknown kind (known: {', '.join(base.kinds)})")
        spec = _kind(source, str(name), raw)
        known = {f.name for f in base.kinds[name].fields}
        for f in spec.fields:
            if f.name not in known:
                raise _fail(source, f"kind {name}, field {f.name}", "not a field of this kind")
        given = {f.name for f in spec.fields}
        for f in base.kinds[name].fields:
            if f.required and f.name not in given:
                raise _fail(source, f"kind {name}, field {f.name}", "required: map a column to it")
        kinds[str(name)] = spec
    dates = base.dates if data.get("dates") is None else _dates(source, data["dates"])
    return ColumnMapping(source, dates, kinds)
