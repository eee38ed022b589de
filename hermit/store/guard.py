"""The plausibility guard of a load: a new version that would remove more than a set
share of a list's entities, names or addresses (``resources/loads.yaml``) is refused
unless the user confirms it, and the refusal says what would go.

It runs inside the load's transaction, on the staged tables (``inc_e``, ``inc_st``),
before anything is changed; the load then raises and the transaction is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb
import yaml

from hermit.errors import StoreError


@dataclass(frozen=True, slots=True)
class GuardRules:
    max_removed_share: float
    min_removed: int
    examples: int
    name_props: tuple[str, ...]
    address_schema: str
    party_schemata: tuple[str, ...]


@cache
def guard_rules() -> GuardRules:
    """The thresholds of ``resources/loads.yaml`` (read once)."""
    path = resources.files("hermit") / "resources" / "loads.yaml"
    section = yaml.safe_load(path.read_text(encoding="utf-8"))["large_change"]
    return GuardRules(
        max_removed_share=float(section["max_removed_share"]),
        min_removed=int(section["min_removed"]),
        examples=int(section["examples"]),
        name_props=tuple(str(p) for p in section["name_props"]),
        address_schema=str(section["address_schema"]),
        party_schemata=tuple(str(p) for p in section["party_schemata"]),
    )


@dataclass(frozen=True, slots=True)
class Removal:
    """What a new version would remove of one kind (entities, names, addresses)."""

    kind: str
    current: int
    removed: int
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.removed / self.current if self.current else 0.0

    def too_large(self, rules: GuardRules) -> bool:
        return self.removed >= rules.min_removed and self.share > rules.max_removed_share


class LargeChangeError(StoreError):
    """A load refused by the guard; ``removals`` are the kinds over the threshold."""

    def __init__(self, dataset: str, files: list[str], removals: list[Removal]) -> None:
        self.dataset = dataset
        self.files = files
        self.removals = removals
        rules = guard_rules()
        parts = []
        for r in removals:
            shown = "; ".join(r.examples)
            more = r.removed - len(r.examples)
            tail = f" and {more:,} more" if more > 0 else ""
            parts.append(
                f"{r.removed:,} of its {r.current:,} {r.kind} ({r.share:.0%}), e.g. {shown}{tail}"
            )
        super().__init__(
            f"{', '.join(files)}: refused: the new version of {dataset} would remove "
            + "; ".join(parts)
            + f" (more than {rules.max_removed_share:.0%} and at least {rules.min_removed} "
            "of a kind: a truncated or incomplete file does that). If the publisher did "
            "remove them, load with --allow-large-change (allow_large_change=true on "
            "POST /admin/lists)."
        )


def removals(con: duckdb.DuckDBPyConnection, dataset: str) -> list[Removal]:
    """What loading the staged version would remove of each kind, with examples."""
    rules = guard_rules()
    params = {
        "ds": dataset,
        "names": list(rules.name_props),
        "addr": rules.address_schema,
        "parties": list(rules.party_schemata),
    }
    cur_e = "SELECT * FROM entities WHERE dataset = $ds AND valid_to IS NULL"
    cur_names = (
        "SELECT DISTINCT entity_id, value FROM statements "
        "WHERE dataset = $ds AND valid_to IS NULL AND list_contains($names, prop)"
    )
    inc_names = "SELECT DISTINCT entity_id, value FROM inc_st WHERE list_contains($names, prop)"
    queries = {
        "entities": (  # listed parties first among the examples
            f"SELECT count(*) FROM ({cur_e})",
            "SELECT (CASE WHEN list_contains($parties, schema) THEN '0' ELSE '1' END) "
            "|| entity_id AS k, caption || ' (' || schema || ' ' || entity_id || ')' AS shown "
            f"FROM ({cur_e}) WHERE entity_id NOT IN (SELECT entity_id FROM inc_e)",
        ),
        "names": (
            f"SELECT count(*) FROM ({cur_names})",
            "SELECT g.entity_id || g.value AS k, '\"' || g.value || '\" of ' || g.entity_id "
            f"AS shown FROM (SELECT * FROM ({cur_names}) EXCEPT SELECT * FROM ({inc_names})) g",
        ),
        "addresses": (
            f"SELECT count(*) FROM ({cur_e}) WHERE schema = $addr",
            f"SELECT entity_id AS k, caption || ' (' || entity_id || ')' AS shown "
            f"FROM ({cur_e}) WHERE schema = $addr "
            "AND entity_id NOT IN (SELECT entity_id FROM inc_e)",
        ),
    }

    def run(sql: str) -> list[tuple[object, ...]]:
        used = {k: v for k, v in params.items() if f"${k}" in sql}  # DuckDB wants no more
        return con.execute(sql, used).fetchall()

    found = []
    for kind, (count_sql, gone_sql) in queries.items():
        current = run(count_sql)
        removed = run(f"SELECT count(*) FROM ({gone_sql})")
        shown = run(f"SELECT shown FROM ({gone_sql}) ORDER BY k LIMIT {rules.examples}")
        found.append(
            Removal(
                kind,
                int(str(current[0][0])),
                int(str(removed[0][0])),
                tuple(str(row[0]) for row in shown),
            )
        )
    return found


def check(con: duckdb.DuckDBPyConnection, dataset: str, files: list[str]) -> None:
    """Raise LargeChangeError if the staged version removes too much of any kind."""
    rules = guard_rules()
    over = [r for r in removals(con, dataset) if r.too_large(rules)]
    if over:
        raise LargeChangeError(dataset, files, over)
