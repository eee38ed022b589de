"""Reading the 18,798-row OFSI workbook: python-calamine (hermit's reader) beside
openpyxl (read-only mode) and lxml over the zip's XML parts, each in a fresh process,
reading every cell of the first sheet into Python values.

    .venv/bin/python bench/xlsx_readers.py [--runs 3] [--file ../shared/data/lists/...xlsx]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
READERS = {
    "python-calamine": """
import sys
from python_calamine import CalamineWorkbook
sheet = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
rows = sheet.to_python(skip_empty_area=False)
assert len(rows) == 18800
""",
    "openpyxl (read-only)": """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = list(book.worksheets[0].iter_rows(values_only=True))
assert len(rows) == 18800
""",
    "lxml over the zip": """
import sys, zipfile
from lxml import etree
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
z = zipfile.ZipFile(sys.argv[1])
strings = []
for _, el in etree.iterparse(z.open("xl/sharedStrings.xml"), tag=NS + "si"):
    strings.append("".join(el.itertext())); el.clear()
rows = []
for _, el in etree.iterparse(z.open("xl/worksheets/sheet1.xml"), tag=NS + "row"):
    row = []
    for c in el:
        v = c.find(NS + "v")
        text = None if v is None else v.text
        row.append(strings[int(text)] if c.get("t") == "s" and text is not None else text)
    rows.append(row); el.clear()
assert len(rows) == 18800
""",
}


def _measure(cmd: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    pid = subprocess.Popen(cmd).pid
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        raise SystemExit(f"failed: {cmd[2][:40]}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    default = REPO.parent / "shared" / "data" / "lists" / "uk_ofsi_conlist_2025-04-14.xlsx"
    parser.add_argument("--file", type=Path, default=default)
    args = parser.parse_args()
    got = {
        name: [_measure([sys.executable, "-c", code, str(args.file)]) for _ in range(args.runs)]
        for name, code in READERS.items()
    }
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print("| reader | median s | min s | max s | peak RSS MB |")
    print("|---|---|---|---|---|")
    for name, runs in got.items():
        secs = [s for s, _ in runs]
        print(
            f"| {name} | {statistics.median(secs):.2f} | {min(secs):.2f} | {max(secs):.2f} "
            f"| {max(m for _, m in runs):.0f} |"
        )


if __name__ == "__main__":
    main()
