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
same" with what kept it apart, for an analyst to judge.

Analysts' judgements (judgements.py) come first: the links of pairs judged the same are
taken before any score and are not refused by the records' negative evidence (the
analyst saw it); pairs judged not the same are cannot-links on the entities (``apart``):
no link, and no chain of links, puts their records in one entity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from hermit.resolve.links import JUDGED, POSSIBLE, SAME, Link, Reason

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


def conflicts(a: Held, b: Held) -> list[str]:
    """What keeps two entities apart (what each holds: exclusive_ids and consistency,
    merged), one line a disagreement; empty when nothing does."""
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


def _judged(link: Link) -> bool:
    """A link an analyst accepted (judgements.constrain): joined before any score."""
    return link.tier == SAME and any(r.comparison == JUDGED for r in link.reasons)


def cluster(
    ids: list[str],
    links: list[Link],
    held: Mapping[str, Held],
    *,
    apart: Iterable[tuple[str, str]] = (),
    start: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], list[Link]]:
    """record id -> cluster id, and the links with the tier of those refused set to
    POSSIBLE. ``held``: record id -> what it holds (exclusive_ids and consistency,
    merged). ``apart``: pairs of records an analyst judged not the same, never in one
    entity (a cannot-link, on the entities as joined so far: no chain of links puts
    them together). Links an analyst accepted (a JUDGED reason, tier SAME) are taken
    first and are not refused by the records' negative evidence (the analyst saw it),
    only by ``apart``. ``start``: record id -> entity id of entities kept as they are
    (incremental.py; an entity keeps its id when it grows); without it every record
    starts alone and an entity's id is its smallest record id."""
    start = start or {}
    fixed = set(start.values())
    parent = {i: start.get(i, i) for i in ids}
    for entity in fixed:
        parent.setdefault(entity, entity)

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holds: dict[str, dict[str, frozenset[str]]] = {}
    for i in ids:
        mine = holds.setdefault(root(i), {})
        for key, values in held.get(i, {}).items():
            mine[key] = mine.get(key, frozenset()) | values
    barred: dict[str, set[tuple[str, str]]] = {}  # entity -> (its record, one it is not)
    for a, b in apart:
        if a in parent and b in parent:
            barred.setdefault(root(a), set()).add((a, b))
            barred.setdefault(root(b), set()).add((b, a))
    out: list[Link] = []
    order = sorted(
        links, key=lambda k: (not _judged(k), -k.probability, -k.match_weight, k.left, k.right)
    )
    for link in order:
        if link.tier != SAME:
            out.append(link)
            continue
        ra, rb = root(link.left), root(link.right)
        if ra == rb:
            out.append(link)
            continue
        kept_apart = sorted(
            "{} and {}".format(*sorted(pair)) for pair in barred.get(ra, ()) if root(pair[1]) == rb
        )
        if kept_apart:
            conflict = [f"an analyst judged {'; '.join(kept_apart)} not the same"]
        else:
            conflict = [] if _judged(link) else conflicts(holds.get(ra, {}), holds.get(rb, {}))
        if conflict:
            why = Reason(REFUSED, "; ".join(conflict), 0.0)
            out.append(replace(link, tier=POSSIBLE, reasons=(*link.reasons, why)))
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        if gone in fixed and keep not in fixed:
            keep, gone = gone, keep  # a kept entity keeps its id
        parent[gone] = keep
        mine = holds.setdefault(keep, {})
        for key, values in holds.pop(gone, {}).items():
            mine[key] = mine.get(key, frozenset()) | values
        barred.setdefault(keep, set()).update(barred.pop(gone, set()))
        out.append(link)
    return {i: root(i) for i in ids}, sorted(out, key=lambda k: (k.left, k.right))
