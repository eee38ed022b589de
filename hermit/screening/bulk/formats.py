"""File formats of a bulk run: told from the extension or given, and the reader or
writer for each. Readers check the header (CSV, xlsx) or schema (Parquet) when made, so
a file that cannot be screened fails before anything runs. Excel is read, not written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from hermit.errors import SourceError
from hermit.screening.bulk.rows import RawRow, ResultRow

FORMATS = ("csv", "jsonl", "parquet", "xlsx")
EXTENSIONS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
}
#: Formats that are read but not written (results go to CSV, JSON lines or Parquet).
INPUT_ONLY = ("xlsx",)
OUTPUT_FORMATS = tuple(f for f in FORMATS if f not in INPUT_ONLY)


class QueryReader(Protocol):
    path: Path

    def rows(self) -> Iterator[RawRow]:
        """Every record in file order, readable or not (blank lines skipped)."""
        ...

    def unknown_columns(self) -> tuple[str, ...]:
        """Input columns that are no query field (ignored)."""
        ...

    def estimated_rows(self) -> int | None:
        """About how many rows the file has (for a progress bar)."""
        ...


class ResultWriter(Protocol):
    def write(self, rows: Sequence[ResultRow]) -> None: ...

    def close(self) -> None: ...


def format_of(path: Path, given: str | None = None) -> str:
    """``given`` if set (checked), else the format the extension says."""
    if given is not None:
        if given.lower() not in FORMATS:
            raise SourceError(path, f"unknown format {given!r} (one of {', '.join(FORMATS)})")
        return given.lower()
    found = EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise SourceError(
            path,
            f"cannot tell the format from the extension {path.suffix or '(none)'!r}: use "
            f"{', '.join(EXTENSIONS)} or say which ({', '.join(FORMATS)})",
        )
    return found


def open_reader(path: Path, fmt: str) -> QueryReader:
    """The reader for ``path``; SourceError naming the file when it cannot be screened
    (missing, unreadable, no ``name`` column)."""
    if fmt == "csv":
        from hermit.screening.bulk.csv_io import CsvReader

        return CsvReader(path)
    if fmt == "jsonl":
        from hermit.screening.bulk.jsonl_io import JsonlReader

        return JsonlReader(path)
    if fmt == "xlsx":
        from hermit.screening.bulk.xlsx_io import XlsxReader

        return XlsxReader(path)
    from hermit.screening.bulk.parquet_io import ParquetReader

    return ParquetReader(path)


def open_writer(path: Path, fmt: str) -> ResultWriter:
    """A writer creating ``path`` (the run gives a temporary path, renamed at the end)."""
    if fmt in INPUT_ONLY:
        shown = str(path).removesuffix(".part")  # the run writes to OUT.part first
        raise SourceError(shown, f"results cannot be written as {fmt}: use csv, jsonl or parquet")
    if fmt == "csv":
        from hermit.screening.bulk.csv_io import CsvWriter

        return CsvWriter(path)
    if fmt == "jsonl":
        from hermit.screening.bulk.jsonl_io import JsonlWriter

        return JsonlWriter(path)
    from hermit.screening.bulk.parquet_io import ParquetWriter

    return ParquetWriter(path)
