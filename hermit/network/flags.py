"""Front-company red flags: named, versioned detectors over the network graph, each
finding with its evidence and the source records it rests on.

- ``dprk_name@1``: a company or organization whose name (in any script) holds a DPRK
  place name or state symbol of the reviewed list (hermit/resources/network/
  dprk_words.yaml: Myohyangsan / Мехянсан, Kumgangsan, Paektusan, Chollima, Mansudae ...)
  *and* that has a path to a listed party (hermit.network.exposure). The name alone is
  not enough: South Korean-owned firms and ethnic Koreans of Russia name their companies
  with Korean words too (Кымгансан Тур); without a tie to a listed party they are not
  flagged. The evidence cites the record that bears the name, the word and its source,
  and every record of the path.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from anyascii import anyascii

from hermit.network.exposure import Network
from hermit.network.graph import Edge, Record

DPRK_NAME = "dprk_name@1"
_NAMED = frozenset({"Company", "Organization", "LegalEntity"})


@dataclass(frozen=True, slots=True)
class Word:
    word: str
    source: str
    forms: tuple[str, ...]  # folded


def fold(text: str) -> str:
    """A name read in Latin letters (anyascii), lower case, letters only."""
    return "".join(ch for ch in anyascii(text).casefold() if ch.isalpha())


@cache
def dprk_words() -> tuple[Word, ...]:
    """The reviewed word list of hermit/resources/network/dprk_words.yaml."""
    ref = resources.files("hermit") / "resources" / "network" / "dprk_words.yaml"
    data: dict[str, Any] = yaml.safe_load(ref.read_text(encoding="utf-8"))
    return tuple(
        Word(
            str(w["word"]),
            str(w["source"]),
            tuple(sorted({fold(str(f)) for f in w["forms"]} - {""}, key=len, reverse=True)),
        )
        for w in data["words"]
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact a finding rests on, and the record it comes from."""

    what: str
    record: str  # record id (file, row)


@dataclass
class Finding:
    detector: str
    entity: str
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


def dprk_name(records: Iterable[Record], network: Network, listed: list[str]) -> list[Finding]:
    """The ``dprk_name@1`` findings among ``records`` (one per entity: its first name
    that holds a word), a path to one of ``listed`` required."""
    words = dprk_words()
    named: dict[str, tuple[Word, str, str]] = {}
    for record_id, schema, file, row, entity in records:
        if schema not in _NAMED:
            continue
        node = network.build.entity(record_id)
        if node in named:
            continue
        props = entity.get("properties") or {}
        for name in list(props.get("name") or []) + list(props.get("alias") or []):
            folded = fold(str(name))
            hit = next((w for w in words if any(f in folded for f in w.forms)), None)
            if hit is not None:
                named[node] = (hit, str(name), f"{record_id} ({file}, row {row})")
                break
    roots = set(network.build.entity(r) for r in listed)
    scores = network.scores(listed)
    findings: list[Finding] = []
    for node, (word, name, cited) in sorted(named.items()):
        if node in roots or scores.get(node, 0.0) <= 0.0:
            continue
        path = network.exposure(node, listed, paths=1).paths[0]
        finding = Finding(
            DPRK_NAME,
            node,
            f"{name!r} holds {word.word} and reaches listed party {path.listed} "
            f"in {len(path.steps)} steps (exposure {path.score:.2f})",
        )
        finding.evidence.append(Evidence(f"name {name!r}: {word.word} ({word.source})", cited))
        for step in path.steps:
            finding.evidence.append(Evidence(step.describe(), step.edge.cites()))
        findings.append(finding)
    return findings


DPRK_MISSION_ADDRESS = "dprk_mission_address@1"
_MISSIONS = frozenset({"PublicBody", "Organization"})


def dprk_mission_address(records: Iterable[Record], network: Network) -> list[Finding]:
    """The ``dprk_mission_address@1`` findings: companies registered in the building of a
    DPRK diplomatic or trade mission (a public body or organization of DPRK jurisdiction
    among the records, such as the reference list of missions), through the graph's
    shared-address edges (the building key of hermit.network.shared: another house on
    the same street is another building)."""
    build = network.build
    missions: dict[str, str] = {}
    for record_id, schema, file, row, entity in records:
        props = entity.get("properties") or {}
        if schema in _MISSIONS and "kp" in (props.get("jurisdiction") or []):
            name = str((props.get("name") or [record_id])[0])
            missions[build.entity(record_id)] = f"{name} [{record_id} ({file}, row {row})]"
    holders: dict[str, list[Edge]] = {}
    for edge in build.edges:
        if edge.kind == "shared_address":
            holders.setdefault(edge.target, []).append(edge)
    findings: list[Finding] = []
    for _value, edges in sorted(holders.items()):
        at_mission = [e for e in edges if e.source in missions]
        if not at_mission:
            continue
        mission = at_mission[0]
        for edge in edges:
            node = build.nodes.get(edge.source)
            if edge.source in missions or node is None or node.schema not in _NAMED:
                continue
            finding = Finding(
                DPRK_MISSION_ADDRESS,
                edge.source,
                f"registered at {edge.value!r}, the building of {missions[mission.source]}",
            )
            finding.evidence.append(Evidence(f"address {edge.value!r}", edge.cites()))
            finding.evidence.append(
                Evidence(f"mission {mission.source} at {mission.value!r}", mission.cites())
            )
            findings.append(finding)
    return findings
