"""The provisions file: the built-in one loads, validates against its predicates and
states what the issue lists; a broken file is refused naming the rule and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from hermit.compliance.interpreter import validate
from hermit.compliance.provisions import ProvisionError, load_provisions, parse_provisions
from tests.cli.helpers import hermit
from tests.conftest import shared_data_dir

BUILTIN = Path(__file__).resolve().parents[2] / "hermit/resources/compliance/provisions.yaml"


def _raw() -> dict[str, Any]:
    data = yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_builtin_provisions_state_the_rules_with_their_dates() -> None:
    prov = load_provisions()
    validate(prov)
    ids = {r.id for r in prov.rules}
    assert {
        "UNSCR-2375-17",
        "UNSCR-2371-11",
        "UNSCR-2371-12",
        "UNSCR-2375-18",
        "UNSCR-2397-8",
        "UNSCR-2321-16",
        "UNSCR-2094-11",
        "EO-13722-2a-iv",
        "USC-9214-g-1-C",
        "USC-9241a",
        "USC-9241b",
    } <= ids
    assert prov.get("UNSCR-2375-17").date("ban_from") == dt.date(2017, 9, 11)
    assert prov.get("UNSCR-2371-11").date("baseline") == dt.date(2017, 8, 5)
    assert prov.get("UNSCR-2375-18").date("close_by") == dt.date(2018, 1, 9)
    r2397 = prov.get("UNSCR-2397-8")
    assert r2397.date("repatriate_by") == dt.date(2019, 12, 22)
    assert [
        r2397.date(d).isoformat() for d in ("report_90_days", "report_midterm", "report_final")
    ] == ["2018-03-22", "2019-03-22", "2020-03-22"]
    assert {e.id for e in prov.get("UNSCR-2375-18").exceptions} >= {
        "rajin_khasan",
        "china_dprk_hydro",
    }
    assert {e.id for e in r2397.exceptions} == {
        "national_of_member_state",
        "repatriation_prohibited",
    }


def test_verified_only_where_the_project_holds_the_text() -> None:
    prov = load_provisions()
    # paragraph numbers domain.md marks unverified, and texts the project does not hold
    for rule in ("UNSCR-2371-11", "UNSCR-2321-16", "UNSCR-2094-11", "EAEU-CASH-10K"):
        assert prov.get(rule).wording.verified is False, rule
    legal = shared_data_dir() / "legal/usc_title22_ch99_north_korea_sanctions.md"
    text = " ".join(legal.read_text(encoding="utf-8").split())
    quoted = [r for r in prov.rules if r.wording.quote is not None]
    assert {r.id for r in quoted} == {"USC-9214-g-1-C", "USC-9241a", "USC-9241b"}
    for rule in quoted:
        assert rule.wording.quote is not None
        quote = " ".join(rule.wording.quote.split()).replace("'", "’")
        assert quote in text, rule.id  # a quote is the official text, word for word


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("citation"), "rule UNSCR-2375-17, field citation: missing"),
        (
            lambda r: r["dates"]["ban_from"].update(date="11.09.2017"),
            "rule UNSCR-2375-17, field dates.ban_from.date: must be an ISO date",
        ),
        (lambda r: r.update(kind="rule"), "rule UNSCR-2375-17, field kind: 'rule' is not one"),
        (
            lambda r: r["wording"].update(verified="yes"),
            "rule UNSCR-2375-17, field wording.verified: must be true or false",
        ),
        (
            lambda r: r["exceptions"][0].pop("summary"),
            "rule UNSCR-2375-17, field exceptions[0].summary: missing",
        ),
    ],
)
def test_a_broken_rule_is_named(change: Any, message: str) -> None:
    data = _raw()
    change(data["provisions"][0])
    with pytest.raises(ProvisionError) as err:
        parse_provisions(data, "p.yaml")
    assert str(err.value).startswith("p.yaml, " + message)


def test_a_check_missing_what_its_predicate_reads_is_named() -> None:
    data = _raw()
    del data["provisions"][0]["dates"]["contract_finalized_before"]
    where = r"UNSCR-2375-17, field dates\.contract_finalized_before"
    with pytest.raises(ProvisionError, match=where):
        validate(parse_provisions(data, "p.yaml"))
    data = _raw()
    data["provisions"][0]["check"] = "no_such_check"
    with pytest.raises(ProvisionError, match=r"field check: no predicate 'no_such_check'"):
        validate(parse_provisions(data, "p.yaml"))


def test_cli_refuses_a_broken_provisions_file(tmp_path: Path) -> None:
    data = _raw()
    data["provisions"][1]["thresholds"]["max_above_baseline"]["value"] = "none"
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    proc = hermit(
        tmp_path / "s.duckdb", "compliance", "rules", "--provisions", str(path), check=False
    )
    assert proc.returncode == 1
    assert "rule UNSCR-2371-11, field thresholds.max_above_baseline.value" in proc.stderr
    ok = hermit(tmp_path / "s.duckdb", "compliance", "rules").stdout
    assert "UNSCR-2375-17" in ok and "work_authorization_after_ban" in ok
