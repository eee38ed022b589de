"""Record the golden output of every named screening algorithm (tests/screening/golden/).

Run it when an algorithm gets a new version (its output moved on purpose); the test
tests/screening/test_golden.py then holds the new version to what this writes. It
screens tests/screening/golden/queries.jsonl against the real UN and OFAC lists in
../shared/data/lists, loaded into a temporary store exactly as the tests' ``lists_store``
fixture loads them.

    .venv/bin/python scripts/make_golden.py [--family screen ...] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hermit.screening.store_screener import StoreScreener  # noqa: E402
from hermit.sources.detect import read_list_files  # noqa: E402
from hermit.store import Store  # noqa: E402
from tests.screening import golden_output  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", action="append", choices=golden_output.FAMILIES)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    lists = args.shared / "lists"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.duckdb"
        with Store(path) as store:
            for snap in read_list_files([lists / "un_consolidated.xml", lists / "ofac_sdn.csv"]):
                store.load(snap)
        screener = StoreScreener(path).build()
        for family in args.family or golden_output.FAMILIES:
            data = golden_output.compute(family, screener)
            old = golden_output.load(family) if golden_output.golden_path(family).exists() else None
            golden_output.write(family, data)
            was = "new" if old is None else f"was {old['algorithm']}"
            changed = old is not None and old["cases"] != data["cases"]
            print(
                f"{family}: {data['algorithm']} ({was}), {len(data['cases'])} cases"
                + (", output moved" if changed else "")
            )


if __name__ == "__main__":
    main()
