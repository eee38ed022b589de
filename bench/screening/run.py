"""Screening benchmark: hermit and the nomenklatura anchors (logic-v1, logic-v2) side by
side on the same labelled cases and the same candidates.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -e . nomenklatura faker
    .venv-bench/bin/python bench/screening/run.py [--lists DIR] [--sample N] [--no-anchors]

Cases come from the real lists at run time (cases.py). Stores: ``un`` for UN
positives, ``ofac`` for OFAC positives (a party listed on both is then not a wrong
alert), ``both`` for negatives. Each system runs in its own process over the same
pickled cases and stores, so its peak RSS is its own (hermit's index for the three
stores, the cases, and for an anchor its FtM entities too). hermit is timed end to end
(Screener.screen: candidates and scoring); an anchor is timed on the same candidate
retrieval plus its scoring. µs/pair: scoring alone over the candidates of the query's
schema (hermit: Screener.score). The easy part of the positives (listed strings used
verbatim, or undone exactly by hermit's own tables: bench/easy.py) is reported apart,
with recall on the rest. Writes bench/screening/RESULTS.md for a full run
(or --out), and prints hermit's failures (not written: they quote list names).
"""

from __future__ import annotations

import argparse
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.screening import metrics, report  # noqa: E402
from bench.screening.anchors import ALGORITHMS  # noqa: E402
from bench.screening.case import Case  # noqa: E402
from bench.screening.cases import build_cases, read_lists, subsample  # noqa: E402
from bench.screening.easy_part import easy_reasons  # noqa: E402
from bench.screening.evaluate import (  # noqa: E402
    Candidates,
    HermitSystem,
    System,
    build_stores,
    open_screeners,
    schemas,
)

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
STORES = ("un", "ofac", "both")


def worker(system: str, workdir: Path) -> None:
    """Run one system over the pickled cases; pickle its outcomes and costs."""
    cases: list[Case] = pickle.loads((workdir / "cases.pkl").read_bytes())
    start = time.perf_counter()
    paths = {name: workdir / f"{name}.duckdb" for name in STORES}
    candidates = Candidates(open_screeners(paths), schemas(paths["both"]))
    runner: System
    if system == "hermit":
        runner = HermitSystem(candidates)
    else:
        from bench.screening.anchors import AnchorSystem, proxies
        from hermit.store import Store

        with Store(paths["both"], read_only=True) as store:
            listed = proxies(store.entities())
        runner = AnchorSystem(system, candidates, listed)
    setup = time.perf_counter() - start
    runner.warm_up()
    start = time.perf_counter()
    outcomes = {}
    for index, case in enumerate(cases, 1):
        outcomes[case.id] = runner.run(case)
        if index % 2000 == 0:
            print(f"  {system}: {index}/{len(cases)}", file=sys.stderr, flush=True)
    result = {
        "outcomes": outcomes,
        "algorithm": runner.algorithm,
        "threshold": runner.threshold,
        "setup": setup,
        "run": time.perf_counter() - start,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    (workdir / f"{system}.pkl").write_bytes(pickle.dumps(result))


def run_system(system: str, workdir: Path) -> dict[str, Any]:
    print(f"running {system} ...", file=sys.stderr, flush=True)
    cmd = [sys.executable, __file__, "--worker", system, "--workdir", str(workdir)]
    subprocess.run(cmd, check=True)
    result: dict[str, Any] = pickle.loads((workdir / f"{system}.pkl").read_bytes())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    parser.add_argument("--sample", type=int, help="at most N cases of each group")
    parser.add_argument("--no-anchors", action="store_true", help="hermit only")
    parser.add_argument("--out", type=Path, help="markdown results (default: RESULTS.md, full run)")
    parser.add_argument("--workdir", type=Path, help="stores and pickles (default: a temp dir)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.workdir)
        return
    started = time.perf_counter()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hermit-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    un, ofac = read_lists(args.lists)
    caseset = build_cases(un.entities, ofac.entities)
    cases = subsample(caseset.cases, args.sample)
    build_stores({"un": un, "ofac": ofac}, workdir)
    (workdir / "cases.pkl").write_bytes(pickle.dumps(cases))
    captions = {e.id: e.caption for e in [*un.entities, *ofac.entities]}
    systems = ["hermit"] if args.no_anchors else ["hermit", *ALGORITHMS]
    raw = {s: run_system(s, workdir) for s in systems}
    results = {s: r["outcomes"] for s, r in raw.items()}
    runs = [
        report.SystemRun(
            s,
            r["algorithm"],
            r["threshold"],
            metrics.quality(cases, r["outcomes"]),
            metrics.speed(r["outcomes"].values()),
            r["rss_mb"],
            r["setup"],
            r["run"],
        )
        for s, r in raw.items()
    ]
    command = "    " + " ".join([".venv-bench/bin/python bench/screening/run.py", *sys.argv[1:]])
    easy = easy_reasons(cases, [*un.entities, *ofac.entities])
    text = report.results(
        caseset, cases, runs, results, command, time.perf_counter() - started, easy
    )
    print(text)
    print("\n## hermit's failures\n")
    print(report.failures(cases, results["hermit"], captions))
    out = args.out or (RESULTS if args.sample is None and not args.no_anchors else None)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
        print(f"\nwritten: {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
