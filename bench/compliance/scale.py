"""A larger labour folder made from the dev set (../shared/data/labour) by copying it
``copies`` times: in copy c every record id, document number, permit number, contract
number and name gets the mark ``c`` (so no record of one copy links to a record of
another), the employers, Committee approvals, status decisions and diplomatic staff
are shared. 51 copies hold about 1,000,000 permits.

    .venv/bin/python -m bench.compliance.scale --copies 51 --out /tmp/labour-1m
"""

from __future__ import annotations

import argparse
import csv
import gzip
from pathlib import Path

#: Per file: the columns marked in each copy.
MARKED = {
    "work_permits": ("id", "number", "id_doc_number", "contract_no", "fio", "fio_lat"),
    "permit_extensions": ("id", "permit_number", "id_doc_number", "contract_no", "fio"),
    "employment_notifications": ("id", "id_doc_number", "contract_no", "fio", "work_permit_ref"),
    "visas": ("id", "visa_number", "passport_number", "fio", "name_lat"),
    "border_crossings": ("id", "doc_number", "visa_number", "name_lat"),
}
SHARED = (
    "employers",
    "committee_exemptions",
    "status_decisions",
    "diplomatic_staff",
    "employer_founders",
)


def _open(folder: Path, name: str) -> Path:
    for suffix in (".csv.gz", ".csv"):
        if (folder / f"{name}{suffix}").exists():
            return folder / f"{name}{suffix}"
    raise FileNotFoundError(folder / name)


def scale(source: Path, out: Path, copies: int) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    for name, columns in MARKED.items():
        path = _open(source, name)
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
        header = next(csv.reader([lines[0]]))
        marked = [header.index(c) for c in columns if c in header]
        parsed = [next(csv.reader([line])) if line.strip() else [] for line in lines[1:]]
        with gzip.open(out / f"{name}.csv.gz", "wt", encoding="utf-8", compresslevel=1) as fh:
            writer = csv.writer(fh, lineterminator="\n")
            fh.write(lines[0] + "\n")
            n = 0
            for c in range(copies):
                mark = "" if c == 0 else f"{c:02d}"
                for line, cells in zip(lines[1:], parsed, strict=True):
                    if c == 0 or not cells:
                        fh.write(line + "\n")  # copy 0 as it is, malformed rows too
                    elif len(cells) != len(header):
                        fh.write(line + "\n")
                    else:
                        row = list(cells)
                        for at in marked:
                            if row[at].strip():
                                row[at] += mark
                        writer.writerow(row)
                    n += 1
        rows[name] = n
    for name in SHARED:
        path = _open(source, name)
        (out / path.name).write_bytes(path.read_bytes())
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", type=Path, default=Path("../shared/data/labour"))
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--copies", type=int, default=51)
    args = ap.parse_args()
    print(scale(args.source, args.out, args.copies))


if __name__ == "__main__":
    main()
