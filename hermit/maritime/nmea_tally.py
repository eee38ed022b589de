"""What hermit-nmea@2 counts and keeps of a file's lines (see hermit/maritime/nmea.py).

Counts by kind keep the order in which each kind was first met (the order hermit-nmea@1's
Counter had; the store keeps them as JSON), problems keep line order: each carries an
order key, 8 x its line + the step of the line it belongs to.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from hermit.maritime.nmea_sentences import Lines

I64 = npt.NDArray[np.int64]
LAST = 1 << 60  # order of what is counted after the last line


class Tally:
    """Counts by kind, kept in the order each kind was first seen (as a Counter fed line
    by line would be), and the problems in line order."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}  # kind -> [count, first order]
        self.problems: list[tuple[int, int, str, str, str]] = []  # order, line, kind, ...

    def add(self, kind: str, order: int, n: int = 1) -> None:
        found = self.counts.get(kind)
        if found is None:
            self.counts[kind] = [n, order]
        else:
            found[0] += n
            found[1] = min(found[1], order)

    def add_all(self, kind: str, orders: I64) -> None:
        if len(orders):
            self.add(kind, int(orders.min()), len(orders))

    def problem(self, order: int, line: int, kind: str, text: str, why: str) -> None:
        self.problems.append((order, line, kind, text, why))

    def ordered(self) -> dict[str, int]:
        return {k: v[0] for k, v in sorted(self.counts.items(), key=lambda kv: kv[1][1])}


def line_text(lines: Lines, i: int) -> str:
    return lines.line(i).strip().decode("ascii", "replace")
