"""``hermit lists diff`` by listed party, for the terminal (any width, 80 and up).

One line per party (change, caption, kind, id and programs) and what changed under it:
its own values (``+`` gained, ``−`` lost) and its records (addresses, identity
documents, sanctions, links; ``+`` added, ``−`` removed, ``~`` changed), wrapped to
the width:

    added    ASIA BRIDGE                         Vessel · ofac-27540 · DPRK4
             + name: ASIA BRIDGE
             + sanction: DPRK4
             + link: linked to GOOD SIBLINGS LTD (ofac-27526)
"""

from __future__ import annotations

from followthemoney import model as ftm_model
from rich.console import Console
from rich.table import Table
from rich.text import Text

from hermit.store.parties import PartyChange
from hermit.store.records import EntityChange

#: Lines shown under a party for its own values, and for its records.
MOST_VALUES = 8
MOST_RECORDS = 8
STYLE = {"added": "green", "removed": "red", "changed": "yellow"}
SIGN = {"added": "+", "removed": "−", "changed": "~"}


def entities(
    console: Console, found: list[tuple[EntityChange, tuple[str, ...]]], limit: int
) -> None:
    """Every changed entity on its own (``--entities``), each with its values under it
    and its party's programs, in the same layout as the parties."""
    alone = [
        PartyChange(c.entity_id, c.change, c.schema, c.caption, c.added, c.removed, programs, ())
        for c, programs in found
    ]
    parties(console, alone, limit, noun="entities")


def parties(console: Console, found: list[PartyChange], limit: int, noun: str = "parties") -> None:
    """The first ``limit`` parties, each with its changes under it."""
    if not found:
        console.print(f"no {noun} changed (with these filters)")
        return
    shown = found[:limit]
    id_width = max(len(p.entity_id) for p in shown)
    for i, party in enumerate(shown):
        if i:
            console.print()
        console.print(_head(party, id_width))
        lines = _values(party) + _records(party.parts)
        if lines:
            console.print(_under(lines))
    if len(found) > limit:
        console.print(f"... {len(found) - limit:,} more {noun} (use --limit or --json)")


def _head(party: PartyChange, id_width: int) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=len("changed"), no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_column(overflow="fold", style="dim", max_width=40 + id_width)
    where = " · ".join([party.schema, party.entity_id, *party.programs])
    grid.add_row(Text(party.change, style=STYLE[party.change]), Text(party.caption), Text(where))
    return grid


def _values(party: PartyChange) -> list[tuple[Text, Text]]:
    """The party's own values gained and lost, without those its records say already
    (the ids of its addresses, an address's text beside the address itself)."""
    said = {p.entity_id for p in party.parts}
    said |= {f"address:{p.caption}" for p in party.parts if p.schema == "Address"}
    lines = [
        (Text(sign, style=style), Text(f"{prop}: {value}"))
        for sign, style, values in (("+", "green", party.added), ("−", "red", party.removed))
        for prop, found in sorted(values.items())
        for value in sorted(found)
        if value not in said and f"{prop}:{value}" not in said
    ]
    if len(lines) > MOST_VALUES:
        more = len(lines) - MOST_VALUES
        lines = [*lines[:MOST_VALUES], (Text(""), Text(f"(+{more} more values)", style="dim"))]
    return lines


def _records(parts: tuple[EntityChange, ...]) -> list[tuple[Text, Text]]:
    lines: list[tuple[Text, Text]] = []
    for part in parts[:MOST_RECORDS]:
        line = Text(f"{_kind(part.schema)}: {part.caption}")
        if part.change == "changed":
            changed = [
                f"{sign} {prop}: {value}"
                for sign, values in (("+", part.added), ("−", part.removed))
                for prop, found in sorted(values.items())
                for value in sorted(found)
            ]
            line.append(" (" + "; ".join(changed) + ")", style="dim")
        lines.append((Text(SIGN[part.change], style=STYLE[part.change]), line))
    if len(parts) > MOST_RECORDS:
        more = len(parts) - MOST_RECORDS
        lines.append((Text(""), Text(f"(+{more} more records)", style="dim")))
    return lines


def _kind(schema: str) -> str:
    """A record's kind as a word: address, passport, sanction; any link entity: link."""
    found = ftm_model.get(schema)
    if found is None:
        return schema.lower()
    return "link" if found.edge else str(found.label).lower()


def _under(lines: list[tuple[Text, Text]]) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=len("changed"), no_wrap=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for sign, line in lines:
        grid.add_row("", sign, line)
    return grid
