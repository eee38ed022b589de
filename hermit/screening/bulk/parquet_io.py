"""Parquet in and out, by record batches so memory does not grow with the file. Only
the query columns are read; a cell that is not one value (a list, a struct) is set
aside with a warning (in the name column: the row is rejected). Results are written in
row groups of ROW_GROUP_ROWS rows; a ``clear`` row's rank, entity and score are null."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from hermit.errors import SourceError
from hermit.screening.bulk.columns import ColumnMap
from hermit.screening.bulk.rows import RESULT_COLUMNS, RawRow, ResultRow, cell_text
from hermit.screening.query import QueryWarning

BATCH_ROWS = 8_192
ROW_GROUP_ROWS = 16_384

RESULT_SCHEMA = pa.schema(
    [
        ("query_id", pa.string()),
        ("query_name", pa.string()),
        ("status", pa.string()),
        ("rank", pa.int32()),
        ("entity_id", pa.string()),
        ("caption", pa.string()),
        ("schema", pa.string()),
        ("datasets", pa.list_(pa.string())),
        ("score", pa.float64()),
        ("is_match", pa.bool_()),
        ("suppressed", pa.string()),
        ("lapsed", pa.string()),
        ("explanation", pa.string()),
        ("warnings", pa.list_(pa.string())),
    ]
)
assert tuple(RESULT_SCHEMA.names) == RESULT_COLUMNS


def _open(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except FileNotFoundError:
        raise SourceError(path, "no such file") from None
    except (OSError, pa.ArrowException) as exc:
        raise SourceError(path, f"not a readable Parquet file: {exc}") from None


class ParquetReader:
    """Query rows of a Parquet file; the schema is checked when the reader is made."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns = ColumnMap.of(path, _open(path).schema_arrow.names)

    def unknown_columns(self) -> tuple[str, ...]:
        return self.columns.unknown

    def estimated_rows(self) -> int | None:
        return int(_open(self.path).metadata.num_rows)

    def rows(self) -> Iterator[RawRow]:
        fields = self.columns.fields
        number = 0
        with _open(self.path) as source:
            for batch in source.iter_batches(batch_size=BATCH_ROWS, columns=list(fields)):
                for record in _as_bytes(batch).to_pylist():
                    number += 1
                    yield _row(number, record, fields)


def _as_bytes(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with its text columns as bytes, decoded cell by cell in ``_row``:
    Parquet does not make a writer check that text is UTF-8, and pyarrow fails on the
    whole batch at the first cell that is not."""
    columns = []
    for column in batch.columns:
        kind = column.type
        if pa.types.is_dictionary(kind) and pa.types.is_string(kind.value_type):
            column = column.dictionary_decode()
            kind = column.type
        if pa.types.is_string(kind):
            column = column.view(pa.binary())
        elif pa.types.is_large_string(kind):
            column = column.view(pa.large_binary())
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _shown(record: dict[str, object]) -> str:
    """A record for the rejects file: its values as text (bytes decoded, undecodable
    ones shown as U+FFFD)."""
    shown = {
        k: v.decode("utf-8", "replace") if isinstance(v, bytes) else v for k, v in record.items()
    }
    return repr(shown)[:500]


def _row(number: int, record: dict[str, object], fields: dict[str, str]) -> RawRow:
    values: dict[str, str] = {}
    warnings: list[QueryWarning] = []
    for column, value in record.items():
        key = fields[column]
        try:
            text = cell_text(value)
        except ValueError as exc:
            if key == "name":
                return RawRow(number, {}, None, key, str(exc), _shown(record))
            shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
            warnings.append(QueryWarning(key, repr(shown)[:200], str(exc)))
            continue
        if text:
            values[key] = text
    return RawRow(number, values, warnings=tuple(warnings))


class ParquetWriter:
    """Result rows as Parquet (RESULT_SCHEMA), buffered into row groups."""

    def __init__(self, path: Path) -> None:
        self._writer = pq.ParquetWriter(path, RESULT_SCHEMA, compression="zstd")
        self._buffer: list[ResultRow] = []

    def write(self, rows: Sequence[ResultRow]) -> None:
        self._buffer.extend(rows)
        if len(self._buffer) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        columns = list(zip(*self._buffer, strict=True))
        table = pa.Table.from_arrays(
            [pa.array(col, type=f.type) for col, f in zip(columns, RESULT_SCHEMA, strict=True)],
            schema=RESULT_SCHEMA,
        )
        self._writer.write_table(table)
        self._buffer.clear()

    def close(self) -> None:
        self._flush()
        self._writer.close()
