"""hermit-nmea@2: raw NMEA 0183 AIS (``!AIVDM`` / ``!AIVDO``) into the staging table,
decoded by hermit itself, a whole file at once.

A line may carry an NMEA 4.10 tag block (``\\s:STATION,c:UNIXTIME*hh\\``) or a receiver's
``[YYYY-MM-DD hh:mm:ss]`` prefix: either gives the time of the message (AIS position
messages carry only the second of the minute). Multi-part messages are put together by
channel and sequence id. Nothing is dropped silently: every line that is not a decoded
message is counted by reason (other NMEA sentences such as ``$GPGGA``, bad checksum,
malformed sentence, empty payload, a fragment whose other parts never came, a message
type that carries no position or identity) and every bad sentence is kept, with its line,
for the store's problem table. Identity fields (name, IMO, call sign, ship type) come from
message types 5, 19 and 24 and are joined to the positions of the same MMSI: the last
identity heard before the position, else the first heard after it.

The lines are split and the regular ones taken apart by hermit/maritime/nmea_sentences.py
(all at once), irregular lines read by nmea_irregular.py (one by one), whole messages made
by nmea_messages.py, payloads decoded by nmea_payload.py and nmea_fields.py (NumPy over all
payloads), counts and problems kept by nmea_tally.py. The output, counts and problems
are those of hermit-nmea@1 (hermit/maritime/nmea_pyais.py, through pyais), which
tests/maritime/test_nmea_decoder.py checks on the real samples and generated ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hermit.errors import SourceError
from hermit.maritime.nmea_fields import POSITION_TYPES, positions_table
from hermit.maritime.nmea_messages import whole_messages
from hermit.maritime.nmea_sentences import read_lines
from hermit.maritime.nmea_tally import LAST, Tally, line_text
from hermit.maritime.read import CANONICAL, FileRead

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

READER = "hermit-nmea@2"
DECODERS = ("hermit", "pyais")
__all__ = [
    "DECODERS", "POSITION_TYPES", "READER", "Decoded", "decode_bytes", "decode_lines",
    "stage_nmea_file",
]  # fmt: skip


@dataclass(slots=True)
class Decoded:
    """Positions (a table: row, then the canonical columns), counts and bad lines."""

    positions: pa.Table
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, kind, text, why


def decode_lines(text: list[bytes]) -> Decoded:
    """Decode the lines of an NMEA file (lines as ``bytes.splitlines`` gives them)."""
    return decode_bytes(b"\n".join(text) + b"\n" if text else b"")


def decode_bytes(data: bytes) -> Decoded:
    """Decode an NMEA file's bytes (see the module docstring)."""
    tally = Tally()
    lines = read_lines(data)
    msgs = whole_messages(lines, tally)
    empty = msgs.length == 0
    for i in msgs.line[empty].tolist():
        tally.add("empty_payload", 8 * i + 3)
        tally.problem(8 * i + 3, i + 1, "empty_payload", line_text(lines, i), "no payload")
    table = positions_table(lines, msgs.take(~empty), tally)
    tally.add("positions", LAST + 1, 0)
    tally.counts["positions"][0] = table.num_rows
    problems = [p[1:] for p in sorted(tally.problems, key=lambda p: p[0])]
    return Decoded(table, tally.ordered(), problems)


def _pyais_table(lines: list[bytes]) -> Decoded:
    import pyarrow as pa

    from hermit.maritime import nmea_pyais

    found = nmea_pyais.decode_lines(lines)
    types = {
        "BIGINT": pa.int64(),
        "TIMESTAMP": pa.timestamp("us"),
        "DOUBLE": pa.float64(),
        "VARCHAR": pa.string(),
        "SMALLINT": pa.int16(),
    }
    table = pa.table(
        {
            "row": pa.array([p["row"] for p in found.positions], pa.int64()),
            **{
                c: pa.array([p.get(c) for p in found.positions], types[t])
                for c, t in CANONICAL.items()
            },
        }
    )
    return Decoded(table, dict(found.counts), found.problems)


def stage_nmea_file(
    con: duckdb.DuckDBPyConnection, path: Path, file_id: int, decoder: str = "hermit"
) -> FileRead:
    """Decode an NMEA file and append its positions to ``_stage``; its bad lines go to
    ``_stage_problems``. ``decoder``: ``hermit`` (hermit-nmea@2) or ``pyais``
    (hermit-nmea@1, the reference)."""
    if decoder not in DECODERS:
        raise ValueError(f"unknown NMEA decoder {decoder!r} (known: {', '.join(DECODERS)})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc}") from None
    try:
        found = decode_bytes(data) if decoder == "hermit" else _pyais_table(data.splitlines())
    except ValueError as exc:
        raise SourceError(path, str(exc)) from None
    if found.counts.get("ais_sentences", 0) == 0:
        raise SourceError(
            path, "not a position file hermit knows (no Parquet or CSV name, no !AIVDM lines)"
        )
    con.register("_nmea", found.positions)
    cols = ", ".join(CANONICAL)
    raws = ", ".join("CAST(NULL AS VARCHAR)" for _ in range(8))
    con.execute(f"INSERT INTO _stage SELECT {file_id}, row, {cols}, {raws} FROM _nmea")
    con.unregister("_nmea")
    con.execute(
        "CREATE TEMP TABLE IF NOT EXISTS _stage_problems "
        "(file_id INTEGER, row BIGINT, kind VARCHAR, value VARCHAR, reason VARCHAR)"
    )
    if found.problems:
        con.executemany(
            "INSERT INTO _stage_problems VALUES (?, ?, ?, ?, ?)",
            [(file_id, n, kind, text, why) for n, kind, text, why in found.problems],
        )
    reader = READER if decoder == "hermit" else "hermit-nmea@1"
    return FileRead(str(path), "nmea", found.positions.num_rows, found.counts, reader)
