"""A labour file read through an engine: its lines as the engine's frame, parsed and
typed column by column in a function the engine runs over each partition (the same
function on DuckDB and on Spark's executors), with the rules of hermit's own reader
(hermit.compliance.read): a row of the wrong width, or whose required field is blank
or unreadable, is rejected; any other unreadable value is set aside and the row kept.
Every rejected row and set-aside value is kept in the frame (``_problems``), named by
file, line and field, and counted.

The frame has a column per field of the kind (text and documents as strings, dates as
dates, datetimes as ``YYYY-MM-DD HH:MM:SS`` text with the day beside it in
``<field>_day``, amounts as doubles), and ``_line`` (the physical line, header = 1),
``_id`` (the record id, or ``file#line``), ``_rejected`` and ``_problems`` (a JSON list
of the row's problems, or null).

Lines are split where the engine's text reader splits them, so a quoted line break
inside a value makes the row's two halves rows of the wrong width (rejected, named):
hermit's in-process reader reads such a row whole.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from hermit.compliance.columns import DateSettings, KindSpec
from hermit.compliance.read import GZIP_MAGIC, _Converter, header_index
from hermit.compliance.values import read_amount, read_document
from hermit.compliance.vocabulary import vocabulary
from hermit.engine.base import Engine, Frame
from hermit.errors import SourceError

LINE, ID, REJECTED, PROBLEMS, POS = "_line", "_id", "_rejected", "_problems", "_pos"

_ARROW = {
    "text": pa.string(),
    "document": pa.string(),
    "date": pa.date32(),
    "datetime": pa.string(),
    "amount": pa.float64(),
}


@dataclass(frozen=True, slots=True)
class Derived:
    """Columns made beside a kind's fields for the queries: ``<field>_term`` (what the
    value means, hermit.compliance.vocabulary) and ``<field>_key`` (the value's words
    in upper case, one space apart, as hermit's keys compare them)."""

    terms: tuple[tuple[str, str], ...] = ()  # (field, vocabulary field)
    keys: tuple[str, ...] = ()

    def present(self, spec: KindSpec) -> Derived:
        names = {f.name for f in spec.fields}
        return Derived(
            tuple(t for t in self.terms if t[0] in names), tuple(k for k in self.keys if k in names)
        )


def kind_schema(
    spec: KindSpec, derived: Derived = Derived(), keep: frozenset[str] | None = None
) -> pa.Schema:
    """The frame's columns: the fields in ``keep`` (default: all), derived columns and
    the row's own."""
    fields: list[pa.Field] = []
    for f in spec.fields:
        if keep is not None and f.name not in keep:
            continue
        fields.append(pa.field(f.name, _ARROW[f.type]))
        if f.type == "datetime":
            fields.append(pa.field(f"{f.name}_day", pa.date32()))
    fields += [pa.field(f"{name}_term", pa.string()) for name, _ in derived.terms]
    fields += [pa.field(f"{name}_key", pa.string()) for name in derived.keys]
    fields += [
        pa.field(LINE, pa.int64()),
        pa.field(ID, pa.string()),
        pa.field(REJECTED, pa.bool_()),
        pa.field(PROBLEMS, pa.string()),
    ]
    return pa.schema(fields)


def header_of(path: Path, delimiter: str) -> list[str]:
    """The file's first line, split as CSV (a BOM dropped)."""
    try:
        with path.open("rb") as fh:
            gz = fh.read(2) == GZIP_MAGIC
        opener: Any = gzip.open if gz else open
        with opener(path, "rb") as raw:
            first = raw.readline()
    except (OSError, EOFError) as exc:
        raise SourceError(path, f"not readable: {exc}") from None
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, f"not UTF-8 text ({exc.reason})", 1) from None
    if not text.strip():
        raise SourceError(path, "the file is empty: no header row")
    return next(csv.reader(io.StringIO(text), delimiter=delimiter))


def _problem(
    line: int, rid: str, reason: str, field: str | None, value: str | None
) -> dict[str, Any]:
    return {"line": line, "id": rid, "reason": reason, "field": field, "value": value}


#: What str.strip() strips (hermit's reader strips cells with it).
_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
#: A line made of these only has no value in any cell.
_BLANK = _SPACE + '"'


