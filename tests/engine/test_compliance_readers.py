"""The engine path's reader in Arrow (lines split by hermit.compliance.engine.split,
common values read by hermit.compliance.engine.typed) gives what its line-by-line,
value-by-value Python reader gives (``ParseLines(arrow=False)``): the same frame,
row for row (every rejected row and set-aside value named the same), on every file of
the dev labour set and on malformed files of our own; and DuckDB's line reader splits
lines as Python's universal newlines do."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pytest

import hermit.engine.duckdb_engine as duck
from hermit.compliance.columns import load_columns
from hermit.compliance.engine import typed
from hermit.compliance.engine.read import POS, ParseLines, header_of, kind_schema
from hermit.compliance.engine.run import DERIVED
from hermit.compliance.folder import find_file
from hermit.compliance.read import _Converter, header_index, read_kind
from hermit.compliance.records import LabourRecord, Problem
from hermit.compliance.values import read_document
from hermit.engine import open_engine
from tests.conftest import shared_data_dir


def _both(path: Path, kind: str) -> tuple[pa.Table, pa.Table]:
    mapping = load_columns()
    spec = mapping.kinds[kind]
    header = header_of(path, spec.delimiter)
    index = header_index(path, spec, header, 1)
    parse = ParseLines(path.name, spec, mapping.dates, index, len(header), DERIVED.present(spec))
    schema = kind_schema(spec, parse.derived)
    engine = open_engine("duckdb")
    try:
        lines = engine.collect(engine.numbered(engine.read_lines(path), POS))
    finally:
        engine.close()
    out = []
    for arrow in (True, False):
        batches = list(replace(parse, arrow=arrow)(iter(lines.to_batches(4096))))
        out.append(pa.Table.from_batches(batches, schema))
    return out[0], out[1]


@pytest.mark.parametrize("kind", sorted(load_columns().kinds))
def test_dev_files_read_alike(kind: str) -> None:
    spec = load_columns().kinds[kind]
    path = find_file(shared_data_dir() / "labour", spec.files)
    if path is None or path.suffix == ".xlsx":
        pytest.skip(f"no CSV file of {kind} in the dev set")
    fast, slow = _both(path, kind)
    assert fast.num_rows == slow.num_rows > 0
    assert fast.equals(slow)


HEADER = (
    "id,series,number,issued_by,issue_date,valid_from,valid_to,region,fio,fio_lat,sex,"
    "birth_date,citizenship,id_doc_type,id_doc_number,employer_inn,employer_name,occupation,"
    "contract_no,contract_date,committee_ref,status,annul_date,annul_reason"
)


def _row(**given: str) -> str:
    cells = dict.fromkeys(HEADER.split(","), "")
    cells.update(
        id="WP-1", series="25", number="1700059639", issue_date="27.11.2017",
        valid_to="26.11.2018", region="Приморский край", fio="КИМ  ЧОЛ", fio_lat="kim chol ",
        birth_date="12.08.1974", id_doc_number="836 425-177", employer_inn="2500048156",
        contract_no="15-0015", contract_date="31.05.2015",
    )  # fmt: skip
    cells.update(given)
    return ",".join(cells.values())


MALFORMED = [
    _row(),
    _row(id="WP-2", employer_name='"ООО ""Ромашка"", филиал"'),  # quoted, doubled quotes
    _row(id="WP-3") + ",extra",  # one field too many
    "WP-4,25,truncated",  # too few
    "",
    "  ,  , ",  # blank cells only
    '"",""',  # quotes only
    _row(id="WP-5", issue_date=""),  # a required date blank
    _row(id="WP-6", issue_date="31.02.2018"),  # not a calendar date
    _row(id="WP-7", contract_date="2018-02-30"),  # ISO, not a calendar date: set aside
    _row(id="WP-8", contract_date="05.06.29", annul_date="05.06.30"),  # two-digit years
    _row(id="WP-9", contract_date="2015-05-31", valid_to="1.12.2018"),  # ISO, one digit
    _row(id="WP-10", id_doc_number="№ 12-34 n", fio_lat="SStraße"),  # not ASCII
    _row(id="WP-11", id_doc_number=" - "),  # no document number in it
    _row(id="WP-12", employer_name='"unterminated'),  # a quote open at the line's end
    _row(id="WP-13", employer_name='a"b'),  # a quote inside a plain cell
    _row(id="WP-14", employer_name="nul\x00here"),
    _row(id="WP-15", fio="ПАК\u3000ЧОЛ", fio_lat="PAK\tCHOL"),  # other white space
    _row(id="WP-16", birth_date="01.01.0000", contract_date="0000-01-01"),
    "\u3000",
]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_malformed_rows_read_alike(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "work_permits.csv"
    path.write_bytes((ending.join([HEADER, *MALFORMED]) + ending).encode())
    fast, slow = _both(path, "work_permits")
    assert fast.equals(slow)
    rejected = [
        i for i, r in zip(fast["_id"].to_pylist(), fast["_rejected"].to_pylist(), strict=True) if r
    ]
    assert rejected == ["WP-3", "WP-4", "WP-5", "WP-6", "WP-12"]
    assert len([p for p in fast.column("_problems").to_pylist() if p]) == 8


def test_problems_are_the_in_process_readers(tmp_path: Path) -> None:
    """Row for row, the problems hermit's in-process reader names (a quote left open at
    a line's end aside: that reader reads on into the next line)."""
    path = tmp_path / "work_permits.csv"
    rows = [r for r in MALFORMED if "WP-12," not in r]
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode())
    fast, _ = _both(path, "work_permits")
    found = [
        (p["line"], p["id"], p["reason"], p["field"], p["value"])
        for text in fast.column("_problems").to_pylist()
        if text
        for p in json.loads(text)
    ]
    mapping = load_columns()
    items = list(read_kind(path, mapping.kinds["work_permits"], mapping.dates))
    want = [
        (p.line, p.record_id, p.reason, p.field, p.value) for p in items if isinstance(p, Problem)
    ]
    assert found == want
    kept = [
        i
        for i, r in zip(fast["_id"].to_pylist(), fast["_rejected"].to_pylist(), strict=True)
        if not r
    ]
    assert kept == [r.record_id for r in items if isinstance(r, LabourRecord)]


