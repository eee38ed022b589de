"""Regenerate the bundled sample lists in hermit/resources/samples/.

The samples are small extracts of the real public lists (UN Security Council
consolidated list; OFAC SDN legacy CSV set), cut from ../shared/data/lists by this
script so they stay regenerable and true to the source formats. They exist so that
``./run demo`` works on a fresh machine without downloading anything.

    .venv/bin/python scripts/make_samples.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "hermit" / "resources" / "samples"

#: DPRK people and entities (with APPROXIMATELY dates, aliases, passports), two others.
UN_REFS = {
    "KPi.024",
    "KPi.025",
    "KPi.066",
    "KPi.001",
    "KPi.033",
    "KPe.001",
    "KPe.010",
    "KPe.030",
    "CDi.001",
    "TAi.002",
}
#: OFAC entries: a DPRK trading company, people with passports and circa dates, vessels
#: with IMO numbers and owners, aircraft; "Linked To" targets are added automatically.
OFAC_ENTS = {"19613", "12211", "15667", "17616", "15771", "19570", "19572", "17069", "20540"}
_LINKED = re.compile(r"Linked To: ([^;]+?)\.?(?:;|\"|$)")


def _un(src: Path, dst: Path) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(src), parser).getroot()
    for group in root:
        for record in list(group):
            ref = (record.findtext("REFERENCE_NUMBER") or "").strip()
            if ref not in UN_REFS:
                group.remove(record)
    dst.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="ascii").replace("\x1a", "")
    return [r for r in csv.reader(io.StringIO(text)) if r]


def _copy_lines(src: Path, wanted: set[str], dst: Path) -> None:
    """Copy the source lines of the wanted entries byte for byte (CRLF and the closing
    Ctrl-Z line included), so the sample has the real files' quirks."""
    keep = [
        line
        for line in src.read_bytes().splitlines(keepends=True)
        if line.split(b",", 1)[0].decode("ascii") in wanted
    ]
    dst.write_bytes(b"".join(keep) + b"\x1a\r\n")


def _ofac(shared: Path) -> None:
    sdn = _rows(shared / "ofac_sdn.csv")
    by_name = {r[1].upper(): r[0] for r in sdn}
    wanted = set(OFAC_ENTS)
    for row in sdn:
        if row[0] in OFAC_ENTS:
            for target in _LINKED.findall(row[11]):
                if target.strip().upper() in by_name:
                    wanted.add(by_name[target.strip().upper()])
    _copy_lines(shared / "ofac_sdn.csv", wanted, OUT / "sdn.csv")
    for name in ("alt", "add"):
        _copy_lines(shared / f"ofac_{name}.csv", wanted, OUT / f"{name}.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    lists = args.shared / "lists"
    OUT.mkdir(parents=True, exist_ok=True)
    _un(lists / "un_consolidated.xml", OUT / "un_consolidated_sample.xml")
    _ofac(lists)
    print(f"wrote samples to {OUT}")


if __name__ == "__main__":
    main()
