"""The OFAC 50% rule (hermit.network.ofac50) through the engine seam, for holdings
tables too large for one process: the same least fixpoint, by iterated joins (one
round per link of the longest chain of blocked holdings), on DuckDB or on Spark.

What is kept, read and blocked is ``ofac50``'s: current ownership holdings, a holding
reported again (same owner, asset and share) once (its first report in holding
order); the definite reading at the lower bounds, scaled to ``full_pct`` where they add
up to more; the possible reading at the upper bounds. One difference, so that every
engine gives the same answer to the last digit whatever order its partitions add up
in: stakes are added as exact decimals (each share read to nine decimal places, as
its shortest decimal form: ``repr``), not as floats in holding order. A stake then
differs from ``ofac50@1``'s in its last digits at most (a status only where a stake
is within ``tolerance_pct`` of the threshold); the tests compare both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pyarrow as pa

from hermit.engine.base import Engine
from hermit.network.holdings import OWNERSHIP, Holding
from hermit.network.ofac50 import (
    BLOCKED,
    NOT_BLOCKED,
    POSSIBLY_BLOCKED,
    Finding,
    Result,
    Rule,
    Stake,
    default_rule,
)

ALGORITHM = "ofac50-engine@1"
#: Decimal places a share is added at (exact sums: the same on every engine).
PLACES = 9
_DECIMAL = pa.decimal128(38, PLACES)
_QUANTUM = Decimal(1).scaleb(-PLACES)


def holdings_table(holdings: Iterable[Holding]) -> pa.Table:
    """The holdings as the engine job's input: ``n`` (holding order), owner, asset,
    low, high (floats), low_d, high_d (decimals), start, stop, ownership, source."""
    rows = list(holdings)

    def dec(x: float) -> Decimal:
        return Decimal(repr(x)).quantize(_QUANTUM)

    return pa.table(
        {
            "n": pa.array(range(len(rows)), pa.int64()),
            "owner": pa.array([h.owner for h in rows], pa.string()),
            "asset": pa.array([h.asset for h in rows], pa.string()),
            "low": pa.array([h.low for h in rows], pa.float64()),
            "high": pa.array([h.high for h in rows], pa.float64()),
            "low_d": pa.array([dec(h.low) for h in rows], _DECIMAL),
            "high_d": pa.array([dec(h.high) for h in rows], _DECIMAL),
            "start": pa.array([h.start for h in rows], pa.date32()),
            "stop": pa.array([h.end for h in rows], pa.date32()),
            "ownership": pa.array([h.kind == OWNERSHIP for h in rows], pa.bool_()),
            "source": pa.array([h.source for h in rows], pa.string()),
        }
    )


def _double(x: float) -> str:
    return f"CAST({x!r} AS DOUBLE)"


def _prepare(engine: Engine, as_of: date, rule: Rule) -> None:
    """``o50_stake``: every kept holding once per reading (``reading`` d: definite, p:
    possible), with its share as it counts (``pct``), as an exact decimal (``amount``:
    the lower or upper bound) and its asset's scaling (``scale``: full_pct over the
    lower bounds' total where they add up to more, else 1), and the over-full total."""
    day = f"DATE '{as_of.isoformat()}'"
    engine.register(
        "o50_kept",
        engine.sql(
            "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY owner, asset, low, "
            "high ORDER BY n) AS rn FROM o50_h WHERE ownership AND (start IS NULL OR "
            f"start <= {day}) AND (stop IS NULL OR stop > {day})) t WHERE rn = 1"
        ),
    )
    full, over = _double(rule.full_pct), _double(rule.full_pct + rule.tolerance_pct)
    engine.register(
        "o50_stake",
        engine.persist(
            engine.sql(
                "SELECT 'd' AS reading, k.owner, k.asset, k.source, k.low_d AS amount, "
                f"CASE WHEN t.total > {over} THEN k.low * {full} / t.total ELSE k.low END "
                f"AS pct, CASE WHEN t.total > {over} THEN {full} / t.total "
                f"ELSE {_double(1.0)} END AS scale, CASE WHEN t.total > {over} THEN t.total "
                "END AS over_full FROM o50_kept k JOIN (SELECT asset, CAST(sum(low_d) AS "
                "DOUBLE) AS total FROM o50_kept GROUP BY asset) t ON t.asset = k.asset "
                "UNION ALL SELECT 'p' AS reading, owner, asset, source, high_d AS amount, "
                f"high AS pct, {_double(1.0)} AS scale, CAST(NULL AS DOUBLE) AS over_full "
                "FROM o50_kept"
            )
        ),
    )


