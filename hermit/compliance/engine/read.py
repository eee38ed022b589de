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

The lines of the common shapes (each cell plain or quoted whole, the header's width) are
split into cells by Arrow's CSV parser (hermit.compliance.engine.split; every other line
by Python's csv reader), cells are trimmed where their bytes say they may need it
(hermit.compliance.engine.cells), and dates, times, document numbers and name keys of the
common shapes are read in Arrow over each column's distinct values
(hermit.compliance.engine.typed), the rest value by value in Python:
``ParseLines(arrow=False)`` does it all line by line and value by value, and the tests
(tests/engine/test_compliance_readers.py) find the two frames equal.

Lines are split where the engine's text reader splits them, so a quoted line break
inside a value makes the row's two halves rows of the wrong width (rejected, named):
hermit's in-process reader reads such a row whole.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc

from hermit.compliance.columns import DateSettings, KindSpec
from hermit.compliance.engine import typed
from hermit.compliance.engine.cells import clean, clean_all
from hermit.compliance.engine.split import BLANK, Split, split_lines, width_fault
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
    #: lines split and common values read in Arrow (split_lines, typed); False: line
    #: by line and value by value in Python (the reference the tests compare with)
    arrow: bool = True

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        conv = _Converter(self.dates)
        schema = kind_schema(self.spec, self.derived, self.keep)
        for batch in batches:
            yield self._batch(batch, conv, schema)

    def _split(self, raw: list[Any], pos: list[int]) -> Split:
        """The data lines' numbers, the reasons of the rows that cannot be read (their
        cells blank), their cells: line by line in Python (a batch that is not UTF-8
        throughout; split_lines splits the others the same way in Arrow)."""
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
        blank_chars = BLANK + self.spec.delimiter
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
                faults[len(rows)] = width_fault(len(cells), self.width, self.spec.delimiter)
                cells = blank_row
            lines.append(line)
            rows.append(cells)
        return Split(lines, faults, lambda at: pa.array([r[at] for r in rows], pa.string()))

    def _batch(self, batch: pa.RecordBatch, conv: _Converter, schema: pa.Schema) -> pa.RecordBatch:
        split = (
            split_lines(batch.column("value"), batch.column(POS), self.spec.delimiter, self.width)
            if self.arrow
            else None
        )
        if split is None:
            split = self._split(batch.column("value").to_pylist(), batch.column(POS).to_pylist())
        lines, faults = split.lines, split.faults
        n = len(lines)

        def cells(column: str) -> pa.Array:
            raw = split.cell(self.index[column])
            return clean(raw) if self.arrow else clean_all(raw)

        line_array = pa.array(lines, pa.int64())
        ids = pc.binary_join_element_wise(
            pa.scalar(f"{self.file}#"), pc.cast(line_array, pa.string()), ""
        )
        if self.spec.id_column is not None:
            given = cells(self.spec.id_column)
            if faults:
                given = pc.if_else(_mask(n, faults), pa.scalar(None, pa.string()), given)
            ids = pc.coalesce(given, ids)
        fixed: dict[int, str] = {}
        if self.spec.id_column is not None:
            # a row of the wrong width still names its id when it has the id's cell
            for i in faults:
                rid = _id_of(batch, self, i, lines)
                if rid:
                    fixed[i] = rid
        if fixed:
            at = sorted(fixed)
            ids = pc.replace_with_mask(
                ids, _mask(n, at), pa.array([fixed[i] for i in at], pa.string())
            )

        def id_at(i: int) -> str:
            return fixed.get(i) or str(ids[i].as_py())

        problems: dict[int, list[dict[str, Any]]] = {
            i: [_problem(lines[i], id_at(i), reason, None, None)] for i, reason in faults.items()
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
                            _problem(lines[i], id_at(i), f"required {f.name} is blank", f.name, "")
                        ]
            values, errors = _convert(f.type, text, conv, self.arrow)
            if errors:
                texts = text.to_pylist()
                for i, message in errors.items():
                    if i in rejected:
                        continue
                    if f.required:
                        rejected.add(i)
                        problems[i] = [
                            _problem(
                                lines[i],
                                id_at(i),
                                f"required {f.name}: {message}",
                                f.name,
                                texts[i],
                            )
                        ]
                    else:
                        problems.setdefault(i, []).append(
                            _problem(
                                lines[i],
                                id_at(i),
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
                out[name],
                lambda v: " ".join(v.split()).upper(),
                pa.string(),
                typed.keys if self.arrow else None,
            )
        mask = _mask(n, rejected)
        columns: list[pa.Array] = []
        for fld in schema:
            if fld.name == LINE:
                columns.append(line_array)
            elif fld.name == ID:
                columns.append(ids)
            elif fld.name == REJECTED:
                columns.append(mask)
            elif fld.name == PROBLEMS:
                found: list[str | None] = [None] * n
                for i, items in problems.items():
                    found[i] = orjson.dumps(items).decode()
                columns.append(pa.array(found, pa.string()))
            else:
                column = out[fld.name]
                if rejected:
                    column = pc.if_else(mask, pa.scalar(None, fld.type), column)
                columns.append(column)
        return pa.RecordBatch.from_arrays(columns, schema=schema)


def _mask(n: int, rows: Iterable[int]) -> pa.Array:
    """True at the rows ``rows`` of ``n``."""
    flags = np.zeros(n, bool)
    flags[list(rows)] = True
    return pa.array(flags)


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


def _distinct(
    uniq: pa.Array,
    convert: Callable[[Any], Any],
    to: pa.DataType,
    fast: Callable[[pa.Array], typed.Read] | None,
) -> tuple[pa.Array, dict[str, str]]:
    """Each distinct value ``uniq`` converted: by ``fast`` (in Arrow) where it reads
    the value, by ``convert`` one by one otherwise; the values ``convert`` refused,
    with its message."""
    if fast is not None and len(uniq):
        mapped, done = fast(uniq)
        left = pc.and_(pc.invert(done), pc.is_valid(uniq))
    else:
        mapped = pa.nulls(len(uniq), to)
        left = pc.is_valid(uniq)
    values: list[Any] = []
    bad: dict[str, str] = {}
    for t in uniq.filter(left).to_pylist():
        try:
            values.append(convert(t))
        except ValueError as exc:
            values.append(None)
            bad[t] = str(exc)
    if values:
        mapped = pc.replace_with_mask(mapped, left, pa.array(values, to))
    return mapped, bad


def _encode(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Each value's place among the distinct values (null where null) and those
    values (no null among them), by one hash of each value."""
    encoded = pc.dictionary_encode(values)
    return encoded.indices, encoded.dictionary


def _by_value(
    values: pa.Array,
    convert: Callable[[Any], Any],
    to: pa.DataType,
    fast: Callable[[pa.Array], typed.Read] | None = None,
) -> pa.Array:
    """``convert`` over each distinct value once (nulls stay null); the values
    ``fast`` reads (in Arrow) are not converted one by one."""
    at, uniq = _encode(values)
    mapped, _ = _distinct(uniq, convert, to, fast)
    return mapped.take(at)


def _convert(
    ftype: str, text: pa.Array, conv: _Converter, arrow: bool = True
) -> tuple[pa.Array, dict[int, str]]:
    """The column's values (null where blank or unreadable) and the messages of the
    rows unreadable; each distinct value is read once (in Arrow where ``arrow`` and
    its shape is a common one: hermit.compliance.engine.typed)."""
    if ftype == "text":
        return text, {}
    read: Callable[[str], Any]
    to: pa.DataType
    fast: Callable[[pa.Array], typed.Read] | None = None
    if ftype == "date":
        read, to = conv.date, pa.date32()
        fast = partial(
            typed.dates,
            pivot=conv.dates.two_digit_year_pivot,
            iso=typed.iso_first(conv.dates.formats),
        )
    elif ftype == "datetime":

        def read(t: str) -> str:
            return conv.moment(t).isoformat(" ")

        to = pa.string()
        fast = partial(
            typed.moments, iso=typed.iso_first(conv.dates.datetime_formats, "%Y-%m-%d %H:%M")
        )
    elif ftype == "document":
        read, to, fast = read_document, pa.string(), typed.documents
    else:
        read, to = read_amount, pa.float64()
    at, uniq = _encode(text)
    mapped, bad = _distinct(uniq, read, to, fast if arrow else None)
    errors: dict[int, str] = {}
    if bad:
        texts = text.to_pylist()
        hit = pc.is_in(text, pa.array(list(bad), pa.string()))
        for i in pc.indices_nonzero(hit).to_pylist():
            errors[i] = bad[texts[i]]
    return mapped.take(at), errors


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
