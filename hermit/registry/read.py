"""Read registry files: which reader a file needs, and the items it gives.

- FollowTheMoney JSON lines (``.json``, ``.jsonl``, gzip or not, first byte ``{``);
- a table (CSV, Excel) with a mapping file given by the user;
- a table of a registry hermit knows (hermit/resources/registry/mappings/): the
  built-in mapping whose ``detect`` columns are all in the file's header.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from hermit.errors import SourceError
from hermit.registry.ftm_lines import GZIP_MAGIC, iter_ftm_lines
from hermit.registry.mapping import TableMapping, load_mapping, map_row
from hermit.registry.records import Item, Rejected
from hermit.registry.tables import Row, iter_csv, iter_xlsx, read_csv_header, xlsx_header

XLSX_MAGIC = b"PK\x03\x04"


@cache
def builtin_mappings() -> tuple[TableMapping, ...]:
    """The built-in mappings (one per known registry file kind)."""
    root = resources.files("hermit").joinpath("resources/registry/mappings")
    found: list[TableMapping] = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yml", ".yaml")):
            with resources.as_file(entry) as path:
                found.extend(load_mapping(path, source=f"built-in mapping {entry.name}"))
    return tuple(found)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(64)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except IsADirectoryError:
        raise SourceError(path, "a directory, not a file") from None


def _is_xlsx(path: Path, head: bytes) -> bool:
    return head.startswith(XLSX_MAGIC) or path.suffix.lower() == ".xlsx"


def _header(path: Path, delimiter: str, xlsx: bool) -> list[str]:
    return xlsx_header(path) if xlsx else read_csv_header(path, delimiter)


def _detect(path: Path, xlsx: bool) -> list[TableMapping]:
    headers: dict[str, set[str]] = {}
    matched: list[TableMapping] = []
    for tm in builtin_mappings():
        if tm.delimiter not in headers:
            headers[tm.delimiter] = set(_header(path, tm.delimiter, xlsx))
        if tm.detect and set(tm.detect) <= headers[tm.delimiter]:
            matched.append(tm)
    if not matched:
        raise SourceError(
            path,
            "not a registry file hermit knows (no built-in mapping fits its header): "
            "give a mapping file with --mapping",
        )
    return matched


def _check_columns(path: Path, tms: list[TableMapping], header: list[str]) -> None:
    for tm in tms:
        missing = sorted(tm.columns - set(header))
        if missing:
            raise SourceError(
                path,
                f"columns the mapping ({tm.source}) reads are not in the header: "
                + ", ".join(missing),
            )


def _rows(path: Path, delimiter: str, xlsx: bool) -> Iterator[Row]:
    return iter_xlsx(path) if xlsx else iter_csv(path, delimiter)


def read_table(path: Path, tms: list[TableMapping]) -> Iterator[Item]:
    """The items of a table read through ``tms`` (queries sharing one delimiter); the
    header is checked at once, the rows are read as the items are asked for."""
    head = _head(path)
    xlsx = _is_xlsx(path, head)
    delimiter = tms[0].delimiter
    _check_columns(path, tms, _header(path, delimiter, xlsx))
    return _table_items(path, tms, delimiter, xlsx)


def _table_items(path: Path, tms: list[TableMapping], delimiter: str, xlsx: bool) -> Iterator[Item]:
    file = str(path)
    for row in _rows(path, delimiter, xlsx):
        if isinstance(row, Rejected):
            yield row
            continue
        number, record = row
        applied = [tm for tm in tms if tm.accepts(record)]
        if not applied:
            yield Rejected(file, number, "the row matches none of the mapping's filters")
            continue
        for tm in applied:
            yield from map_row(tm, record, file, number)


def read_registry_file(path: Path, mapping: Path | None = None) -> Iterator[Item]:
    """Every item of one registry file (see the module's docstring). Which reader and
    mapping the file needs is decided at once (SourceError here, before any row is
    read); the rows are read as the items are asked for."""
    head = _head(path)
    if mapping is not None:
        return read_table(path, load_mapping(mapping))
    if head.startswith(GZIP_MAGIC) or head.lstrip().startswith(b"{"):
        return iter_ftm_lines(path)
    if not head.strip():
        raise SourceError(path, "the file is empty")
    return read_table(path, _detect(path, _is_xlsx(path, head)))
