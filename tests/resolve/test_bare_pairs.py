"""bench/resolve_bare_pairs.py's count of bare same-name pairs against the labels."""

from __future__ import annotations

from typing import Any

from bench.resolve_bare_pairs import bare_pairs


def _row(uid: str, key: str, country: str | None, **evidence: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"unique_id": uid, "name_key": key, "country": country}
    for column in ("ids", "weak_ids", "date", "address_numbers"):
        row[column] = evidence.get(column)
    return row


def test_bare_pairs_counts_only_same_country_pairs_with_a_bare_record() -> None:
    rows = [
        _row("a", "tangun trading", "kp"),
        _row("b", "tangun trading", "kp"),
        _row("c", "tangun trading", "cn"),  # another country: left out
        _row("d", "mega logistik", "ru", ids=["inn:1"]),
        _row("e", "mega logistik", "ru", date="2001"),  # neither bare: left out
        _row("f", "mega logistik", "ru"),
    ]
    schema = {"a": "Organization", "b": "Organization", "c": "Company"}
    schema.update({k: "Company" for k in "def"})
    truth = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "3", "f": "2"}
    found = bare_pairs(rows, schema, truth)
    assert dict(found) == {
        ("Organization/Organization", "3", "kp"): [1, 1],
        ("Company/Company", "3", "ru"): [2, 1],  # d-f one entity, e-f two
    }
