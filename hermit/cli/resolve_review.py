"""``hermit resolve judge``, ``hermit resolve judgements`` and ``hermit resolve review``:
analysts' decisions on pairs of registry records (hermit.resolve.judgements; the next
``hermit resolve`` clusters with them), and the review queue in the terminal: each
"possibly the same" pair of the latest run side by side with its evidence, answered by
a key (y same, n not same, u unsure, s skip, q quit), one a line (input can be piped)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from hermit.cli.registry import RegistryOpt, _path
from hermit.errors import StoreError

console = Console()

By = Annotated[str, typer.Option("--by", help="Who judges (a name, kept with the decision).")]
#: The review's keys and the decisions they record (s skips, q quits).
KEYS = {"y": "same", "n": "not same", "u": "unsure"}


def judge(
    ctx: typer.Context,
    left: Annotated[str, typer.Argument(help="A record id.")],
    right: Annotated[str, typer.Argument(help="Another record id (of the same kind).")],
    by: By,
    same: Annotated[bool, typer.Option("--same", help="The two are one entity.")] = False,
    not_same: Annotated[bool, typer.Option("--not-same", help="The two are not one.")] = False,
    unsure: Annotated[bool, typer.Option("--unsure", help="Undecided: left for review.")] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the decision).")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """Record that two registry records are the same, not the same, or unsure
    (appended: the latest judgement of a pair is in force, earlier ones kept). The next
    hermit resolve (or --incremental) clusters with it: a pair judged the same
    joins, one judged not the same is never in one entity, not through a chain either."""
    from hermit.registry.store import RegistryStore
    from hermit.resolve.judgements import ACCEPT, REJECT, UNSURE
    from hermit.resolve.review import judge as record
    from hermit.resolve.review import judgement_json

    chosen = [d for d, flag in ((ACCEPT, same), (REJECT, not_same), (UNSURE, unsure)) if flag]
    if len(chosen) != 1:
        raise StoreError("hermit resolve judge: give one of --same, --not-same, --unsure")
    with RegistryStore(_path(ctx, registry_store)) as store:
        done = record(store, left, right, chosen[0], by, reason)
    if as_json:
        typer.echo(orjson.dumps(judgement_json(done)).decode())
        return
    _say(f"judged {done.left} / {done.right}: {done.decision} ({done.who}); next hermit resolve")


def judgements(
    ctx: typer.Context,
    all_: Annotated[
        bool, typer.Option("--all", help="Every judgement, the superseded ones too.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    registry_store: RegistryOpt = None,
) -> None:
    """The judgements in force (the latest of each pair), oldest first: the pair, the
    decision, who, when (UTC) and why."""
    from hermit.registry.store import RegistryStore
    from hermit.resolve.review import judgement_json, listed

    with RegistryStore(_path(ctx, registry_store), read_only=True) as store:
        found = listed(store, all_=all_)
    if as_json:
        rows = [judgement_json(j) for j in found]
        typer.echo(orjson.dumps({"total": len(rows), "judgements": rows}).decode())
        return
    table = Table("judged at (UTC)", "left", "right", "decision", "who", "why")
    for j in found:
        table.add_row(f"{j.judged_at:%Y-%m-%d %H:%M:%S}", j.left, j.right, j.decision, j.who, j.why)
    console.print(table)
    _say(f"{len(found):,} judgements" + ("" if all_ else " in force"))


def review(
    ctx: typer.Context,
    by: By,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Pairs to show at most.")] = 20,
    reason: Annotated[
        str, typer.Option("--reason", help="Kept with each answer.")
    ] = "hermit resolve review",
    registry_store: RegistryOpt = None,
) -> None:
    """The "possibly the same" pairs of the latest run that no judgement decides, most
    in need of a decision first (hermit.resolve.review), each shown side by side with
    its evidence; answer y (same), n (not same), u (unsure), s (skip) or q (quit), one
    a line. Each answer is stored at once; the next hermit resolve applies them."""
    from hermit.registry.store import RegistryStore
    from hermit.resolve.review import judge as record
    from hermit.resolve.review import queue

    path = _path(ctx, registry_store)
    with RegistryStore(path, read_only=True) as store:
        found = queue(store, limit)
    pairs = found["pairs"]
    _say(f"run {found['run']}: {found['total']:,} pairs to review; showing {len(pairs)}")
    answered = 0
    for n, pair in enumerate(pairs, 1):
        _show(n, pair)
        key = _ask()
        if key == "q":
            break
        if key == "s":
            continue
        with RegistryStore(path) as store:
            record(
                store, pair["left"]["record_id"], pair["right"]["record_id"], KEYS[key], by, reason
            )
        answered += 1
        _say(f"  recorded: {KEYS[key]}")
    _say(f"{answered} judgements recorded; hermit resolve applies them")


def _ask() -> str:
    """One answer from stdin (q at its end); asked again until it is a key."""
    while True:
        console.print("same? y / n (not same) / u (unsure) / s (skip) / q (quit): ", end="")
        line = sys.stdin.readline()
        if not line:
            console.print("")
            return "q"
        key = line.strip().lower()[:1]
        if key in KEYS or key in ("s", "q"):
            return key
        _say(f"  {line.strip()!r} is not one of y, n, u, s, q")


def _values(facts: dict[str, Any], field: str) -> str:
    value = facts.get(field)
    if field == "identifiers":
        return "\n".join(
            f"{i['scheme']} {i['value']}" + ("" if i["valid"] else " (not valid)")
            for i in value or []
        )
    if field == "dates":
        return "\n".join(f"{k} {', '.join(v)}" for k, v in (value or {}).items())
    if field == "source":
        return (
            f"{facts.get('registry')}: {Path(str(facts.get('file'))).name}, row {facts.get('row')}"
        )
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def _show(n: int, pair: dict[str, Any]) -> None:
    left, right = pair["left"], pair["right"]
    table = Table(
        f"pair {n}",
        f"{left['record_id']} (entity {pair['left_entity']})",
        f"{right['record_id']} (entity {pair['right_entity']})",
        show_lines=True,
    )
    for field in ("schema", "names", "identifiers", "dates", "addresses", "countries", "source"):
        table.add_row(field, _values(left, field), _values(right, field))
    console.print(table)
    _say(
        f"match weight {pair['match_weight']:.2f}, probability {pair['probability']:.4f}"
        + ("" if pair["judgement"] is None else f"; judged unsure by {pair['judgement']['who']}")
    )
    for r in pair["reasons"]:
        _say(f"  {r['comparison']}: {r['level']} ({r['weight']:+.2f})")


def _say(text: str) -> None:
    console.print(text, highlight=False, markup=False)
