"""Clusters from the links, with negative evidence: the links at or above the link
probability are taken strongest first (probability, then match weight, then the
records' ids, so a run is reproducible), and each joins its two records' entities
unless the two entities hold different valid identifiers of one exclusive scheme (an
entity has one INN, one OGRN, one USCC: two different ones are two companies, whatever
their names say). A refused link is kept as "possibly the same" with the identifiers
that kept it apart, for an analyst to judge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from hermit.resolve.links import POSSIBLE, SAME, Link, Reason

#: The reason's comparison name of a link refused by negative evidence.
REFUSED = "negative evidence"


def exclusive_ids(ids: Iterable[str], schemes: frozenset[str]) -> dict[str, frozenset[str]]:
    """scheme -> values of a record's valid identifiers (``scheme:value``) of the
    exclusive schemes."""
    out: dict[str, set[str]] = {}
    for ident in ids:
        scheme, _, value = ident.partition(":")
        if scheme in schemes:
            out.setdefault(scheme, set()).add(value)
    return {s: frozenset(v) for s, v in out.items()}


def _conflict(a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]]) -> list[str]:
    return sorted(
        f"{scheme} {', '.join(sorted(a[scheme]))} / {', '.join(sorted(b[scheme]))}"
        for scheme in a.keys() & b.keys()
        if a[scheme] != b[scheme]
    )


def cluster(
    ids: list[str], links: list[Link], held: Mapping[str, Mapping[str, frozenset[str]]]
) -> tuple[dict[str, str], list[Link]]:
    """record id -> cluster id (its entity's smallest record id), and the links with
    the tier of those refused by negative evidence set to POSSIBLE. ``held``: record id
    -> its exclusive identifiers (exclusive_ids)."""
    parent = {i: i for i in ids}
    holds: dict[str, dict[str, frozenset[str]]] = {i: dict(held.get(i, {})) for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    out: list[Link] = []
    order = sorted(links, key=lambda k: (-k.probability, -k.match_weight, k.left, k.right))
    for link in order:
        if link.tier != SAME:
            out.append(link)
            continue
        ra, rb = root(link.left), root(link.right)
        if ra == rb:
            out.append(link)
            continue
        conflict = _conflict(holds[ra], holds[rb])
        if conflict:
            why = Reason(REFUSED, "different identifiers: " + "; ".join(conflict), 0.0)
            out.append(replace(link, tier=POSSIBLE, reasons=(*link.reasons, why)))
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        merged = holds.pop(gone)
        for scheme, values in merged.items():
            holds[keep][scheme] = holds[keep].get(scheme, frozenset()) | values
        out.append(link)
    return {i: root(i) for i in ids}, sorted(out, key=lambda k: (k.left, k.right))
