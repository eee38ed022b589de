"""JSON lines in and out: one JSON object per line (UTF-8). A line that is not valid
JSON, or not an object, or whose name is not a single value, becomes a rejected row
(its line number is its row) and reading goes on; another field that is not a single
value (a list, an object, true/false) is set aside with a warning. Blank lines are
skipped. Keys are matched to query fields like CSV columns; other keys are listed once
in the summary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from hermit.errors import SourceError
from hermit.screening.bulk.columns import column_key
from hermit.screening.bulk.rows import RawRow, ResultRow, cell_text
from hermit.screening.query import QUERY_FIELDS, QueryWarning

_FIELDS = frozenset(QUERY_FIELDS)
_TEXT_SHOWN = 500  # characters of an unreadable line kept in the rejects file
_JSON_KINDS: dict[type, str] = {
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


class JsonlReader:
    """Query rows of a JSON lines file (no header: a missing name rejects the row)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise SourceError(path, "no such file")
        self._unknown: dict[str, None] = {}  # ordered set, filled while reading

    def unknown_columns(self) -> tuple[str, ...]:
        """Keys seen so far that are no query field (complete once rows() is done)."""
        return tuple(self._unknown)

    def estimated_rows(self) -> int | None:
        count = 0
        with self.path.open("rb") as fh:
            while block := fh.read(1 << 20):
                count += block.count(b"\n")
        return count

    def rows(self) -> Iterator[RawRow]:
        with self.path.open("rb") as fh:
            yield from self._rows(fh)

    def _rows(self, fh: BinaryIO) -> Iterator[RawRow]:
        for number, raw in enumerate(fh, 1):
            line = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
            if not line.strip():
                continue
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problem = f"bytes that are not UTF-8 text (byte {exc.start + 1} of the line)"
                yield RawRow(number, {}, None, "", problem, _shown(line))
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield RawRow(number, {}, None, "", f"not valid JSON: {exc}", _shown(line))
                continue
            if not isinstance(data, dict):
                problem = f"a JSON {_JSON_KINDS.get(type(data), 'value')}, not an object"
                problem += " of query fields"
                yield RawRow(number, {}, None, "", problem, _shown(line))
                continue
            yield self._row(number, data, line)

    def _row(self, number: int, data: dict[str, object], line: bytes) -> RawRow:
        values: dict[str, str] = {}
        warnings: list[QueryWarning] = []
        for name, value in data.items():
            key = name if name in _FIELDS else column_key(name)
            if key not in _FIELDS:
                self._unknown.setdefault(name, None)
                continue
            try:
                text = cell_text(value)
            except ValueError as exc:
                if key == "name":
                    return RawRow(number, {}, None, key, str(exc), _shown(line))
                shown = orjson.dumps(value).decode()[:200]
                warnings.append(QueryWarning(key, shown, str(exc)))
                continue
            if text:
                values[key] = text
        return RawRow(number, values, warnings=tuple(warnings))


def _shown(line: bytes) -> str:
    return line.decode("utf-8", "replace").strip()[:_TEXT_SHOWN]


class JsonlWriter:
    """Result rows as JSON lines (datasets and warnings lists; null for what a row does
    not have: a ``clear`` row's rank, entity and score, an unreviewed pair's decision,
    suppressed and lapsed)."""

    def __init__(self, path: Path) -> None:
        self._fh = path.open("wb")

    def write(self, rows: Sequence[ResultRow]) -> None:
        self._fh.write(b"".join(orjson.dumps(r._asdict()) + b"\n" for r in rows))

    def close(self) -> None:
        self._fh.close()
