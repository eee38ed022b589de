"""The KIMS port report on the NW Pacific dev set: generation time (report data, HTML,
PDF) and its calls against the labelled KIMS-port calls of DPRK-linked ships.

    .venv/bin/python bench/kims_report.py STORE [--from 2018-01-01 --to 2018-01-31]

STORE is a list store (the real lists loaded) with the NW Pacific positions loaded in
its AIS store beside it (``hermit ais load .../positions_201801.parquet``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.maritime.labels import score_kims_calls  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path)
    parser.add_argument("--from", dest="start", default="2018-01-01")
    parser.add_argument("--to", dest="end", default="2018-01-31")
    args = parser.parse_args()
    from hermit.maritime.kims import kims_findings
    from hermit.maritime.listed import name_screening
    from hermit.maritime.store import AisStore, ais_store_path
    from hermit.report import kims, render
    from hermit.report.stamp import Stamp
    from hermit.store.store import Store

    period = (dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end))
    eez = DATA / "geo" / "gfw_nk_eez_prk.json"
    ais_path = ais_store_path(args.store)
    t0 = time.perf_counter()
    data = kims.make(ais_path, args.store, period, eez, Stamp(generated_at="2026-01-01T00:00:00Z"))
    t1 = time.perf_counter()
    page = render.render(data, ".html")
    t2 = time.perf_counter()
    pdf = render.render(data, ".pdf")
    t3 = time.perf_counter()
    problems = kims.verify_kims(data, ais_path, args.store)
    t4 = time.perf_counter()
    with AisStore(ais_path, read_only=True) as ais, Store(args.store, read_only=True) as lists:
        found = kims_findings(
            ais.con, ais.latest_load(), lists.con, name_screening(args.store), period, eez
        )
    calls = [
        {
            "mmsi": c["mmsi"],
            "locode": p["locode"],
            "start": found.events[c["event"]]["start"],
            "end": found.events[c["event"]]["end"],
        }
        for p in found.ports
        for c in p["calls"]
    ]
    score = score_kims_calls(DATA / "ais_nwpacific" / "labels", calls)
    out = {
        "load_average": os.getloadavg()[0],
        "data_s": round(t1 - t0, 2),
        "html_s": round(t2 - t1, 2),
        "pdf_s": round(t3 - t2, 2),
        "verify_s": round(t4 - t3, 2),
        "json_bytes": len(orjson.dumps(data)),
        "html_bytes": len(page),
        "pdf_bytes": len(pdf),
        "citations": len(data["citations"]),
        "figures": len(data["figures"]),
        "verify_problems": problems[:5],
        "kims_calls_vs_labels": score.to_dict(),
    }
    print(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
