"""A small real query file for the engine tests: DPRK-program names from the real OFAC
SDN list (../shared/data, never copied here), most of them damaged as a clerk would
type them, names on no list, and rows that are bad in each way a reader or a query
can be (no name, a date that is none, extra and missing cells, bytes that are not
UTF-8, a broken quote, blank lines; in Parquet cells that are not one value)."""

from __future__ import annotations

import csv
import random
import struct
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HEADER = ["id", "name", "dob", "country", "note"]


def _damaged(name: str, rng: random.Random) -> str:
    words = name.replace(",", " ").split()
    how = rng.randrange(5)
    if how == 0 and len(words) > 1:
        words.reverse()  # SURNAME Given -> Given SURNAME
    elif how == 1:
        word = rng.randrange(len(words))
        w = words[word]
        if len(w) > 3:
            cut = rng.randrange(1, len(w) - 1)
            words[word] = w[:cut] + w[cut + 1 :]  # a letter dropped
    elif how == 2:
        word = rng.randrange(len(words))
        w = words[word]
        if len(w) > 3:
            i = rng.randrange(len(w) - 1)
            words[word] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]  # two letters swapped
    elif how == 3:
        return " ".join(words).lower()
    return " ".join(words).title()


def listed_names(shared: Path, count: int) -> list[str]:
    """``count`` names of the DPRK programs in the real SDN file, in file order."""
    names: list[str] = []
    with (shared / "ofac_sdn.csv").open(encoding="latin-1", newline="") as fh:
        for record in csv.reader(fh):
            if len(record) > 3 and "DPRK" in record[3] and record[1].strip():
                names.append(record[1].strip())
                if len(names) == count:
                    break
    return names


def rows(shared: Path, listed: int = 160, plain: int = 100) -> list[list[str]]:
    """The query rows (cells as text), good ones first drawn at random, the bad ones
    spread among them."""
    rng = random.Random(17)
    out: list[list[str]] = []
    for i, name in enumerate(listed_names(shared, listed)):
        shown = name if i % 4 == 0 else _damaged(name, rng)
        out.append([f"l{i}", shown, "", "kp" if i % 3 == 0 else "", ""])
    given = ["Anna", "Jonas", "Maria", "Pierre", "Yuki", "Olga", "Tomás", "Li", "Sven", "Aisha"]
    family = ["Berger", "Kowalski", "Santos", "Nakamura", "Ivanova", "Dupont", "Okafor", "Lind"]
    for i in range(plain):
        name = f"{rng.choice(given)} {rng.choice(family)}"
        dob = f"19{rng.randrange(40, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}"
        out.append([f"p{i}", name, dob, "", ""])
    rng.shuffle(out)
    return out


#: Bad CSV records (raw lines) put among the good ones: a reader warning or a reject each.
BAD_LINES = [
    b"b1,,1970,,\n",  # no name: rejected
    b"b2,Ri Eun Song,1962-13-40,,\n",  # no month 13: the date set aside
    b"b3,Kim Yong Chol,1962-02-18,kp,,extra,cells\n",  # extra cells set aside
    b"b4,Choe Ryong Hae\n",  # missing cells
    b"b5,Kang P\xf6k Il,,,\n",  # not UTF-8: read as Windows-1252
    b'b6,"broken"quote,,,\n',  # not readable as CSV
    b"\n",  # a blank line: not a row
    b"b7,Korea Ryonbong General Corporation,circa 1990,,\n",
    b"b8," + b"Kim " * 200 + b",,,\n",  # a name too long: cut, with a warning
    b"b9,Pak Chol Su,,Atlantis,\n",  # a country that is none
]


def write_csv(path: Path, shared: Path) -> Path:
    good = rows(shared)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(good)
    lines = path.read_bytes().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    step = max(len(body) // len(BAD_LINES), 1)
    for n, bad in enumerate(BAD_LINES):
        body.insert(n * (step + 1) + 3, bad)
    path.write_bytes(header + b"".join(body))
    return path


def _text_column(values: list[bytes | None]) -> pa.Array:
    """A Parquet text column holding these bytes as they are (pyarrow checks UTF-8 when
    it builds one from Python; another writer need not)."""
    offsets = [0]
    for value in values:
        offsets.append(offsets[-1] + len(value or b""))
    valid = [v is not None for v in values]
    mask = pa.array(valid, pa.bool_()).buffers()[1]
    packed = struct.pack(f"<{len(offsets)}i", *offsets)
    data = b"".join(v or b"" for v in values)
    return pa.Array.from_buffers(
        pa.string(), len(values), [mask, pa.py_buffer(packed), pa.py_buffer(data)]
    )


def write_parquet(path: Path, shared: Path, row_group: int = 64) -> Path:
    """The same good rows as Parquet, with bad cells: no name, a name that is not UTF-8,
    lists and booleans where one text is wanted (set aside, or the row rejected in the
    name column), an integer column that is no query field; row groups of ``row_group``
    rows (an engine may split the file there)."""
    good = rows(shared)
    n = len(good)
    names: list[bytes | None] = [r[1].encode() for r in good]
    names[5] = None
    names[40] = b"Kang P\xf6k Il"
    nationality: list[list[str] | None] = [None] * n
    nationality[7] = ["kp", "cn"]
    nationality[90] = []
    gender: list[bool | None] = [None] * n
    gender[11] = True
    table = pa.table(
        {
            "id": pa.array([r[0] for r in good], pa.string()),
            "name": _text_column(names),
            "dob": pa.array([r[2] or None for r in good], pa.string()),
            "country": pa.array([r[3] or None for r in good], pa.string()),
            "nationality": pa.array(nationality, pa.list_(pa.string())),
            "gender": pa.array(gender, pa.bool_()),
            "extra": pa.array(range(n), pa.int64()),
        }
    )
    pq.write_table(table, path, row_group_size=row_group)
    return path
