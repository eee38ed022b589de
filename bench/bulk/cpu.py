"""CPU per row of a bulk worker, this checkout beside another revision, output compared.

One process per checkout reads the persisted index of a store, warms up and freezes the
collector as a forked bulk worker does, gives itself the run's memo, and screens the
first ``--rows`` rows of a bulk file with ``screen_rows`` in chunks of 256 (what a
worker of ``hermit screen --file`` runs). It reports the CPU seconds of the screening
(``time.process_time``: user + system of this process, so the other jobs of a shared
machine inflate it far less than the wall time), split by kind of row (the generator's
ids: ``L`` a listed name, ``P`` a plain one), and a SHA-256 over every result row
(query, entity, score, status, every contribution and reason, in order), so the two
checkouts are shown to give the same output row for row.

    .venv/bin/python bench/bulk/cpu.py --store STORE --file QUERIES.csv [--rows 20000]
        [--anchor main] [--repeat 3] [--workdir /tmp/hermit-bulk-cpu] [--profile OUT]

The anchor is exported with ``git archive`` and run on this interpreter with PYTHONPATH,
on its own copy of the store (each keeps its persisted index beside the store). The
runs of the two are interleaved; the figures are medians. ``--profile OUT`` runs only
this checkout, once, under cProfile, and writes the statistics to OUT.
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
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHUNK = 256


def _measure(store: Path, file: Path, rows: int, profile: Path | None) -> dict[str, object]:
    """Run in the checkout under test (hermit from PYTHONPATH)."""
    import gc
    import time

    import duckdb

    import hermit
    from hermit.screening.bulk.csv_io import CsvReader
    from hermit.screening.bulk.runner import warm_up
    from hermit.screening.bulk.work import screen_rows
    from hermit.screening.engine import Screener
    from hermit.screening.memo import ScreenMemo

    con = duckdb.connect(str(store), read_only=True)
    screener = Screener.from_persisted(con, store)
    warm_up(screener)
    gc.freeze()
    screener.memo = ScreenMemo()
    raws = []
    for raw in CsvReader(file).rows():
        raws.append(raw)
        if len(raws) >= rows:
            break
    digest = hashlib.sha256()
    cpu = {"L": 0.0, "P": 0.0, "X": 0.0}
    counted = {"L": 0, "P": 0, "X": 0}
    results = 0
    clock = time.process_time
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for start in range(0, len(raws), CHUNK):
        chunk = raws[start : start + CHUNK]
        for raw in chunk:
            kind = str(raw.values.get("id", "X"))[:1]
            kind = kind if kind in cpu else "X"
            t0 = clock()
            found = screen_rows(screener, [raw], 10)
            cpu[kind] += clock() - t0
            counted[kind] += 1
            results += len(found.rows)
            for row in found.rows:
                digest.update(repr(row).encode())
            digest.update(repr(found.rejected).encode())
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    total = sum(cpu.values())
    return {
        "hermit": str(Path(hermit.__file__).parent.parent),
        "rows": len(raws),
        "result_rows": results,
        "cpu_s": round(total, 2),
        "cpu_s_per_1000_rows": round(total / len(raws) * 1000, 3),
        "listed_us_per_row": round(cpu["L"] / max(counted["L"], 1) * 1e6, 1),
        "plain_us_per_row": round(cpu["P"] / max(counted["P"], 1) * 1e6, 1),
        "listed_rows": counted["L"],
        "digest": digest.hexdigest(),
    }


def _child(checkout: Path, store: Path, args: argparse.Namespace) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONHASHSEED="0")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--store", str(store)]
    cmd += ["--file", str(args.file), "--rows", str(args.rows)]
    if args.profile is not None:
        cmd += ["--profile", str(args.profile)]
    out = subprocess.run(cmd, env=env, cwd=checkout, check=True, capture_output=True, text=True)
    found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def _own_store(store: Path, folder: Path) -> Path:
    """A copy of ``store`` with its persisted index (``STEM.index/``) in ``folder``."""
    copy = folder / store.name
    if not copy.exists():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store, copy)
        index = store.parent / f"{store.stem}.index"
        if index.is_dir():
            shutil.copytree(index, folder / index.name)
    return copy


def _anchor(rev: str, workdir: Path, store: Path) -> tuple[Path, Path]:
    if Path(rev).is_dir():  # a checkout already made (e.g. one with compiled modules)
        checkout = Path(rev).resolve()
        return checkout, _own_store(store, workdir / f"store-{checkout.name}")
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
    return checkout, _own_store(store, workdir / f"store-{sha[:12]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--store", type=Path, required=True)
    p.add_argument("--file", type=Path, required=True)
    p.add_argument("--rows", type=int, default=20000)
    p.add_argument("--anchor", default="main", help="a git revision, or a checkout's folder")
    p.add_argument("--repeat", type=int, default=3, help="runs of each, interleaved")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-bulk-cpu"))
    p.add_argument("--profile", type=Path, help="cProfile this checkout once, to this file")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(_measure(args.store, args.file, args.rows, args.profile)))
        return
    sys.path.insert(0, str(REPO))
    from bench.machine import machine

    print(machine())
    print("load average at start " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.profile is not None:
        print(json.dumps(_child(REPO, args.store, args)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    checkout, anchor_store = _anchor(args.anchor, args.workdir, args.store)
    own = _own_store(args.store, args.workdir / "store-this")
    keys = ("cpu_s_per_1000_rows", "listed_us_per_row", "plain_us_per_row")
    runs: dict[str, list[dict[str, object]]] = {args.anchor: [], "this checkout": []}
    for _ in range(args.repeat):  # interleaved, so a busy spell of the machine hits both
        runs[args.anchor].append(_child(checkout, anchor_store, args))
        runs["this checkout"].append(_child(REPO, own, args))
    medians: dict[str, dict[str, float]] = {}
    for label, found in runs.items():
        for one in found:
            print(f"{label}: " + json.dumps(one))
        medians[label] = {k: statistics.median(float(o[k]) for o in found) for k in keys}  # type: ignore[arg-type]
        print(f"{label}, median of {len(found)}: " + json.dumps(medians[label]))
    a, b = medians[args.anchor], medians["this checkout"]
    print("speed-up (anchor / this): " + ", ".join(f"{k} {a[k] / b[k]:.2f}x" for k in keys))
    digests = {(o["digest"], o["result_rows"]) for found in runs.values() for o in found}
    print("every result row identical" if len(digests) == 1 else "RESULTS DIFFER")
    print("load average at end " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
