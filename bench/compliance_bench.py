"""Speed of ``hermit compliance`` on a labour folder, beside a plain pandas
implementation of the same three main checks (bench/compliance/pandas_checks.py), in
the same run; with each side's agreement with the dev labels.

    .venv/bin/python bench/compliance_bench.py [--folder ../shared/data/labour] [--repeat 3]

pandas is not a dependency of hermit: ``pip install -e '.[bench]'`` first. Timings are
medians of ``--repeat`` runs in this process (reading included); the machine
is shared, so the times are CPU seconds of this process (``time.process_time``), and
the two sides run interleaved in one process.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAIN = ("UNSCR-2375-17", "UNSCR-2371-11", "UNSCR-2397-8")


def _labels(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / "labels" / name
    if not path.exists():
        return []
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _hermit(folder: Path) -> dict[str, Any]:
    from hermit.compliance.columns import load_columns
    from hermit.compliance.folder import read_folder
    from hermit.compliance.interpreter import run_checks
    from hermit.compliance.provisions import load_provisions

    t0 = time.process_time()
    data = read_folder(folder, load_columns())
    t1 = time.process_time()
    runs = run_checks(load_provisions(), data, set(MAIN))
    t2 = time.process_time()
    rows = sum(data.summary.rows.values())
    return {
        "read_s": t1 - t0,
        "check_s": t2 - t1,
        "rows": rows,
        "violations": [v for r in runs for v in r.violations],
    }


def _pandas(folder: Path) -> dict[str, Any]:
    from bench.compliance import pandas_checks

    t0 = time.process_time()
    d = pandas_checks.load(folder)
    t1 = time.process_time()
    late = pandas_checks.permits_after_ban(d)
    cap = pandas_checks.national_cap(d)
    present = pandas_checks.present_after_deadline(d)
    t2 = time.process_time()
    return {
        "read_s": t1 - t0,
        "check_s": t2 - t1,
        "permit_ids": set(late["id"]),
        "cap": cap,
        "present_docs": present,
    }


def _pr(truth: set[str], found: set[str]) -> str:
    hit = len(truth & found)
    if not truth:
        return f"{len(found)} found (no labels)"
    recall, precision = hit / len(truth), hit / max(len(found), 1)
    return f"{len(found)} found, recall {recall:.3f}, precision {precision:.3f}"


def _quality(folder: Path, h: dict[str, Any], p: dict[str, Any]) -> list[str]:
    viol = _labels(folder, "violations.csv.gz")
    records = _labels(folder, "records.csv.gz")
    person = {(r["file"].split(".")[0], r["record_id"]): r["person_id"] for r in records}
    permits = {
        v["subject_id"]
        for v in viol
        if v["rule_id"] == "UNSCR-2375-17" and v["subject_file"] == "work_permits"
    }
    people = {
        v["subject_id"]
        for v in viol
        if v["rule_id"] == "UNSCR-2397-8" and v["subject_file"] == "persons"
    }
    hv = h["violations"]
    h_permits = {
        v.subject_id
        for v in hv
        if v.rule_id == "UNSCR-2375-17" and v.subject_file == "work_permits"
    }
    h_people = {
        Counter(person.get((r.kind, r.record_id)) for r in v.refs).most_common(1)[0][0]
        for v in hv
        if v.rule_id == "UNSCR-2397-8" and v.subject_file == "persons"
    }
    national = next((v for v in hv if v.pattern == "national_cap_exceeded"), None)
    # pandas' people are passports: the labelled person of a permit or notice with it
    by_doc: dict[str, str] = {}
    from bench.compliance import pandas_checks

    d = pandas_checks.load(folder)
    for frame, kind in ((d["p"], "work_permits"), (d["n"], "employment_notifications")):
        for rid, doc in zip(frame["id"], frame["doc"], strict=True):
            by_doc.setdefault(doc, person.get((kind, rid), ""))
    p_people = {by_doc.get(doc, doc) for doc in p["present_docs"]}
    return [
        f"| UNSCR-2375-17 permits | {_pr(permits, h_permits)} | {_pr(permits, p['permit_ids'])} |",
        f"| UNSCR-2371-11 national | {national.reason if national else 'none'} | "
        f"baseline {p['cap']['baseline']}, peak {p['cap']['peak']}, "
        f"{p['cap']['days_above']} days above |",
        f"| UNSCR-2397-8 persons | {_pr(people, h_people)} | {_pr(people, p_people)} |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", type=Path, default=REPO.parent / "shared/data/labour")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    hs, ps = [], []
    for _ in range(args.repeat):  # interleaved, so machine noise falls on both
        hs.append(_hermit(args.folder))
        ps.append(_pandas(args.folder))

    def med(runs: list[dict[str, Any]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    import pandas

    print(
        f"machine: {platform.platform()}, {platform.python_version()}, "
        f"pandas {pandas.__version__}; {hs[0]['rows']:,} rows in {args.folder}"
    )
    print("| side | read s | check s | total s |")
    print("|---|---|---|---|")
    for name, runs in (("hermit", hs), ("pandas", ps)):
        r, c = med(runs, "read_s"), med(runs, "check_s")
        print(f"| {name} | {r:.2f} | {c:.2f} | {r + c:.2f} |")
    print()
    print("| check | hermit | pandas |")
    print("|---|---|---|")
    for line in _quality(args.folder, hs[-1], ps[-1]):
        print(line)


if __name__ == "__main__":
    main()
