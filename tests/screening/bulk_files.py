"""Small query files in each input format, and result files read back with the
format's own library (csv, orjson, pyarrow), not with hermit's readers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

#: Realistic queries: listed people, companies and a vessel (damaged spellings, other
#: scripts), and names that are on no list.
QUERIES: list[dict[str, str]] = [
    {"id": "c1", "name": "Kim Yong Chol", "birth_date": "1962-02-18", "schema": "Person"},
    {"id": "c2", "name": "Korea Rungrado General Trading Corp"},
    {"id": "c3", "name": "EVER BRIGT 88", "schema": "Vessel"},
    {"id": "c4", "name": "Margarethe Vandersloot", "birth_date": "1980-03-04"},
    {"id": "c5", "name": "김영철"},
    {"id": "c6", "name": "HAVIN BANK LTD", "country": "gb"},
    {"id": "c7", "name": "Ri Eun Song"},
    {"id": "c8", "name": "Choe Ryong Hae", "nationality": "kp"},
]


def write_queries(path: Path, rows: Sequence[dict[str, str]], fmt: str) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, columns)
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "jsonl":
        path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    else:
        table = pa.table({c: pa.array([row.get(c) for row in rows], pa.string()) for c in columns})
        pq.write_table(table, path)
    return path


def read_results(path: Path, fmt: str) -> list[dict[str, object]]:
    """Result rows with the same Python types whatever the format."""
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            rows: list[dict[str, object]] = []
            for r in csv.DictReader(fh):
                rows.append(
                    {
                        **r,
                        "rank": int(r["rank"]) if r["rank"] else None,
                        "entity_id": r["entity_id"] or None,
                        "caption": r["caption"] or None,
                        "schema": r["schema"] or None,
                        "score": float(r["score"]) if r["score"] else None,
                        "is_match": {"true": True, "false": False}[r["is_match"]],
                        "suppressed": r["suppressed"] or None,
                        "lapsed": r["lapsed"] or None,
                        "datasets": r["datasets"].split(";") if r["datasets"] else [],
                        "warnings": r["warnings"].split(" | ") if r["warnings"] else [],
                    }
                )
            return rows
    if fmt == "jsonl":
        return [orjson.loads(line) for line in path.read_bytes().splitlines()]
    return pq.read_table(path).to_pylist()


def read_rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
