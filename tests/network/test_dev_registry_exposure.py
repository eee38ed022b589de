"""Exposure on the dev registry's labels: every record of entities.ftm.jsonl.gz in the
graph (hermit.network.graph), record ids replaced by the ground-truth clusters
(labels/truth_clusters.csv, a perfect resolution), the listed parties of
labels/listed_entities.csv as roots, as of the extract date. The planted DPRK-linked
companies (is_front) against all other company clusters, the hard negatives among them:
ROC-AUC at least 0.95 (the quality floor of issue 13). The red flags on the same graph:
per detector recall at least 0.90 and precision at least 0.80 against its typology, no
hard negative flagged, every finding's evidence citing records of the data (listed_officer
with its officers screened against the real lists of ``lists_store``)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from hermit.network import fronts
from hermit.network.evaluate import roc_auc
from hermit.network.exposure import Network
from hermit.network.flags import Finding, dprk_mission_address, dprk_name
from hermit.network.graph import Record, build, file_records
from hermit.network.listed_officers import LISTED_OFFICER, listed_officers
from tests.conftest import shared_data_dir

REGISTRY = shared_data_dir() / "registry"


def _csv(name: str) -> list[dict[str, str]]:
    with (REGISTRY / "labels" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _records() -> Iterator[Record]:
    return file_records(REGISTRY / "entities.ftm.jsonl.gz")


Dev = tuple[list[Record], Network, list[str]]


@pytest.fixture(scope="module")
def dev() -> Dev:
    if not REGISTRY.exists():
        pytest.skip("no shared dev registry")
    clusters = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    records = list(_records())
    graph = build(records, clusters)
    assert len(graph.suppressed) >= 2  # the two registered-agent hubs at least
    listed = sorted({r["cluster_id"] for r in _csv("listed_entities.csv")})
    return records, Network(graph, date(2024, 6, 1)), listed


def test_planted_fronts_rank_above_clean_firms(dev: Dev) -> None:
    network, listed = dev[1], dev[2]
    scores = network.scores(listed)
    front: dict[str, bool] = {}
    hard: set[str] = set()
    for row in _csv("truth_companies.csv"):
        cluster = row["cluster_id"]
        if row["listed_ids"] or cluster in listed:
            continue
        front[cluster] = front.get(cluster, False) or row["is_front"] == "1"
        if row["hard_negative"]:
            hard.add(cluster)
    positives = [scores.get(c, 0.0) for c, f in front.items() if f]
    negatives = [scores.get(c, 0.0) for c, f in front.items() if not f]
    hard_negatives = [scores.get(c, 0.0) for c in hard if not front[c]]
    assert len(positives) == 146 and len(negatives) > 19_000
    assert roc_auc(positives, negatives) >= 0.95
    assert roc_auc(positives, hard_negatives) >= 0.95
    assert all(s > 0 for s in positives)  # every planted front has a path within the limit

    # one entity's search finds the same best score as the search from all listed parties
    for cluster in sorted(c for c, f in front.items() if f)[:20]:
        found = network.exposure(cluster, listed)
        assert abs(found.score - scores[cluster]) < 1e-9
        best = found.paths[0]
        assert abs(sum(c.value for c in best.contributions()) - best.score) < 1e-9
        assert all(step.edge.record_id for step in best.steps)


def test_roc_auc() -> None:
    assert roc_auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert roc_auc([0.5], [0.5]) == 0.5
    assert roc_auc([0.1, 0.9], [0.5]) == 0.5


@pytest.mark.parametrize(("detector", "typology"), [("dprk_name", "T5"), ("mission", "T4")])
def test_flags(dev: Dev, detector: str, typology: str) -> None:
    records, network, listed = dev
    if detector == "dprk_name":
        findings = dprk_name(records, network, listed)
    else:
        findings = dprk_mission_address(records, network)
    companies = _csv("truth_companies.csv")
    planted = {r["cluster_id"] for r in companies if typology in r["typologies"]}
    hard = {r["cluster_id"] for r in companies if r["hard_negative"]}
    flagged = {f.entity for f in findings}
    assert len(flagged & planted) / len(planted) >= 0.90  # recall
    assert len(flagged & planted) / len(flagged) >= 0.80  # precision
    assert not flagged & hard
    # every finding's evidence cites records of the data, and the name's record first
    known = {record[0] for record in records}
    for finding in findings:
        assert finding.evidence and finding.detector.endswith("@1")
        for evidence in finding.evidence:
            record_id, _, where = evidence.record.partition(" (")
            assert record_id in known and where.startswith("entities.ftm.jsonl.gz, row ")
        assert finding.evidence[0].what.startswith(("name ", "address "))


def test_a_line_that_is_not_an_entity_names_the_file_and_line(tmp_path: Path) -> None:
    from hermit.errors import SourceError

    path = tmp_path / "entities.ftm.jsonl"
    path.write_text('{"id": "a", "schema": "Company", "properties": {}}\n{"id": "b"}\n')
    with pytest.raises(SourceError, match=r"entities\.ftm\.jsonl.*line 2: not a FollowTheMoney"):
        list(file_records(path))


def _clusters(pred: Callable[[dict[str, str]], bool]) -> set[str]:
    return {r["cluster_id"] for r in _csv("truth_companies.csv") if pred(r)}


def _t(typology: str, *roles: str) -> Callable[[dict[str, str]], bool]:
    def pred(r: dict[str, str]) -> bool:
        return typology in r["typologies"].split(";") and (not roles or r["role"] in roles)

    return pred


# detector -> (planted: its typology's labels, the set precision is measured against).
# successor: the labels mark predecessors T1 too; the detector flags the successor.
# joint_venture: the exempt Rajin-Khasan JV is labelled T9 and a hard negative: not planted.
# all_dprk_officers and successor: the labels mark the pattern only where it was planted
# (T6 and T1 are "as planted", README), while the data holds more companies that show it
# (31 DPRK-run firms of other typologies have only DPRK-national officers and owners, and
# firms in a DPRK mission's building were registered as others there were dissolved):
# their precision is measured against the planted DPRK networks (is_front), and what they
# reach against their typology is in BENCHMARKS.md (0.03 and, at graph@2, 0.67), below the
# 0.80 aim. all_dprk_officers is also measured against the pattern as the ground truth
# holds it (test_all_dprk_officers_against_the_truth below).
FRONTS = {
    fronts.SUCCESSOR: (_t("T1", "successor", "renamed"), lambda r: r["is_front"] == "1"),
    fronts.PROXY_OWNER: (_t("T2"), _t("T2")),
    fronts.JOINT_VENTURE: (lambda r: _t("T9")(r) and not r["hard_negative"], _t("T9")),
    fronts.ALL_DPRK_OFFICERS: (
        _t("T6", "all_dprk_officers"),
        lambda r: r["is_front"] == "1",
    ),
    fronts.LOCATION_MISMATCH: (_t("T6", "location_mismatch"), _t("T6")),
}


@pytest.fixture(scope="module")
def front_findings(dev: Dev) -> list[Finding]:
    records, network, listed = dev
    return fronts.detect(records, network, listed)


@pytest.mark.parametrize("detector", sorted(FRONTS))
def test_front_detectors(dev: Dev, front_findings: list[Finding], detector: str) -> None:
    planted_by, precise_by = FRONTS[detector]
    planted, precise = _clusters(planted_by), _clusters(precise_by)
    hard = _clusters(lambda r: bool(r["hard_negative"]))
    findings = [f for f in front_findings if f.detector == detector]
    flagged = {f.entity for f in findings}
    assert planted and len(flagged & planted) / len(planted) >= 0.90  # recall
    assert len(flagged & precise) / len(flagged) >= 0.80  # precision
    assert not flagged & hard
    known = {record[0] for record in dev[0]}
    for finding in findings:
        assert finding.evidence
        for evidence in finding.evidence:
            record_id, _, where = evidence.record.partition(" (")
            assert record_id in known and where.startswith("entities.ftm.jsonl.gz, row ")


ENDS = {"Directorship": ("director", "organization"), "Ownership": ("owner", "asset")}


def _all_dprk_in_truth(records: list[Record], least: int) -> set[str]:
    """The companies whose officers and individual owners (at least ``least`` people, as
    the data's Directorship and Ownership records name them) are all DPRK nationals by
    the ground truth (labels/truth_people.csv, the people resolved by truth_clusters.csv),
    registered outside the DPRK: the pattern all_dprk_officers looks for, read from the
    labels instead of the records' nationality fields (missing on about a sixth of them,
    README) and the detector's reading of them."""
    clusters = {r["record_id"]: r["cluster_id"] for r in _csv("truth_clusters.csv")}
    nationality = {r["cluster_id"]: r["nationality"] for r in _csv("truth_people.csv")}
    people: dict[str, set[str]] = {}
    persons: set[str] = set()
    in_dprk: set[str] = set()
    for record_id, schema, _file, _row, entity in records:
        props = entity.get("properties") or {}
        if schema == "Person":
            persons.add(record_id)
        elif schema in ("Company", "Organization") and "kp" in (props.get("jurisdiction") or []):
            in_dprk.add(clusters.get(record_id, record_id))
        elif schema in ("Directorship", "Ownership"):
            source, target = ENDS[schema]
            for party in props.get(source) or []:
                for company in props.get(target) or []:
                    people.setdefault(clusters.get(company, company), set()).add(party)
    found: set[str] = set()
    for company, parties in people.items():
        truth = {clusters.get(p, p) for p in parties if p in persons}
        dprk_run = all(nationality.get(person) == "KP" for person in truth)
        if len(truth) >= least and company not in in_dprk and dprk_run:
            found.add(company)
    return found