@dataclass(frozen=True, slots=True)
class ParseLines:
    """The function an engine runs over each partition of a file's numbered lines.
    Only the fields in ``keep`` are columns of the frame; the others are still read,
    so their problems are found and counted."""

    file: str
    spec: KindSpec
    dates: DateSettings
    index: dict[str, int]  # column name -> position in a row
    width: int
    derived: Derived
    keep: frozenset[str] | None = None

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        conv = _Converter(self.dates)
        schema = kind_schema(self.spec, self.derived, self.keep)
        for batch in batches:
            yield self._batch(batch, conv, schema)

    def _split(
        self, raw: list[Any], pos: list[int]
    ) -> tuple[list[int], list[list[str]], dict[int, str]]:
        """The data lines' numbers, their cells (a row that cannot be read: cells left
        blank, its reason in the third result), blank lines dropped."""
        lines: list[int] = []
        rows: list[list[str]] = []
        faults: dict[int, str] = {}
        blank_row = [""] * self.width
        texts: list[str | None] = []
        for value in raw:
            if isinstance(value, str):
                texts.append(value)
                continue
            try:
                texts.append(value.decode("utf-8"))
            except UnicodeDecodeError as exc:
                texts.append(None)
                faults[-len(texts)] = f"not UTF-8 text ({exc.reason})"
        whole: list[list[str]] | None
        try:
            whole = list(
                csv.reader(
                    (t if t is not None else "" for t in texts),
                    delimiter=self.spec.delimiter,
                    strict=True,
                )
            )
        except csv.Error:
            whole = None
        if whole is not None and len(whole) != len(texts):
            whole = None  # a quoted value ran over a line end: each line on its own
        blank_chars = _BLANK + self.spec.delimiter
        for n, (text, p) in enumerate(zip(texts, pos, strict=True)):
            if p == 0:
                continue  # the header
            line = p + 1
            if text is None:
                faults[len(rows)] = faults.pop(-(n + 1))
                lines.append(line)
                rows.append(blank_row)
                continue
            stripped = text.strip(blank_chars)
            if not stripped:
                continue  # no value in any cell (quotes and separators only)
            if whole is not None:
                cells = whole[n]
            else:
                try:
                    cells = next(csv.reader([text], delimiter=self.spec.delimiter, strict=True))
                except csv.Error as exc:
                    faults[len(rows)] = f"not readable as CSV: {exc}"
                    lines.append(line)
                    rows.append(blank_row)
                    continue
            if not stripped.isascii() and not any(c.strip() for c in cells):
                continue
            if len(cells) != self.width:
                faults[len(rows)] = (
                    f"{len(cells)} fields where the header has {self.width} (an unquoted "
                    f"{self.spec.delimiter!r} in a value, or a truncated row)"
                )
                cells = blank_row
            lines.append(line)
            rows.append(cells)
        return lines, rows, faults

    def _batch(self, batch: pa.RecordBatch, conv: _Converter, schema: pa.Schema) -> pa.RecordBatch:
        lines, rows, faults = self._split(
            batch.column("value").to_pylist(), batch.column(POS).to_pylist()
        )
        n = len(lines)

        def cells(column: str) -> pa.Array:
            at = self.index[column]
            text = pa.array([r[at] for r in rows], pa.string())
            text = pc.utf8_trim(text, characters=_SPACE)
            return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)

        ids: list[str] = []
        if self.spec.id_column is not None:
            ids = cells(self.spec.id_column).to_pylist()
        ids = [
            (ids[i] if ids and ids[i] is not None and i not in faults else None)
            or f"{self.file}#{lines[i]}"
            for i in range(n)
        ]
        if self.spec.id_column is not None:
            # a row of the wrong width still names its id when it has the id's cell
            for i in faults:
                rid = _id_of(batch, self, i, lines)
                if rid:
                    ids[i] = rid
        problems: dict[int, list[dict[str, Any]]] = {
            i: [_problem(lines[i], ids[i], reason, None, None)] for i, reason in faults.items()
        }
        rejected = set(faults)
        out: dict[str, pa.Array] = {}
        for f in self.spec.fields:
            kept = self.keep is None or f.name in self.keep
            if f.type == "text" and not f.required and not kept:
                continue
            text = cells(f.column)
            if f.required:
                for i in pc.indices_nonzero(pc.is_null(text)).to_pylist():
                    if i not in rejected:
                        rejected.add(i)
                        problems[i] = [
                            _problem(lines[i], ids[i], f"required {f.name} is blank", f.name, "")
                        ]
            values, errors = _convert(f.type, text, conv)
            if errors:
                texts = text.to_pylist()
                for i, message in errors.items():
                    if i in rejected:
                        continue
                    if f.required:
                        rejected.add(i)
                        problems[i] = [
                            _problem(
                                lines[i], ids[i], f"required {f.name}: {message}", f.name, texts[i]
                            )
                        ]
                    else:
                        problems.setdefault(i, []).append(
                            _problem(
                                lines[i],
                                ids[i],
                                f"{f.name}: {message} (set aside)",
                                f.name,
                                texts[i],
                            )
                        )
            if not kept:
                continue
            out[f.name] = values
            if f.type == "datetime":
                out[f"{f.name}_day"] = pc.cast(pc.utf8_slice_codeunits(values, 0, 10), pa.date32())
        words = vocabulary()
        for name, vocab in self.derived.terms:
            out[f"{name}_term"] = _by_value(out[name], partial(words.term, vocab), pa.string())
        for name in self.derived.keys:
            out[f"{name}_key"] = _by_value(
                out[name], lambda v: " ".join(v.split()).upper(), pa.string()
            )
        mask = pa.array([i in rejected for i in range(n)], pa.bool_())
        columns: list[pa.Array] = []
        for fld in schema:
            if fld.name == LINE:
                columns.append(pa.array(lines, pa.int64()))
            elif fld.name == ID:
                columns.append(pa.array(ids, pa.string()))
            elif fld.name == REJECTED:
                columns.append(mask)
            elif fld.name == PROBLEMS:
                columns.append(
                    pa.array(
                        [
                            orjson.dumps(problems[i]).decode() if i in problems else None
                            for i in range(n)
                        ],
                        pa.string(),
                    )
                )
            else:
                column = out[fld.name]
                if rejected:
                    column = pc.if_else(mask, pa.scalar(None, fld.type), column)
                columns.append(column)
        return pa.RecordBatch.from_arrays(columns, schema=schema)


