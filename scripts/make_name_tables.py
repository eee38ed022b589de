"""Regenerate the derived name tables in hermit/resources/names/derived/ (titles and
number words tokenized; see hermit/names/derived.py), after a rigour upgrade or an edit
of resources/names/titles.yaml.

    .venv/bin/python scripts/make_name_tables.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hermit.names import derived  # noqa: E402

OUT = REPO / "hermit" / "resources" / "names" / "derived"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in derived.FILES:
        path = OUT / f"{name}.tsv"
        path.write_text(derived.render(name), encoding="utf-8")
        print(f"{path.relative_to(REPO)}: {len(path.read_text('utf-8').splitlines()) - 1} rows")


if __name__ == "__main__":
    main()