def test_all_dprk_officers_against_the_truth(dev: Dev, front_findings: list[Finding]) -> None:
    least = int(fronts.settings()["all_dprk_officers"]["min_people"])
    truth = _all_dprk_in_truth(dev[0], least)
    flagged = {f.entity for f in front_findings if f.detector == fronts.ALL_DPRK_OFFICERS}
    assert len(truth) > 20  # the pattern is far wider than T6's one planted case
    assert len(flagged & truth) / len(truth) >= 0.90  # recall
    assert len(flagged & truth) / len(flagged) >= 0.80  # precision


def test_listed_officer(dev: Dev, lists_store: Path) -> None:
    """listed_officer against T8 (the officers screened against the real UN and OFAC
    lists; about 16 CPU s of screening): recall and precision floors, no hard negative,
    every finding citing the Directorship and the person's record."""
    from hermit.screening.store_screener import StoreScreener

    records, network = dev[0], dev[1]
    findings = listed_officers(records, network.build, StoreScreener(lists_store).build())
    planted = _clusters(_t("T8"))
    flagged = {f.entity for f in findings}
    assert len(flagged & planted) / len(planted) >= 0.90  # recall
    assert len(flagged & planted) / len(flagged) >= 0.80  # precision
    assert not flagged & _clusters(lambda r: bool(r["hard_negative"]))
    known = {record[0] for record in records}
    for finding in findings:
        assert finding.detector == LISTED_OFFICER
        cited = [e.record.partition(" (")[0] for e in finding.evidence]
        assert len(cited) == 2 and all(c in known for c in cited)
