"""hermit beside MovingPandas on one slice of the real US day, in the same run: the part
of the AIS work MovingPandas does (trajectories per MMSI, split at observation gaps of
6 h or more, stops detected), and hermit's load (stage, checks, store) with its gaps and
port visits (stops at ports) and all its events on the same file. CPU seconds (user+sys)
are the figures: the machine is shared. MovingPandas runs in the bench environment
(``.venv-bench``, bench/maritime/requirements-movingpandas.txt), never in hermit's.

    .venv/bin/python bench/ais_movingpandas.py [--positions FILE.parquet] [--bench-python P]

Prints one JSON object; BENCHMARKS.md keeps the figures with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))
WORKER = REPO / "bench" / "maritime" / "movingpandas_worker.py"
#: MovingPandas's stop: within STOP_M metres (diameter) for at least STOP_H hours. Not
#: GFW's port-visit stop (speed under 0.2 kn near a port), which MovingPandas has no
#: detector for; the nearest of its own, and the same for every run.
STOP_H, STOP_M = "1", "1000"


def hermit_side(path: Path) -> dict[str, float]:
    from hermit.maritime import params
    from hermit.maritime.anchorages import build_port_layer
    from hermit.maritime.detect import find_events
    from hermit.maritime.gaps import find_gaps
    from hermit.maritime.port_visits import find_port_visits
    from hermit.maritime.store import AisStore

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, AisStore(Path(tmp) / "b.ais.duckdb") as store:
        c0 = time.process_time()
        lid = store.load([path]).load_id
        c1 = time.process_time()
        out["n_gaps"] = len(find_gaps(store.con, lid, params.gaps()))
        c2 = time.process_time()
        build_port_layer(store.con, lid, params.anchorages())
        out["n_port_visits"] = len(find_port_visits(store.con, lid, params.port_visits()))
        c3 = time.process_time()
        out["n_all_events"] = len(find_events(store.con, lid))
        c4 = time.process_time()
    out.update(
        load_cpu_s=round(c1 - c0, 2),
        gaps_cpu_s=round(c2 - c1, 2),
        port_layer_and_visits_cpu_s=round(c3 - c2, 2),
        same_work_cpu_s=round(c3 - c0, 2),
        all_events_cpu_s=round(c4 - c3, 2),
    )
    return out


def movingpandas_side(python: Path, path: Path) -> dict[str, float]:
    from hermit.maritime.params import gaps

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [str(python), str(WORKER), str(path), str(gaps().min_gap_h), STOP_H, STOP_M],
        check=True,
        capture_output=True,
        text=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    body: dict[str, float] = orjson.loads(done.stdout)
    body["process_cpu_s"] = round(
        (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
    )
    return body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--positions", type=Path, default=DATA / "ais" / "marinecadastre_20200101_ny_harbor.parquet"
    )
    parser.add_argument("--bench-python", type=Path, default=REPO / ".venv-bench/bin/python")
    args = parser.parse_args()
    load0 = os.getloadavg()
    result = {
        "positions": str(args.positions),
        "cpus": os.cpu_count(),
        "load_average_before": load0,
        "hermit": hermit_side(args.positions),
        "movingpandas": movingpandas_side(args.bench_python, args.positions),
        "load_average_after": os.getloadavg(),
    }
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
