"""Clusters from the links, with negative evidence: the links at or above the link
probability are taken strongest first (probability, then match weight, then the
records' ids, so a run is reproducible), and each joins its two records' entities
unless the two entities, as joined so far, disagree:

- they hold different valid identifiers of one exclusive scheme (an entity has one
  INN, one OGRN, one USCC: two different ones are two companies, whatever their names
  say);
- they hold two genders (people);
- they hold region codes of one country and none in common (a company's own, read from
  its identifiers; a person's, those of the companies the person is attached to:
  features.regions). A person may hold companies in two regions; two entities of
  which neither shares a region with the other are, on the dev registry's labels, one
  person in under 1.5 % of the pairs of namesakes (BENCHMARKS.md, hermit-resolve@4);
  hermit-resolve@5 refuses these joins.

The check is made on the entities, not the two records: a chain of links, each between
two records that do not disagree, cannot put a man and a woman (or Harbin's and
Dalian's companies' officers) into one entity. A refused link is kept as "possibly the
same" with what kept it apart, for an analyst to judge."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from hermit.resolve.links import POSSIBLE, SAME, Link, Reason

#: The reason's comparison name of a link refused by negative evidence.
REFUSED = "negative evidence"
#: The key of the gender an entity holds (cluster's ``held``).
GENDER = "gender"
#: The key prefix of the region codes of one country an entity holds: ``region cn``.
REGION = "region "

Held = Mapping[str, frozenset[str]]


def exclusive_ids(ids: Iterable[str], schemes: frozenset[str]) -> dict[str, frozenset[str]]:
    """scheme -> values of a record's valid identifiers (``scheme:value``) of the
    exclusive schemes."""
    out: dict[str, set[str]] = {}
    for ident in ids:
        scheme, _, value = ident.partition(":")
        if scheme in schemes:
            out.setdefault(scheme, set()).add(value)
    return {s: frozenset(v) for s, v in out.items()}


def consistency(gender: str | None, regions: Iterable[str]) -> dict[str, frozenset[str]]:
    """The gender and the region codes (``country:code``) a record holds, as cluster's
    ``held`` keys (merged with exclusive_ids')."""
    out: dict[str, set[str]] = {}
    if gender:
        out[GENDER] = {gender}
    for code in regions:
        country, _, _ = code.partition(":")
        out.setdefault(REGION + country, set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def _disagree(key: str, a: frozenset[str], b: frozenset[str]) -> bool:
    if key.startswith(REGION):
        return not a & b
    return a != b


def _conflict(a: Held, b: Held) -> list[str]:
    out = []
    for key in sorted(a.keys() & b.keys()):
        if not _disagree(key, a[key], b[key]):
            continue
        values = f"{', '.join(sorted(a[key]))} / {', '.join(sorted(b[key]))}"
        if key == GENDER:
            out.append(f"different genders: {values}")
        elif key.startswith(REGION):
            out.append(f"no region in common: {values}")
        else:
            out.append(f"different identifiers: {key} {values}")
    return out


def cluster(
    ids: list[str], links: list[Link], held: Mapping[str, Held]
) -> tuple[dict[str, str], list[Link]]:
    """record id -> cluster id (its entity's smallest record id), and the links with
    the tier of those refused by negative evidence set to POSSIBLE. ``held``: record id
    -> what it holds (exclusive_ids and consistency, merged)."""
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
            why = Reason(REFUSED, "; ".join(conflict), 0.0)
            out.append(replace(link, tier=POSSIBLE, reasons=(*link.reasons, why)))
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        parent[gone] = keep
        merged = holds.pop(gone)
        for key, values in merged.items():
            holds[keep][key] = holds[keep].get(key, frozenset()) | values
        out.append(link)
    return {i: root(i) for i in ids}, sorted(out, key=lambda k: (k.left, k.right))