def test_a_batch_not_utf8_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "work_permits.csv.gz"
    body = (
        "\n".join([HEADER, _row(), _row(id="WP-2")]).encode()
        + b"\n"
        + _row(id="WP-3", fio="\udcff").encode("utf-8", "surrogateescape")
    )
    path.write_bytes(gzip.compress(body))
    fast, slow = _both(path, "work_permits")
    assert fast.equals(slow)
    assert fast.column("_rejected").to_pylist() == [False, False, True]


def test_values_read_alike() -> None:
    dates = load_columns().dates
    conv = _Converter(dates)
    texts = [
        "28.02.2017", "30.02.2017", "29.02.2016", "01.13.2017", "1.1.2017", "01.01.0001",
        "01.01.0000", "05.06.29", "05.06.30", "29.02.01", "2017-02-28", "2017-02-29",
        "0000-01-01", "17.01.99", "2017/01/02", "",
    ]  # fmt: skip
    values, done = typed.dates(pa.array(texts), dates.two_digit_year_pivot, True)
    for text, value, ok in zip(texts, values.to_pylist(), done.to_pylist(), strict=True):
        if ok:
            assert value == conv.date(text), text
    assert done.to_pylist().count(True) == 7
    moments = [
        "28.02.2017 23:59", "28.02.2017 24:00", "28.02.2017 12:60", "30.02.2017 10:00",
        "2017-02-28 23:59", "2017-02-28 24:00", "2017-02-29 10:00", "0000-01-01 10:00",
        "2017-2-28 10:00", "2017-02-28T10:00", "2017-02-28 10:00:05",
    ]  # fmt: skip
    iso = typed.iso_first(dates.datetime_formats, "%Y-%m-%d %H:%M")
    values, done = typed.moments(pa.array(moments), iso)
    assert iso and done.to_pylist() == [True, False, False, False, True] + [False] * 6
    for text, value, ok in zip(moments, values.to_pylist(), done.to_pylist(), strict=True):
        if ok:
            assert value == conv.moment(text).isoformat(" "), text
    assert not typed.iso_first(("%Y-%d-%m %H:%M", "%Y-%m-%d %H:%M"), "%Y-%m-%d %H:%M")
    assert not typed.moments(pa.array(moments[4:5]), False)[1][0].as_py()
    docs = ["836 425-177", "ab#12N3", "n12", " - ", "№ 12"]
    values, done = typed.documents(pa.array(docs))
    for text, value, ok in zip(docs, values.to_pylist(), done.to_pylist(), strict=True):
        if ok:
            assert value == read_document(text), text
    assert done.to_pylist() == [True, True, True, False, False]
    names = ["kim  chol ", "Ким\tЧол", "ǆemal", "SStraße", "ёжик"]
    values, done = typed.keys(pa.array(names))
    for text, value, ok in zip(names, values.to_pylist(), done.to_pylist(), strict=True):
        if ok:
            assert value == " ".join(text.split()).upper(), text
    assert done.to_pylist() == [True, True, False, False, True]


def _python_lines(path: Path) -> list[bytes]:
    with path.open("rb") as raw:
        gz = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gz else open
    with opener(path, "rt", encoding="utf-8", errors="surrogateescape", newline=None) as fh:
        return [line.rstrip("\n").encode("utf-8", "surrogateescape") for line in fh]


def test_duckdb_lines_split_as_python_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duck, "LINE_CHUNK", 3)  # line ends cut between chunks
    rng = random.Random(7)
    cases = [b"", b"a", b"a\n", b"a\r\nb\r\n", b"a\rb\r", b"\n\n", b"a\r", b"a\r\r\nb\n\r"]
    cases += [
        bytes(rng.choice(b'ab,"\r\n\xff') for _ in range(rng.randint(0, 40))) for _ in range(200)
    ]
    for i, body in enumerate(cases):
        path = tmp_path / f"c{i}.csv"
        path.write_bytes(body)
        got = [v for batch in duck._lines(path) for v in batch.column(0).to_pylist()]
        assert got == _python_lines(path), body
