"""UNSCR 2375 para 17 on work permits, through ``hermit compliance check``: each date
boundary (the ban, the contract cut-off, a Committee approval's first and last day, a
termination, the employer's registration) the day before, of and after."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import employer, exemption, folder, notice, permit

OTHER_INN = "2500054321"


def _check(tmp_path: Path, root: Path) -> dict[str, Any]:
    out = tmp_path / "v.json"
    hermit(
        tmp_path / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--rule",
        "UNSCR-2375-17",
        "--json",
        str(out),
    )
    found: dict[str, Any] = {}
    for v in orjson.loads(out.read_bytes())["violations"]:
        assert v["rule_id"] == "UNSCR-2375-17"
        found[v["subject_id"]] = v
    return found


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("ban")
    p = {}
    # the ban: issued the day before, of and after 2017-09-11, on a contract of that day
    p[1] = permit(1, "10.09.2017", "10.09.2017")
    p[2] = permit(2, "11.09.2017", "11.09.2017")
    p[3] = permit(3, "2017-09-12", "12.09.17")  # ISO and two-digit years are read too
    p[4] = permit(4, "10.09.2017", "11.09.2017")  # issued before the ban: not judged
    # the contract cut-off for a permit after the ban
    p[5] = permit(5, "15.01.2018", "10.09.2017")
    p[6] = permit(6, "15.01.2018", "11.09.2017")
    p[7] = permit(7, "15.01.2018", "12.09.2017")
    p[8] = permit(8, "11.09.2017", "01.06.2017")  # the day of the ban, old contract
    # a Committee approval: valid 17.02.2018 - 30.06.2018 for 3 persons
    ex = "S/AC.49/2018/EX.01"
    p[10] = permit(10, "16.02.2018", "01.02.2018", committee_ref=ex)  # day before
    p[11] = permit(11, "17.02.2018", "01.02.2018", committee_ref=ex)  # first day
    p[12] = permit(12, "18.02.2018", "01.02.2018", committee_ref=ex)
    p[13] = permit(13, "30.06.2018", "01.02.2018", committee_ref=ex)  # last day, 3rd person
    p[14] = permit(14, "01.07.2018", "01.02.2018", committee_ref=ex)  # day after
    p[15] = permit(15, "19.02.2018", "01.02.2018", committee_ref="S/AC.49/2018/EX.99")
    p[16] = permit(16, "19.02.2018", "01.02.2018", committee_ref="S/AC.49/2018/EX.02")
    p[17] = permit(17, "30.06.2018", "01.03.2018", committee_ref=ex)  # 4th person (file order)
    p[18] = permit(18, "20.03.2018", "01.06.2016", committee_ref="S/AC.49/2018/EX.99")
    # the cited contract terminated the day before, of and after the permit's issue
    p[20] = permit(20, "15.03.2018", "01.05.2016")
    p[21] = permit(21, "15.03.2018", "01.05.2016")
    p[22] = permit(22, "15.03.2018", "01.05.2016")
    # the employer's notice of the same contract: a later date (backdated), the same
    p[23] = permit(23, "15.03.2018", "01.05.2016")
    p[24] = permit(24, "15.03.2018", "01.05.2016")
    # employers registered the day after, of and before the stated contract date
    p[25] = permit(25, "15.03.2018", "01.05.2016", employer_inn="2500000025")
    p[26] = permit(26, "15.03.2018", "01.05.2016", employer_inn="2500000026")
    p[27] = permit(27, "15.03.2018", "01.05.2016", employer_inn="2500000027")
    # the same contract number and date, notified by another employer: the same person
    # (birth date), and another person
    p[28] = permit(28, "15.03.2018", "01.05.2016")
    p[29] = permit(29, "15.03.2018", "01.05.2016")
    end = "прекращение (расторжение)"
    notices = [
        notice(20, end, p[20], termination_date="14.03.2018"),
        notice(21, end, p[21], termination_date="15.03.2018"),
        notice(22, end, p[22], termination_date="16.03.2018"),
        notice(23, "заключение", p[23], contract_date="20.09.2017"),
        notice(24, "заключение", p[24]),
        notice(28, "заключение", p[28], employer_inn=OTHER_INN),
        notice(
            29,
            "заключение",
            p[29],
            employer_inn=OTHER_INN,
            birth_date="01.01.1970",
            id_doc_number="999999999",
        ),
    ]
    employers = [
        employer(),
        employer("2500000025", "02.05.2016"),
        employer("2500000026", "01.05.2016"),
        employer("2500000027", "30.04.2016"),
        {**employer(OTHER_INN), "id": "EM-00002"},
    ]
    exemptions = [
        exemption(ex, "2018-02-17", "2018-06-30", "3"),
        {
            **exemption("S/AC.49/2018/EX.02", "2018-01-01", "2018-12-31", "5", OTHER_INN),
            "id": "CE-002",
        },
    ]
    root = folder(tmp / "labour", list(p.values()), notices, employers, exemptions)
    return _check(tmp, root)


def _pattern(findings: dict[str, Any], n: int) -> str | None:
    v = findings.get(f"WP-{n:07d}")
    return None if v is None else str(v["pattern"])


@pytest.mark.parametrize(
    ("n", "pattern"),
    [
        (1, None),
        (2, "new_contract_after_ban"),
        (3, "new_contract_after_ban"),
        (4, None),
        (5, None),
        (6, "new_contract_after_ban"),
        (7, "new_contract_after_ban"),
        (8, None),
        (10, "bogus_exemption"),
        (11, None),
        (12, None),
        (13, None),
        (14, "bogus_exemption"),
        (15, "bogus_exemption"),
        (16, "bogus_exemption"),
        (17, "exemption_overused"),
        (18, None),  # a bogus reference, but a pre-ban contract covers it
        (20, "contract_terminated_before_permit"),
        (21, None),
        (22, None),
        (23, "backdated_contract"),
        (24, None),
        (25, "backdated_contract"),
        (26, None),
        (27, None),
        (28, "contract_of_other_employer"),
        (29, None),
    ],
)
def test_boundary(findings: dict[str, Any], n: int, pattern: str | None) -> None:
    assert _pattern(findings, n) == pattern


def test_a_finding_names_its_records_and_reason(findings: dict[str, Any]) -> None:
    v = findings["WP-0000020"]
    assert v["date"] == "2018-03-15"
    assert [(r["kind"], r["id"]) for r in v["records"]] == [
        ("work_permits", "WP-0000020"),
        ("employment_notifications", "EN-0000020"),
    ]
    assert v["records"][0]["file"] == "work_permits.csv.gz" and v["records"][0]["line"] > 1
    assert v["reason"] == (
        "permit 25 1800000020 issued 2018-03-15 cites contract ТД-20 of 2016-05-01, "
        "terminated on 2018-03-14; no 1718 Committee approval"
    )
    assert "2017-09-11" in findings["WP-0000002"]["reason"]
    assert "S/AC.49/2018/EX.01" in findings["WP-0000014"]["reason"]
