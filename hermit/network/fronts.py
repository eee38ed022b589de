"""Front-company red flags read from the graph's structure (hermit.network.graph) and the
parties' stated facts (hermit.network.profiles): named, versioned detectors, each
finding with its evidence and the source records it rests on. Thresholds:
hermit/resources/network/fronts.yaml.

A *DPRK legal person* is an organisation whose records give DPRK jurisdiction or
country; a *DPRK national* a person whose records give DPRK nationality or citizenship;
a *DPRK firm* a listed party, or a company owned (any stake, any date) by a listed party
or a DPRK legal person.

- ``successor@1``: a company that follows a DPRK firm: named its successor by a
  Succession record, or registered around the dissolution of a dissolved DPRK firm (a
  listed one: any time after its registration) at the same building or with the same
  head or founder (not a nominee of dozens of firms); a successor is a DPRK firm in turn,
  so chains are followed. A DPRK firm renamed in place (a previous name on its record)
  is one too.
- ``proxy_owner@1``: the companies of an owner (a person or firm, not DPRK, not listed)
  who owns at least ``min_linked_companies`` companies each with a DPRK-national, listed
  or DPRK officer.
- ``joint_venture@1``: a company not registered in the DPRK with a DPRK legal person and
  a non-DPRK party among its owners; its opening (the DPRK stake's start, else the
  registration) and closing (dissolution, or the end of the DPRK stakes) dates read
  against UNSCR 2371 para 12 (none opened from 2017-08-05) and 2375 para 18 (closed by
  2018-01-09); a project the resolution exempts (by its name) is not a finding.
- ``all_dprk_officers@1``: a company not registered in the DPRK whose officers and
  individual owners (at least ``min_people``) are all DPRK nationals.
- ``location_mismatch@1``: a company registered in one country (not an offshore centre)
  while its records describe it in another (a database's country, a country named in
  its description), with a path to a listed party (hermit.network.exposure).

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml

from hermit.network.exposure import Network
from hermit.network.flags import Evidence, Finding, fold
from hermit.network.graph import OFFICER, OWNERSHIP, SUCCESSION, Edge, Record
from hermit.network.profiles import Profile, profiles

SUCCESSOR = "successor@1"
PROXY_OWNER = "proxy_owner@1"
JOINT_VENTURE = "joint_venture@1"
ALL_DPRK_OFFICERS = "all_dprk_officers@1"
LOCATION_MISMATCH = "location_mismatch@1"
DETECTORS = (SUCCESSOR, PROXY_OWNER, JOINT_VENTURE, ALL_DPRK_OFFICERS, LOCATION_MISMATCH)


@cache
def settings() -> dict[str, Any]:
    """The reviewed values of hermit/resources/network/fronts.yaml."""
    ref = resources.files("hermit") / "resources" / "network" / "fronts.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class Deadlines:
    """UNSCR 2371 para 12 and 2375 para 18 as the compliance provisions give them."""

    no_new_from: date  # 2371 para 12
    close_by: date  # 2375 para 18
    cite_new: str
    cite_close: str


@cache
def deadlines() -> Deadlines:
    from hermit.compliance.provisions import load_provisions

    rules = load_provisions()
    new, close = rules.get("UNSCR-2371-12"), rules.get("UNSCR-2375-18")
    return Deadlines(new.date("from"), close.date("close_by"), new.citation, close.citation)


class Graph:
    """The build read for the detectors: edges by end, profiles, the listed parties."""

    def __init__(self, records: Iterable[Record], network: Network, listed: list[str]) -> None:
        self.network = network
        build = network.build
        self.profiles: dict[str, Profile] = profiles(records, build)
        self.listed = {build.entity(r) for r in listed}
        self.listed_ids = list(listed)
        self.dprk = str(settings()["dprk"])
        self.owners: dict[str, list[Edge]] = defaultdict(list)  # asset -> edges
        self.assets: dict[str, list[Edge]] = defaultdict(list)  # owner -> edges
        self.officers: dict[str, list[Edge]] = defaultdict(list)  # organisation -> edges
        self.posts: dict[str, list[Edge]] = defaultdict(list)  # person -> edges
        self.addresses: dict[str, list[Edge]] = defaultdict(list)  # node -> its address edges
        self.at: dict[str, list[Edge]] = defaultdict(list)  # address value -> edges
        self.successions: list[Edge] = []
        for edge in build.edges:
            if edge.kind == OWNERSHIP:
                self.owners[edge.target].append(edge)
                self.assets[edge.source].append(edge)
            elif edge.kind == OFFICER:
                self.officers[edge.target].append(edge)
                self.posts[edge.source].append(edge)
            elif edge.kind == "shared_address":
                self.addresses[edge.source].append(edge)
                self.at[edge.target].append(edge)
            elif edge.kind == SUCCESSION:
                self.successions.append(edge)
        self._scores: dict[str, float] | None = None

    def profile(self, node: str) -> Profile | None:
        return self.profiles.get(node)

    def cited(self, node: str) -> str:
        p = self.profiles.get(node)
        fact = p.first("name") if p else None
        return fact.cited if fact else node

    def name(self, node: str) -> str:
        found = self.network.build.nodes.get(node)
        return found.name if found else node

    def is_org(self, node: str) -> bool:
        p = self.profiles.get(node)
        return p is not None and p.is_org

    def dprk_legal(self, node: str) -> Profile | None:
        """The profile when ``node`` is a DPRK legal person."""
        p = self.profiles.get(node)
        if (
            p is not None
            and p.is_org
            and self.dprk in p.values("jurisdiction") | p.values("country")
        ):
            return p
        return None

    def dprk_national(self, node: str) -> Profile | None:
        p = self.profiles.get(node)
        if p is None or p.schema != "Person":
            return None
        return p if self.dprk in p.values("nationality") | p.values("citizenship") else None

    def dprk_fact(self, p: Profile) -> Evidence:
        for prop in ("jurisdiction", "country", "nationality", "citizenship"):
            for fact in p.facts.get(prop, ()):
                if fact.value == self.dprk:
                    return Evidence(f"{p.node} {prop} {fact.value}", fact.cited)
        raise ValueError(f"{p.node}: no DPRK fact")

    def registered_outside(self, node: str) -> bool:
        p = self.profiles.get(node)
        return p is not None and p.is_org and self.dprk not in p.values("jurisdiction")

    def scores(self) -> dict[str, float]:
        if self._scores is None:
            self._scores = self.network.scores(self.listed_ids)
        return self._scores

    def party(self, node: str) -> Evidence | None:
        """Why ``node`` is listed or a DPRK legal person (None: neither)."""
        if node in self.listed:
            return Evidence(f"{node} {self.name(node)!r} is a listed party", self.cited(node))
        p = self.dprk_legal(node)
        return self.dprk_fact(p) if p is not None else None


def _edge(edge: Edge, what: str) -> Evidence:
    return Evidence(what, edge.cites())


def _own(edge: Edge) -> str:
    share = ""
    if edge.low is not None:
        share = (
            f" {edge.low:.4g}%" if edge.low == edge.high else f" {edge.low:.4g}-{edge.high:.4g}%"
        )
    return f"{edge.source} owns{share} of {edge.target}"


# -- successor@1 ---------------------------------------------------------------------------


def _dprk_firm(g: Graph, node: str) -> list[Evidence] | None:
    why = g.party(node)
    if why is not None and node in g.listed:
        return [why]
    for edge in g.owners.get(node, ()):
        owner = g.party(edge.source)
        if owner is not None:
            return [_edge(edge, _own(edge)), owner]
    return None


def _people(g: Graph, node: str, cap: int) -> dict[str, Edge]:
    """The heads and individual founders of ``node`` who are not nominees."""
    found: dict[str, Edge] = {}
    for edge in g.officers.get(node, ()):
        found.setdefault(edge.source, edge)
    for edge in g.owners.get(node, ()):
        p = g.profile(edge.source)
        if p is not None and p.schema == "Person":
            found.setdefault(edge.source, edge)
    return {
        person: edge
        for person, edge in found.items()
        if len({e.target for e in g.posts.get(person, []) + g.assets.get(person, [])}) <= cap
    }


def successor(g: Graph) -> list[Finding]:
    s = settings()["successor"]
    before, after = timedelta(days=int(s["before_days"])), timedelta(days=int(s["after_days"]))
    cap = int(s["max_person_companies"])
    firms: dict[str, list[Evidence]] = {}
    for node, p in g.profiles.items():
        if p.is_org:
            why = _dprk_firm(g, node)
            if why is not None:
                firms[node] = why
    findings: dict[str, Finding] = {}

    def found(node: str, summary: str, evidence: list[Evidence]) -> None:
        if node in findings or node in g.listed or not g.registered_outside(node):
            return
        finding = Finding(SUCCESSOR, node, summary, evidence)
        findings[node] = finding

    # renamed in place
    for node in sorted(firms):
        p = g.profiles[node]
        previous = p.first("previousName")
        if previous is not None:
            found(
                node,
                f"{g.name(node)!r} was renamed (previously {previous.value!r}); a DPRK firm",
                [Evidence(f"previous name {previous.value!r}", previous.cited), *firms[node]],
            )
    frontier = sorted(firms)
    while frontier:
        new: list[str] = []
        for old in frontier:
            for cand, evidence in _successors(g, old, before, after, cap):
                if cand in findings or cand in g.listed or cand == old:
                    continue
                found(
                    cand,
                    f"{g.name(cand)!r} follows DPRK firm {old} {g.name(old)!r}: "
                    + "; ".join(e.what for e in evidence[:1]),
                    [*evidence, *firms[old]],
                )
                if cand in findings and cand not in firms:
                    firms[cand] = [Evidence(f"successor of {old}", evidence[0].record)]
                    new.append(cand)
        frontier = sorted(set(new))
    return [findings[n] for n in sorted(findings)]


def _successors(
    g: Graph, old: str, before: timedelta, after: timedelta, cap: int
) -> list[tuple[str, list[Evidence]]]:
    out: list[tuple[str, list[Evidence]]] = []
    for edge in g.successions:
        if edge.source == old:
            out.append((edge.target, [_edge(edge, f"succession record: {old} -> {edge.target}")]))
    p = g.profiles[old]
    ended = p.day("dissolutionDate")
    listed = old in g.listed
    if ended is None and not listed:
        return out
    opened = p.day("incorporationDate")

    def in_window(cand: str) -> tuple[date, str] | None:
        cp = g.profile(cand)
        day = cp.day("incorporationDate") if cp else None
        if day is None:
            return None
        if ended is not None:
            if ended[0] - before <= day[0] <= ended[0] + after:
                return day[0], day[1].cited
            return None
        if opened is None or day[0] > opened[0]:
            return day[0], day[1].cited
        return None

    # by building, by person: a dissolved firm's successor shares either; a listed firm
    # that goes on trading shares both with its successor (the same head re-registers at
    # its address), one of them alone makes a sister firm, not a successor
    found: tuple[dict[str, list[Evidence]], dict[str, list[Evidence]]] = ({}, {})

    def where(cand: str, evidence: list[Evidence], by: int) -> None:
        window = in_window(cand)
        if window is None or not g.is_org(cand):
            return
        day, cited = window
        end_what = f", {old} dissolved {ended[0]}" if ended else f", {old} listed"
        found[by].setdefault(
            cand, [*evidence, Evidence(f"{cand} registered {day}{end_what}", cited)]
        )

    for edge in g.addresses.get(old, ()):
        for other in g.at.get(edge.target, ()):
            if other.source != old:
                where(
                    other.source,
                    [
                        _edge(other, f"same building {other.value!r}"),
                        _edge(edge, f"{old} at {edge.value!r}"),
                    ],
                    0,
                )
    for person, edge in _people(g, old, cap).items():
        for other in g.posts.get(person, []) + g.assets.get(person, []):
            if other.target != old:
                where(
                    other.target,
                    [
                        _edge(other, f"same person {person} {g.name(person)!r} ({other.kind})"),
                        _edge(edge, f"{person} {edge.kind} of {old}"),
                    ],
                    1,
                )
    by_address, by_person = found
    for cand in sorted(by_address.keys() | by_person.keys()):
        if ended is None and not (cand in by_address and cand in by_person):
            continue
        out.append((cand, by_address.get(cand, []) + by_person.get(cand, [])))
    return out


# -- proxy_owner@1 -------------------------------------------------------------------------


def _link(g: Graph, company: str) -> list[Evidence]:
    """Why ``company`` is run for the DPRK (empty: it is not): a DPRK-national, listed or
    DPRK officer. A DPRK co-owner makes a joint venture (joint_venture@1), and its
    partner in several is not thereby a proxy."""
    for edge in g.officers.get(company, ()):
        national = g.dprk_national(edge.source)
        if national is not None:
            return [
                _edge(edge, f"officer {edge.source} {g.name(edge.source)!r}"),
                g.dprk_fact(national),
            ]
    for edge in g.officers.get(company, ()):
        why = g.party(edge.source)
        if why is not None:
            return [_edge(edge, f"{edge.kind} {edge.source}"), why]
    return []


def proxy_owner(g: Graph) -> list[Finding]:
    least = int(settings()["proxy_owner"]["min_linked_companies"])
    findings: dict[str, Finding] = {}
    for owner in sorted(g.assets):
        if g.party(owner) is not None or g.dprk_national(owner) is not None:
            continue
        held: dict[str, Edge] = {}
        for edge in g.assets[owner]:
            if g.registered_outside(edge.target):
                held.setdefault(edge.target, edge)
        linked = {c: why for c in sorted(held) if (why := _link(g, c))}
        if len(linked) < least:
            continue
        others = ", ".join(sorted(linked))
        for company, why in linked.items():
            if company in findings or company in g.listed:
                continue
            edge = held[company]
            findings[company] = Finding(
                PROXY_OWNER,
                company,
                f"owned by {owner} {g.name(owner)!r}, owner of {len(linked)} DPRK-linked "
                f"companies ({others})",
                [
                    _edge(edge, _own(edge)),
                    *why,
                    *(_edge(held[c], _own(held[c])) for c in sorted(linked) if c != company),
                ],
            )
    return [findings[n] for n in sorted(findings)]


# -- joint_venture@1 -----------------------------------------------------------------------


@cache
def _exempt() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    raw = settings()["joint_venture"]["exempt"]
    return tuple(
        (key, str(v["what"]), tuple(f for f in (fold(str(x)) for x in v["forms"]) if f))
        for key, v in raw.items()
    )


def joint_venture(g: Graph) -> list[Finding]:
    rules = deadlines()
    as_of = g.network.as_of
    findings: list[Finding] = []
    for company in sorted(g.owners):
        if not g.registered_outside(company) or company in g.listed:
            continue
        dprk: list[Edge] = []
        partners: list[Edge] = []
        for edge in g.owners[company]:
            if g.dprk_legal(edge.source) is not None:
                dprk.append(edge)
            elif g.dprk_national(edge.source) is None:
                partners.append(edge)
        if not dprk or not partners:
            continue
        p = g.profiles[company]
        names = [fold(f.value) for prop in ("name", "alias") for f in p.facts.get(prop, ())]
        if any(form in n for _k, _w, forms in _exempt() for form in forms for n in names):
            continue
        starts = [e.start for e in dprk if e.start is not None]
        registered = p.day("incorporationDate")
        opened = min(starts) if starts else (registered[0] if registered else None)
        dissolved = p.day("dissolutionDate")
        ends = [e.end for e in dprk]
        closed: date | None = dissolved[0] if dissolved else None
        if closed is None and ends and all(e is not None for e in ends):
            closed = max(e for e in ends if e is not None)
        status: list[str] = []
        if opened is not None and opened >= rules.no_new_from:
            status.append(f"opened {opened}, on or after {rules.no_new_from} ({rules.cite_new})")
        if (closed is None or closed > rules.close_by) and as_of > rules.close_by:
            what = f"closed {closed}" if closed else f"still operating on {as_of}"
            status.append(f"{what}, after {rules.close_by} ({rules.cite_close})")
        if not status and closed is not None:
            status.append(f"closed {closed}, by {rules.close_by}: in time ({rules.cite_close})")
        elif not status:
            status.append(
                f"operating on {as_of}, to close by {rules.close_by} ({rules.cite_close})"
            )
        partner_names = ", ".join(f"{e.source} {g.name(e.source)!r}" for e in dprk)
        evidence: list[Evidence] = []
        for edge in dprk:
            evidence.append(_edge(edge, _own(edge) + (f" from {edge.start}" if edge.start else "")))
            legal = g.dprk_legal(edge.source)
            assert legal is not None
            evidence.append(g.dprk_fact(legal))
        evidence += [_edge(e, _own(e)) for e in partners[:3]]
        if registered:
            evidence.append(Evidence(f"registered {registered[0]}", registered[1].cited))
        if dissolved:
            evidence.append(Evidence(f"dissolved {dissolved[0]}", dissolved[1].cited))
        findings.append(
            Finding(
                JOINT_VENTURE,
                company,
                f"joint venture with DPRK {partner_names}: opened {opened or '?'}, "
                f"closed {closed or '-'}; " + "; ".join(status),
                evidence,
            )
        )
    return findings


# -- all_dprk_officers@1 -------------------------------------------------------------------


def all_dprk_officers(g: Graph) -> list[Finding]:
    least = int(settings()["all_dprk_officers"]["min_people"])
    findings: list[Finding] = []
    for company, p in sorted(g.profiles.items()):
        if not g.registered_outside(company) or company in g.listed:
            continue
        people: dict[str, Edge] = {}
        for edge in g.officers.get(company, []) + g.owners.get(company, []):
            other = g.profile(edge.source)
            if other is not None and other.schema == "Person":
                people.setdefault(edge.source, edge)
        if len(people) < least:
            continue
        facts = {n: g.dprk_national(n) for n in people}
        if not all(f is not None for f in facts.values()):
            continue
        evidence: list[Evidence] = []
        for person, edge in sorted(people.items()):
            national = facts[person]
            assert national is not None
            evidence += [
                _edge(edge, f"{edge.kind} {person} {g.name(person)!r}"),
                g.dprk_fact(national),
            ]
        where = ", ".join(sorted(p.values("jurisdiction")))
        findings.append(
            Finding(
                ALL_DPRK_OFFICERS,
                company,
                f"registered in {where}; all {len(people)} officers and individual owners are "
                "DPRK nationals",
                evidence,
            )
        )
    return findings


# -- location_mismatch@1 -------------------------------------------------------------------


@cache
def _country_names() -> tuple[re.Pattern[str], dict[str, str]]:
    from hermit.model.countries import table

    shortest = int(settings()["location_mismatch"]["min_name_length"])
    names = {n: c for n, c in table().items() if c and len(n) >= shortest}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)"), names


def location_mismatch(g: Graph) -> list[Finding]:
    offshore = {str(c) for c in settings()["location_mismatch"]["offshore"]}
    pattern, names = _country_names()
    scores = g.scores()
    findings: list[Finding] = []
    for company, p in sorted(g.profiles.items()):
        if not p.is_org or company in g.listed or scores.get(company, 0.0) <= 0.0:
            continue
        registered = p.values("jurisdiction")
        if not registered or registered & (offshore | {g.dprk}):
            continue
        described: list[tuple[str, Evidence]] = []
        for fact in p.facts.get("country", ()):
            if fact.value not in registered:
                described.append(
                    (fact.value, Evidence(f"described in country {fact.value}", fact.cited))
                )
        for fact in p.facts.get("description", ()):
            for m in pattern.finditer(fact.value.casefold()):
                code = names[m.group(1)]
                if code not in registered:
                    described.append((code, Evidence(f"description {fact.value!r}", fact.cited)))
        if not described:
            continue
        where = p.first("jurisdiction")
        assert where is not None
        path = g.network.exposure(company, g.listed_ids, paths=1).paths[0]
        elsewhere = sorted({code for code, _e in described})
        finding = Finding(
            LOCATION_MISMATCH,
            company,
            f"registered in {', '.join(sorted(registered))} but described in "
            f"{', '.join(elsewhere)}; reaches listed party {path.listed} in {len(path.steps)} "
            f"steps (exposure {path.score:.2f})",
            [Evidence(f"jurisdiction {where.value}", where.cited), *(e for _c, e in described)],
        )
        finding.evidence += [Evidence(step.describe(), step.edge.cites()) for step in path.steps]
        findings.append(finding)
    return findings


def detect(records: Iterable[Record], network: Network, listed: list[str]) -> list[Finding]:
    """The findings of all five detectors of this module."""
    g = Graph(records, network, listed)
    return (
        successor(g)
        + proxy_owner(g)
        + joint_venture(g)
        + all_dprk_officers(g)
        + location_mismatch(g)
    )
