"""Negative evidence at the level of entities (hermit.resolve.cluster): two entities
that hold different exclusive identifiers, two genders, or region codes of one country
with none in common are never joined, however the chain of links between their
records runs; the refused link is kept as "possibly the same", saying why. Analysts'
judgements the same way: a rejected pair is a cannot-link on the entities, an accepted
one joins first."""

from __future__ import annotations

import datetime as dt

from hermit.resolve.cluster import REFUSED, cluster, consistency, exclusive_ids
from hermit.resolve.links import JUDGED, POSSIBLE, SAME, Link, Reason


def _link(a: str, b: str, probability: float) -> Link:
    return Link(a, b, "person", 10.0, probability, (Reason("name", "same name", 10.0),), SAME)


def _why(links: list[Link], a: str, b: str) -> str:
    (link,) = [k for k in links if (k.left, k.right) == (a, b)]
    assert link.tier == POSSIBLE
    (reason,) = [r for r in link.reasons if r.comparison == REFUSED]
    return reason.level


def test_a_chain_of_links_does_not_join_two_genders() -> None:
    # a (male) - b (no gender) - c (female): each link alone has no conflict
    held = {"a": consistency("male", ()), "b": {}, "c": consistency("female", ())}
    clusters, links = cluster(["a", "b", "c"], [_link("a", "b", 0.99), _link("b", "c", 0.98)], held)
    assert clusters == {"a": "a", "b": "a", "c": "c"}
    assert _why(links, "b", "c") == "different genders: male / female"


def test_regions_must_share_a_code_within_one_country() -> None:
    held = {
        "a": consistency("male", ["cn:2301"]),
        "b": consistency("male", ["cn:2102"]),
        "c": consistency("male", ["cn:2301", "cn:2102"]),  # companies in both cities
        "d": consistency("male", ["ru:25"]),  # another country's region: no conflict
    }
    links = [_link("a", "b", 0.999), _link("a", "c", 0.99), _link("b", "c", 0.98)]
    clusters, out = cluster(["a", "b", "c"], links, held)
    assert _why(out, "a", "b") == "no region in common: cn:2301 / cn:2102"
    # a and c share Harbin's code; then b shares Dalian's with the entity of a and c
    assert clusters == {"a": "a", "b": "a", "c": "a"}
    clusters, _ = cluster(["a", "d"], [_link("a", "d", 0.99)], held)
    assert clusters["d"] == "a"


def test_identifiers_genders_and_regions_said_together() -> None:
    a = {**exclusive_ids(["inn:1", "ogrn:5"], frozenset({"inn"})), **consistency("male", ["ru:25"])}
    b = {**exclusive_ids(["inn:2"], frozenset({"inn"})), **consistency("female", ["ru:27"])}
    clusters, links = cluster(["a", "b"], [_link("a", "b", 0.99)], {"a": a, "b": b})
    assert clusters == {"a": "a", "b": "b"}
    assert _why(links, "a", "b") == (
        "different genders: male / female; different identifiers: inn 1 / 2; "
        "no region in common: ru:25 / ru:27"
    )


def _judged(link: Link, decision: str) -> Link:
    from hermit.resolve import judgements as jg

    j = jg.Judgement(link.left, link.right, decision, "ana", "checked", dt.datetime(2026, 1, 2))
    (out,) = jg.apply([link], {(link.left, link.right): j})
    return out


def test_a_rejected_pair_is_kept_apart_through_any_chain() -> None:
    # a - b - c - d, each link strong; a and d judged not the same: one link of the
    # chain is refused (the weakest that would join them), the rest join
    links = [_link("a", "b", 0.99), _link("b", "c", 0.97), _link("c", "d", 0.98)]
    clusters, out = cluster(["a", "b", "c", "d"], links, {}, apart=[("a", "d")])
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "c"}
    assert _why(out, "b", "c") == "an analyst judged a and d not the same"
    # without the judgement the four are one entity
    assert set(cluster(["a", "b", "c", "d"], links, {})[0].values()) == {"a"}


def test_an_accepted_pair_joins_first_and_over_negative_evidence() -> None:
    held = {"a": consistency("male", ()), "b": consistency("female", ()), "c": {}}
    weak = _judged(Link("a", "b", "person", -3.0, 0.1, (), POSSIBLE), "same")
    assert weak.tier == SAME
    # c links strongly to b, yet a and b were accepted first: c joins them both
    clusters, out = cluster(["a", "b", "c"], [_link("b", "c", 0.99), weak], held)
    assert set(clusters.values()) == {"a"}
    (kept,) = [k for k in out if (k.left, k.right) == ("a", "b")]
    assert kept.tier == SAME and kept.reasons[-1].comparison == JUDGED
    # a rejection outweighs a strong link taken after the acceptance
    apart = [("a", "c")]
    clusters, out = cluster(["a", "b", "c"], [_link("b", "c", 0.99), weak], held, apart=apart)
    assert clusters == {"a": "a", "b": "a", "c": "c"}
    assert _why(out, "b", "c") == "an analyst judged a and c not the same"
    # and two acceptances that contradict it through a chain: the later one is refused
    other = _judged(Link("b", "c", "person", -4.0, 0.05, (), POSSIBLE), "same")
    clusters, out = cluster(["a", "b", "c"], [other, weak], held, apart=apart)
    assert clusters == {"a": "a", "b": "a", "c": "c"}
    assert _why(out, "b", "c") == "an analyst judged a and c not the same"


def test_entities_kept_as_they_were_grow_under_their_own_ids() -> None:
    # incremental.py: z and y were one entity "y"; new record a links to z
    start = {"z": "y", "y": "y"}
    clusters, _ = cluster(["a", "y", "z"], [_link("a", "z", 0.99)], {}, start=start)
    assert clusters == {"a": "y", "y": "y", "z": "y"}
