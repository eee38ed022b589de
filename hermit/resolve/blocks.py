"""The blocks of a trained model's rules as keys, so that the records in a new record's
blocks are found without comparing anything: a rule of equalities (``l."a" = r."a" AND
l."b" = r."b"``, at most one of them over an exploded list) puts two records in one
block when they share a key, its values of those columns joined by ``|`` (one key for
each element of the exploded list). The same keys are made in Python for a row
(row_keys) and in SQL for a table of rows (keys_sql)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hermit.errors import ModelError

_EQUAL = re.compile(r'^l\."(\w+)" = r\."\1"$')


@dataclass(frozen=True, slots=True)
class Rule:
    index: int  # its place among the model's rules (the key's first part)
    columns: tuple[str, ...]
    exploded: str | None  # the column read as a list, one key an element


def rules(trained: dict[str, Any]) -> list[Rule]:
    """The blocking rules of a Splink model (its JSON) as Rules (ModelError for a rule
    that is not a conjunction of equalities of one column on both sides)."""
    out: list[Rule] = []
    for index, rule in enumerate(trained.get("blocking_rules_to_generate_predictions") or []):
        text = rule["blocking_rule"] if isinstance(rule, dict) else str(rule)
        exploded = list(rule.get("arrays_to_explode") or []) if isinstance(rule, dict) else []
        columns = []
        for part in text.split(" AND "):
            match = _EQUAL.match(part.strip())
            if match is None:
                raise ModelError(f"blocking rule {text!r}: only equalities of columns are read")
            columns.append(match.group(1))
        if len(exploded) > 1 or any(c not in columns for c in exploded):
            raise ModelError(f"blocking rule {text!r}: one exploded column of the rule at most")
        out.append(Rule(index, tuple(columns), exploded[0] if exploded else None))
    return out


def row_keys(row: dict[str, Any], found: list[Rule]) -> set[tuple[int, str]]:
    """The keys of one row (a column null in the row: no key of that rule)."""
    out: set[tuple[int, str]] = set()
    for rule in found:
        fixed = [row.get(c) for c in rule.columns if c != rule.exploded]
        if any(v is None for v in fixed):
            continue
        rest = "|".join(str(v) for v in fixed)
        if rule.exploded is None:
            out.add((rule.index, rest))
            continue
        for element in row.get(rule.exploded) or ():
            out.add((rule.index, f"{element}|{rest}" if rest else str(element)))
    return out


def keys_sql(found: list[Rule], table: str) -> str:
    """SQL of the keys of every row of ``table``: unique_id, rule, key."""
    parts = []
    for rule in found:
        fixed = [f'"{c}"' for c in rule.columns if c != rule.exploded]
        values = [*(["e"] if rule.exploded else []), *fixed]
        key = values[0] if len(values) == 1 else f"concat_ws('|', {', '.join(values)})"
        where = " AND ".join(f"{c} IS NOT NULL" for c in fixed) or "true"
        if rule.exploded is None:
            parts.append(
                f"SELECT unique_id, {rule.index} AS rule, {key} AS key FROM {table} WHERE {where}"
            )
            continue
        selected = ", ".join(["unique_id", *fixed, f'unnest("{rule.exploded}") AS e'])
        inner = f"SELECT {selected} FROM {table} WHERE {where}"
        parts.append(f"SELECT unique_id, {rule.index} AS rule, {key} AS key FROM ({inner})")
    return "\nUNION ALL\n".join(parts)
