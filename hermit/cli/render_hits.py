"""One query's hits for the terminal, readable at any width (80 columns and up).

Each hit is one line (score, decision, id, caption, kind and list) with its reasons under
it, one contribution a line with its signed value, the reason wrapped to the width:

    Kim Yong Chol (born 1962)
    1.00  MATCH   ofac-17614    KIM, Yong Chol                Person · us_ofac_sdn
          name         +1.00  'Kim Yong Chol' is the name 'KIM, Yong Chol' as listed
          birth date   +0.05  1962 is consistent with listed 1962-02-18 (exact)
          score               capped at 1.00 (the evidence adds up to 1.05)

The ``bounds`` contribution is shown as what it is, the score's cap, without a value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from hermit.screening.result import Contribution, Match

#: Width of the score column; the reasons are indented by it (and one space).
SCORE_WIDTH = 4
DECISION_WIDTH = len("suppressed")


def decision(m: Match) -> Text:
    if m.suppressed is not None:
        return Text("suppressed", style="yellow")
    return Text("MATCH", style="bold red") if m.is_match else Text("review")


def hits(console: Console, title: str, found: list[Match], floor: float) -> None:
    """A query's hits, best first; without any, that nothing reached ``floor``."""
    console.print(Text(title, style="bold"))
    if not found:
        console.print(
            Text.assemble(("no candidate", "green"), f": nothing scored {floor:.2f} or more")
        )
        return
    id_width = max(len(m.entity_id) for m in found)
    where_width = max(len(_where(m)) for m in found)
    rows = [[_reason(c) for c in m.contributions] for m in found]
    feature_width = max(len(feature) for reasons in rows for feature, _, _ in reasons)
    for i, (m, reasons) in enumerate(zip(found, rows, strict=True)):
        if i:
            console.print()
        console.print(_head(m, id_width, where_width))
        if m.suppressed is not None:
            reasons.insert(0, ("", Text(""), Text(m.suppressed, style="yellow")))
        if m.lapsed is not None:  # a reviewed decision that no longer applies, first
            lapsed = Text(f"decision lapsed: {m.lapsed}", style="yellow")
            reasons.insert(0, ("", Text(""), lapsed))
        console.print(_reasons(reasons, feature_width))


def _where(m: Match) -> str:
    return " · ".join([m.schema, *m.datasets])


def _head(m: Match, id_width: int, where_width: int) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=SCORE_WIDTH, no_wrap=True)
    grid.add_column(width=DECISION_WIDTH, no_wrap=True)
    grid.add_column(width=id_width, no_wrap=True, overflow="fold")
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(width=where_width, overflow="fold", style="dim")
    grid.add_row(
        Text(f"{m.score:.2f}", style="bold"),
        decision(m),
        Text(m.entity_id),
        Text(m.caption),
        Text(_where(m)),
    )
    return grid


def _reason(c: Contribution) -> tuple[str, Text, Text]:
    if c.is_cap:
        return ("score", Text(""), Text(c.reason, style="dim"))
    style = "green" if c.value > 0 else "red" if c.value < 0 else "dim"
    return (c.feature.replace("_", " "), Text(f"{c.value:+.2f}", style=style), Text(c.reason))


def _reasons(rows: list[tuple[str, Text, Text]], feature_width: int) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=SCORE_WIDTH, no_wrap=True)  # the indent under the score
    grid.add_column(width=feature_width, no_wrap=True)
    grid.add_column(width=5, no_wrap=True, justify="right")
    grid.add_column(ratio=1, overflow="fold")
    for feature, value, reason in rows:
        grid.add_row("", escape(feature), value, reason)
    return grid
