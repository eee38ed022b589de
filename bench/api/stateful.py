"""A bigger stateful schemathesis run of the HTTP API than the suite's
(tests/api/test_stateful.py): a real ``hermit serve`` over a copy of a real-lists store
with an administrator's key, ``--examples`` call sequences of at most ``--steps`` calls
(tests/api/stateful.py says what is generated and checked). Prints the calls by
operation and status, the wall and CPU seconds, and the load average.

    .venv/bin/python bench/api/stateful.py --store STORE [--examples 200] [--steps 10]
        [--workers 1] [--workdir /tmp/hermit-stateful]

STORE: a store with lists loaded (``hermit lists load``); it is copied, never written.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.api.keyed import auth, keyed_store  # noqa: E402
from tests.api.served import Served  # noqa: E402
from tests.api.stateful import run_stateful  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-stateful"))
    args = parser.parse_args()
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    store, tokens = keyed_store(args.store, args.workdir)
    served = Served(store, "--workers", str(args.workers), keep_stdout=False)
    try:
        start, cpu = time.monotonic(), time.process_time()
        calls = run_stateful(
            served.base, auth(tokens["ada"]), examples=args.examples, steps=args.steps
        )
        wall, cpu = time.monotonic() - start, time.process_time() - cpu
    finally:
        served.stop()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()
    print(f"{args.examples} sequences of at most {args.steps} calls, {sum(calls.values())} calls")
    print(f"wall {wall:.0f} s; CPU {cpu:.0f} s here, {children.ru_utime + children.ru_stime:.0f} s")
    print(
        f"in the service (from its start); load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    for (method, path, status), n in sorted(calls.items()):
        print(f"  {n:5d}  {status}  {method} {path}")


if __name__ == "__main__":
    main()