def _held(blocked: str) -> str:
    """Each asset's stake held by the owners in ``blocked`` in each reading (the exact
    sum of their shares, then scaled)."""
    return (
        "SELECT s.reading, s.asset, CAST(sum(s.amount) AS DOUBLE) * min(s.scale) AS held "
        f"FROM o50_stake s JOIN {blocked} b ON b.reading = s.reading AND b.entity = s.owner "
        "GROUP BY s.reading, s.asset"
    )


def _fixpoint(engine: Engine, rule: Rule) -> int:
    """``o50_blocked``: the least blocked set of each reading (``reading``, ``entity``)
    from the roots, round by round (every asset whose blocked owners hold the threshold
    or more), both readings in the same rounds; the rounds taken."""
    bar = _double(rule.threshold_pct - rule.tolerance_pct)
    blocked = engine.persist(
        engine.sql(
            "SELECT DISTINCT r.reading, o.entity FROM o50_roots o CROSS JOIN "
            "(SELECT 'd' AS reading UNION ALL SELECT 'p') r"
        )
    )
    engine.register("o50_was", blocked)
    (size,) = engine.collect(engine.sql("SELECT count(*) AS n FROM o50_was")).to_pylist()
    rounds = 0
    while True:
        rounds += 1
        engine.register("o50_was", blocked)
        grown = engine.persist(
            engine.sql(
                "SELECT reading, entity FROM o50_was UNION SELECT reading, asset FROM "
                f"({_held('o50_was')}) h WHERE held >= {bar}"
            )
        )
        engine.register("o50_now", grown)
        (now,) = engine.collect(engine.sql("SELECT count(*) AS n FROM o50_now")).to_pylist()
        engine.unpersist(blocked)
        blocked = grown
        if now["n"] == size["n"]:
            break
        size = now
    engine.register("o50_blocked", blocked)
    return rounds


def blocked_status_on(
    engine: Engine,
    listed: Iterable[str],
    holdings: Iterable[Holding],
    as_of: date,
    rule: Rule | None = None,
) -> Result:
    """``ofac50.blocked_status`` on ``engine``: the same findings, stakes added as
    exact decimals (the module's note)."""
    rule = rule or default_rule()
    roots = frozenset(listed)
    engine.register("o50_h", engine.from_arrow(holdings_table(holdings)))
    roots_table = pa.table({"entity": pa.array(sorted(roots), pa.string())})
    engine.register("o50_roots", engine.from_arrow(roots_table))
    _prepare(engine, as_of, rule)
    _fixpoint(engine, rule)
    findings = _findings(engine, roots)
    return Result(ALGORITHM, as_of, roots, findings)


def _findings(engine: Engine, roots: frozenset[str]) -> dict[str, Finding]:
    """Every entity of the holdings that is not a root, with its status, both stakes,
    the stakes that give the status and the over-full total."""
    held: dict[tuple[str, str], float] = {
        (r["reading"], r["asset"]): r["held"]
        for r in engine.collect(engine.sql(_held("o50_blocked"))).to_pylist()
    }
    blocked = {
        (r["reading"], r["entity"])
        for r in engine.collect(engine.sql("SELECT * FROM o50_blocked")).to_pylist()
    }
    stakes: dict[tuple[str, str], list[Stake]] = defaultdict(list)
    over: dict[str, float] = {}
    for s in engine.collect(
        engine.sql(
            "SELECT s.reading, s.asset, s.owner, s.pct, s.source, s.over_full FROM o50_stake "
            "s LEFT JOIN o50_blocked b ON b.reading = s.reading AND b.entity = s.owner "
            "WHERE b.entity IS NOT NULL OR s.over_full IS NOT NULL"
        )
    ).to_pylist():
        if s["over_full"] is not None:
            over[s["asset"]] = s["over_full"]
        if (s["reading"], s["owner"]) in blocked:
            stakes[(s["reading"], s["asset"])].append(Stake(s["owner"], s["pct"], s["source"]))
    entities = engine.collect(
        engine.sql("SELECT owner AS entity FROM o50_h UNION SELECT asset FROM o50_h")
    ).column(0)
    findings: dict[str, Finding] = {}
    for entity in sorted(set(entities.to_pylist()) - roots):
        if ("d", entity) in blocked:
            status, reading = BLOCKED, "d"
        elif ("p", entity) in blocked:
            status, reading = POSSIBLY_BLOCKED, "p"
        else:
            status, reading = NOT_BLOCKED, ""
        found = stakes.get((reading, entity), [])
        findings[entity] = Finding(
            entity,
            status,
            definite_pct=held.get(("d", entity), 0.0),
            possible_pct=held.get(("p", entity), 0.0),
            reasons=sorted(found, key=lambda s: (-s.pct, s.owner, s.source)),
            over_full_pct=over.get(entity),
        )
    return findings
