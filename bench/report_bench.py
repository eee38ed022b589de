"""Generation time of the labour compliance report (hermit report compliance) on the
dev labour set: reading and checking the records and building the report data, then
each rendering on its own (JSON, HTML, PDF), with the load average beside.

    .venv/bin/python bench/report_bench.py [../shared/data/labour]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from hermit.compliance.columns import load_columns
from hermit.compliance.folder import read_folder
from hermit.compliance.interpreter import run_checks, validate
from hermit.compliance.provisions import load_provisions
from hermit.report import compliance
from hermit.report.render import render
from hermit.report.stamp import Stamp


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/labour")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    t0 = time.perf_counter()
    prov = load_provisions()
    validate(prov)
    data = read_folder(folder, load_columns())
    runs = run_checks(prov, data)
    t1 = time.perf_counter()
    body = compliance.build(
        folder, data, runs, prov, Stamp(generated_at="2026-01-01T00:00:00Z"), False
    )
    t2 = time.perf_counter()
    print(f"read and check the records: {t1 - t0:.1f} s; build the report data: {t2 - t1:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in (".json", ".html", ".pdf"):
            start = time.perf_counter()
            out = render(body, suffix)
            (Path(tmp) / f"r{suffix}").write_bytes(out)
            took = time.perf_counter() - start
            print(f"render {suffix}: {took:.1f} s, {len(out):,} bytes")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
