"""Candidate retrieval alone, and the whole screen, in CPU microseconds per query.

Reads the queries of a bulk file (bench/bulk/run.py generates them: names of listed
entities, most damaged, and plain names on no list), prepares each once
(``PreparedQuery.of``), then times in one process, after a warm-up:

- **retrieval**: ``Screener._candidates`` on every query (its keys, then the candidate
  index's lookup), at the default limit and at three times it (a screen narrowed to one
  list or schema asks that many);
- **screen**: ``Screener.screen`` on every query (preparing, retrieval, scoring).

CPU seconds (``time.process_time``), which other jobs on a shared machine inflate much
less than wall time; the best of ``--rounds``. Also the persisted index: its size on disk,
the seconds to load it whole (``Screener.from_persisted``), and the resident memory after.

    .venv/bin/python bench/candidates.py --store STORE [--file queries.csv] [--rows 20000]
        [--anchor main] [--rounds 3] [--workdir /tmp/hermit-candidates-bench]

STORE holds the lists (e.g. all five); it is copied into --workdir once per system, so
that each persists its own index beside its copy. With --anchor REV the same measures
are made by that revision (a temporary git worktree, on the same interpreter),
interleaved round by round with this checkout's; the candidates both retrieve are
compared (a digest of every query's candidate ids, in order) and must be the same.
Without --file, bench/bulk/run.py's generator writes --rows queries from STORE's names.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]

WARM_UP_QUERIES = 300


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def measure(store: Path, source: Path, rows: int, screen: bool) -> dict[str, Any]:
    """The measures, in this process (hermit imported from PYTHONPATH's checkout: this
    checkout is not put on the path here, or it would come first)."""
    import duckdb

    import hermit
    from hermit.screening.bulk.csv_io import CsvReader
    from hermit.screening.bulk.runner import warm_up
    from hermit.screening.engine import Screener
    from hermit.screening.persisted import index_folder
    from hermit.screening.query import QueryError, make_query
    from hermit.screening.scorer import PreparedQuery

    con = duckdb.connect(str(store), read_only=True)
    Screener.from_persisted(con, store)  # built and persisted when missing
    rss_before = _rss_kb()
    began = time.perf_counter()
    screener = Screener.from_persisted(con, store)
    load_seconds = time.perf_counter() - began
    rss_after = _rss_kb()
    index_bytes = sum(p.stat().st_size for p in index_folder(store).glob("*.idx"))
    warm_up(screener)
    queries = []
    for raw in CsvReader(source).rows():
        if raw.problem is not None:
            continue
        try:
            queries.append(make_query(raw.values, raw.warnings).query)
        except QueryError:
            continue
        if len(queries) >= rows:
            break
    prepared = [PreparedQuery.of(q, screener.index.word_weights.get) for q in queries]
    # the queries live as long as the run: out of the collector's reach, as a bulk
    # worker keeps the index (its collections then walk a query's own objects only)
    gc.collect()
    gc.freeze()
    limit = screener.candidate_limit
    for p in prepared[:WARM_UP_QUERIES]:
        screener._candidates(p)
    digest = hashlib.sha256()
    began_cpu = time.process_time()
    found = [screener._candidates(p) for p in prepared]
    retrieval = time.process_time() - began_cpu
    began_cpu = time.process_time()
    wide = [screener._candidates(p, 3 * limit) for p in prepared]
    retrieval_wide = time.process_time() - began_cpu
    for ids in (*found, *wide):
        digest.update(orjson.dumps(ids))
    out: dict[str, Any] = {
        "hermit": str(Path(hermit.__file__).parents[1]),  # which checkout ran
        "queries": len(prepared),
        "retrieval_us": retrieval / len(prepared) * 1e6,
        "retrieval_wide_us": retrieval_wide / len(prepared) * 1e6,
        "candidates_mean": sum(map(len, found)) / len(found),
        "digest": digest.hexdigest(),
        "load_seconds": load_seconds,
        "index_mb": index_bytes / 1e6,
        "loaded_rss_mb": (rss_after - rss_before) / 1024,
        "rss_growth_mb": (_rss_kb() - rss_after) / 1024,
    }
    cache = getattr(screener.index, "_groups", None)  # the key groups kept (not on main)
    if cache is not None:
        out["cached_groups"] = len(cache)
        out["cached_entries"] = cache.entries
    if screen:
        began_cpu = time.process_time()
        matches = sum(len(screener.screen(q, 10)) for q in queries)
        out["screen_us"] = (time.process_time() - began_cpu) / len(queries) * 1e6
        out["matches"] = matches
    return out


def run_system(
    checkout: Path | None, store: Path, source: Path, rows: int, screen: bool
) -> dict[str, Any]:
    """One round of the measures, in a fresh process running ``checkout``'s hermit."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    cmd = [sys.executable, __file__, "--measure", "--store", str(store), "--file", str(source)]
    cmd += ["--rows", str(rows)] + ([] if screen else ["--no-screen"])
    done = subprocess.run(cmd, env=env, capture_output=True, check=False, cwd=store.parent)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode()}")
    result: dict[str, Any] = orjson.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True, help="a store holding the lists")
    parser.add_argument("--file", type=Path, help="queries (CSV); default: generated")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--anchor", help="also measure this git revision (e.g. main)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-candidates-bench"))
    parser.add_argument("--no-screen", action="store_true", help="retrieval only")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        found = measure(args.store, args.file, args.rows, not args.no_screen)
        sys.stdout.buffer.write(orjson.dumps(found))
        return
    sys.path.insert(0, str(REPO))
    from bench.bulk.run import anchor_checkout, generate
    from bench.machine import machine

    args.workdir.mkdir(parents=True, exist_ok=True)
    source = args.file or generate(args.workdir, args.store, args.rows)["csv"]
    systems: dict[str, Path | None] = {"this checkout": None}
    if args.anchor is not None:
        systems[args.anchor] = anchor_checkout(args.anchor, args.workdir)
    stores = {}
    for name in systems:
        folder = args.workdir / f"store-{name.replace(' ', '-').replace('/', '_')}"
        folder.mkdir(exist_ok=True)
        stores[name] = folder / args.store.name
        shutil.copyfile(args.store, stores[name])
    print(f"machine: {machine()}")
    print(f"queries: {source} (first {args.rows:,})")
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    for _ in range(args.rounds):
        for name, checkout in systems.items():  # interleaved: the same load on both
            found = run_system(checkout, stores[name], source, args.rows, not args.no_screen)
            ran = Path(found["hermit"]).resolve()
            if ran != (REPO if checkout is None else checkout).resolve():
                raise SystemExit(f"{name}: ran the hermit of {ran}, not its own")
            results[name].append(found)
            print(name, orjson.dumps(found).decode(), flush=True)
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    report(results)


def report(results: dict[str, list[dict[str, Any]]]) -> None:
    digests = {r["digest"] for rounds in results.values() for r in rounds}
    print()
    print(
        "| system | retrieval µs/query | at 3× limit | screen µs/query | index MB | load s "
        "| RSS after load MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rounds in results.items():
        screen = [r["screen_us"] for r in rounds if "screen_us" in r]
        print(
            f"| {name} | {min(r['retrieval_us'] for r in rounds):.0f} "
            f"| {min(r['retrieval_wide_us'] for r in rounds):.0f} "
            f"| {f'{min(screen):.0f}' if screen else '-'} "
            f"| {rounds[0]['index_mb']:.1f} | {min(r['load_seconds'] for r in rounds):.2f} "
            f"| {min(r['loaded_rss_mb'] for r in rounds):.0f} |"
        )
    print()
    print("(best of the rounds; CPU time per query, process_time)")
    same = "the same" if len(digests) == 1 else "NOT the same"
    print(f"candidates of every query, in order: {same} in every system and round")


if __name__ == "__main__":
    main()
