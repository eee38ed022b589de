"""CPU time of query preparation and pair scoring, this checkout beside another revision.

One process per checkout screens the same queries (a bulk CSV, as ``hermit screen
--file`` reads it) against the same store. Per query it times, with
``time.process_time`` (CPU, so other jobs on a shared machine count little):

- preparation: ``PreparedQuery.of`` (every Latin reading, organization words,
  skeletons, Korean readings, variants), as a bulk run does it, first thing per query;
- pair scoring: ``scorer.screen_pair`` on each of the query's candidates (the candidate
  index is asked in between, untimed: candidate retrieval is measured by bench/bulk).

It also digests every pair's result (None or the whole Match: score, every
contribution and its reason), so the two checkouts are shown to give the same output
pair by pair, not only in the top ten a bulk run writes.

The anchor (``--anchor``, default the revision ``main``) is exported with ``git
archive`` into the work folder and run on this interpreter with PYTHONPATH, so only
hermit's code differs. Each checkout needs its own copy of the store, since each keeps
its own persisted index beside it (``--store`` is copied for the anchor).

    .venv/bin/python bench/pair_speed.py --store STORE --file QUERIES.csv [--rows 5000]
        [--anchor main] [--repeat 3] [--workdir /tmp/hermit-pair-speed]

Each checkout runs ``--repeat`` times, the two interleaved; the figures are medians.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _measure(store: Path, file: Path, rows: int) -> dict[str, object]:
    """Run in the checkout under test (hermit from PYTHONPATH or the environment)."""
    import duckdb

    import hermit
    from hermit.screening import scorer
    from hermit.screening.bulk.csv_io import CsvReader
    from hermit.screening.bulk.runner import warm_up
    from hermit.screening.engine import Screener
    from hermit.screening.query import QueryError, make_query

    con = duckdb.connect(str(store), read_only=True)
    start = time.perf_counter()
    screener = Screener.from_persisted(con, store)
    load_s = time.perf_counter() - start
    warm_up(screener)
    queries = []
    for raw in CsvReader(file).rows():
        if raw.problem is not None:
            continue
        try:
            queries.append(make_query(raw.values, raw.warnings).query)
        except QueryError:
            continue
        if len(queries) >= rows:
            break
    weights = screener.index.word_weights.get
    digest = hashlib.sha256()
    prep_s = pair_s = 0.0
    pairs = reported = 0
    clock = time.process_time
    for query in queries:
        t0 = clock()
        prepared = scorer.PreparedQuery.of(query, weights)
        t1 = clock()
        ids = screener._candidates(prepared)
        t2 = clock()
        found = [scorer.screen_pair(prepared, screener.entities[eid]) for eid in ids]
        t3 = clock()
        prep_s += t1 - t0
        pair_s += t3 - t2
        pairs += len(ids)
        reported += sum(m is not None for m in found)
        digest.update(repr(found).encode())
    return {
        "hermit": str(Path(hermit.__file__).parent.parent),
        "queries": len(queries),
        "pairs": pairs,
        "reported": reported,
        "load_s": round(load_s, 2),
        "prep_us_per_query": round(prep_s / len(queries) * 1e6, 1),
        "pair_us_per_pair": round(pair_s / pairs * 1e6, 1),
        "pair_us_per_query": round(pair_s / len(queries) * 1e6, 1),
        "both_us_per_query": round((prep_s + pair_s) / len(queries) * 1e6, 1),
        "digest": digest.hexdigest(),
    }


def _child(checkout: Path, store: Path, args: argparse.Namespace) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--store", str(store)]
    cmd += ["--file", str(args.file), "--rows", str(args.rows)]
    out = subprocess.run(cmd, env=env, cwd=checkout, check=True, capture_output=True, text=True)
    found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def _anchor(rev: str, workdir: Path, store: Path) -> tuple[Path, Path]:
    sha = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", rev], check=True, capture_output=True, text=True
    ).stdout.strip()
    checkout = workdir / f"anchor-{sha[:12]}"
    if not checkout.exists():
        checkout.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", sha], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive, check=True)
    copy = workdir / f"anchor-{sha[:12]}-store.duckdb"
    if not copy.exists():
        shutil.copyfile(store, copy)
    return checkout, copy


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--file", type=Path, required=True)
    p.add_argument("--rows", type=int, default=5000)
    p.add_argument("--anchor", default="main")
    p.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-pair-speed"))
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(_measure(args.store, args.file, args.rows)))
        return
    sys.path.insert(0, str(REPO))
    from bench.machine import machine

    print(machine())
    checkout, anchor_store = _anchor(args.anchor, args.workdir, args.store)
    keys = ("prep_us_per_query", "pair_us_per_pair", "pair_us_per_query", "both_us_per_query")
    runs: dict[str, list[dict[str, object]]] = {args.anchor: [], "this checkout": []}
    for _ in range(args.repeat):  # interleaved, so a busy spell of the machine hits both
        runs[args.anchor].append(_child(checkout, anchor_store, args))
        runs["this checkout"].append(_child(REPO, args.store, args))
    medians: dict[str, dict[str, float]] = {}
    for label, found in runs.items():
        for one in found:
            print(f"{label}: " + json.dumps(one))
        medians[label] = {k: statistics.median(float(o[k]) for o in found) for k in keys}  # type: ignore[arg-type]
        print(f"{label}, median of {len(found)}: " + json.dumps(medians[label]))
    a, b = medians[args.anchor], medians["this checkout"]
    print("speed-up (anchor / this): " + ", ".join(f"{k} {a[k] / b[k]:.2f}x" for k in keys))
    digests = {(o["digest"], o["pairs"]) for found in runs.values() for o in found}
    print("every pair's result identical" if len(digests) == 1 else "RESULTS DIFFER")
    print("load average at end " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
