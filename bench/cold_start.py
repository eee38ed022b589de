"""Cold start: time and peak memory to load the real lists into a fresh store: UN and
OFAC (the earlier figure), and all lists (UN, OFAC, UK OFSI 2025 xlsx, EU FSF, EU
annexes) in the same run.

Each run is a fresh process (``hermit lists load`` into a new store file), measured
from outside: wall time, and peak resident memory from the kernel's rusage of the
child. The anchor, measured in the same run, is the floor: a fresh process that only
reads the same files with lxml and the csv module, building nothing.

    .venv/bin/python bench/cold_start.py [--runs 5] [--lists ../shared/data/lists]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = """
import csv, sys
from lxml import etree
lists = sys.argv[1]
etree.parse(lists + "/un_consolidated.xml")
for name in ("sdn", "alt", "add", "sdn_comments"):
    with open(f"{lists}/ofac_{name}.csv", encoding="ascii") as fh:
        sum(1 for _ in csv.reader(fh))
"""


def _measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    pid = subprocess.Popen(cmd, stdout=subprocess.DEVNULL).pid
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    args = parser.parse_args()
    hermit = str(Path(sys.executable).with_name("hermit"))
    files = [str(args.lists / "un_consolidated.xml"), str(args.lists / "ofac_sdn.csv")]
    every = [
        *files,
        str(args.lists / "uk_ofsi_conlist_2025-04-14.xlsx"),
        str(args.lists / "eu_fsf_sample_2020-04-15.xml"),
        str(args.lists / "eu_dprk_annexes_2017-1509_opensanctions.csv"),
    ]
    rows: dict[str, list[tuple[float, float]]] = {
        "hermit load (UN + OFAC)": [],
        "hermit load (UN + OFAC + UK + EU)": [],
        "floor (read only)": [],
    }
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = str(Path(tmp) / "store.duckdb")
            rows["hermit load (UN + OFAC)"].append(
                _measure([hermit, "--store", store, "lists", "load", *files])
            )
        with tempfile.TemporaryDirectory() as tmp:
            store = str(Path(tmp) / "store.duckdb")
            rows["hermit load (UN + OFAC + UK + EU)"].append(
                _measure([hermit, "--store", store, "lists", "load", *every])
            )
        rows["floor (read only)"].append(_measure([sys.executable, "-c", FLOOR, str(args.lists)]))
    cores = os.cpu_count()
    print(f"machine: {platform.platform()}, {cores} cores, Python {platform.python_version()}")
    print(f"runs: {args.runs}")
    print("| what | median s | min s | max s | peak RSS MB (max) |")
    print("|---|---|---|---|---|")
    for name, got in rows.items():
        secs = [s for s, _ in got]
        print(
            f"| {name} | {statistics.median(secs):.2f} | {min(secs):.2f} | {max(secs):.2f} "
            f"| {max(m for _, m in got):.0f} |"
        )


if __name__ == "__main__":
    main()