def _id_of(batch: pa.RecordBatch, parse: ParseLines, i: int, lines: list[int]) -> str:
    """The id cell of the ``i``-th data row of a batch, read from its line alone."""
    assert parse.spec.id_column is not None
    line = lines[i]
    pos = batch.column(POS).to_pylist().index(line - 1)
    value = batch.column("value")[pos].as_py()
    try:
        text = value if isinstance(value, str) else value.decode("utf-8")
        cells = next(csv.reader([text], delimiter=parse.spec.delimiter))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return ""
    at = parse.index[parse.spec.id_column]
    return cells[at].strip() if at < len(cells) else ""


def _by_value(values: pa.Array, convert: Callable[[Any], Any], to: pa.DataType) -> pa.Array:
    """``convert`` over each distinct value once (nulls stay null)."""
    uniq = pc.unique(values)
    mapped = pa.array([None if v is None else convert(v) for v in uniq.to_pylist()], to)
    return mapped.take(pc.index_in(values, uniq))


def _convert(ftype: str, text: pa.Array, conv: _Converter) -> tuple[pa.Array, dict[int, str]]:
    """The column's values (null where blank or unreadable) and the messages of the
    rows unreadable; each distinct value is read once."""
    if ftype == "text":
        return text, {}
    read: Callable[[str], Any]
    to: pa.DataType
    if ftype == "date":
        read, to = conv.date, pa.date32()
    elif ftype == "datetime":

        def read(t: str) -> str:
            return conv.moment(t).isoformat(" ")

        to = pa.string()
    elif ftype == "document":
        read, to = read_document, pa.string()
    else:
        read, to = read_amount, pa.float64()
    uniq = pc.unique(text)
    values: list[Any] = []
    bad: dict[str, str] = {}
    for t in uniq.to_pylist():
        if t is None:
            values.append(None)
            continue
        try:
            values.append(read(t))
        except ValueError as exc:
            values.append(None)
            bad[t] = str(exc)
    mapped = pa.array(values, to).take(pc.index_in(text, uniq))
    errors: dict[int, str] = {}
    if bad:
        texts = text.to_pylist()
        hit = pc.is_in(text, pa.array(list(bad), pa.string()))
        for i in pc.indices_nonzero(hit).to_pylist():
            errors[i] = bad[texts[i]]
    return mapped, errors


def read_kind_frame(
    engine: Engine,
    path: Path,
    spec: KindSpec,
    dates: DateSettings,
    derived: Derived = Derived(),
    keep: frozenset[str] | None = None,
) -> Frame:
    """``path`` (CSV, or CSV in gzip) as a frame of kind ``spec`` (persisted: it is read
    by several queries)."""
    header = header_of(path, spec.delimiter)
    index = header_index(path, spec, header, 1)
    lines = engine.numbered(engine.read_lines(path), POS)
    derived = derived.present(spec)
    function = ParseLines(path.name, spec, dates, index, len(header), derived, keep)
    schema = kind_schema(spec, derived, keep)
    return engine.persist(engine.map_batches(lines, function, schema))
