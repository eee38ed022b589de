"""UNSCR 2397 para 8 through ``hermit compliance check``: income after 2019-12-22 and
presence after it (leaving on the 22nd is in time), the exceptions (citizenship by the
deadline, asylum in force after it), an oversight attache accredited past it; each the
day before, of and after. People are linked across files by passport, and by birth date
and name when the passport was renewed."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import (
    CROSSING_COLUMNS,
    DECISION_COLUMNS,
    STAFF_COLUMNS,
    crossing,
    decision,
    folder,
    notice,
    permit,
    staff,
    write,
)

NAMES = [
    "KIM CHOL SU",
    "RI MYONG GUK",
    "PAK SONG IL",
    "CHOE YONG HO",
    "HAN KWANG CHOL",
    "JON UN HYE",
    "O SONG MIN",
    "RYU JIN HO",
    "SIN HYOK",
    "KANG MIN SU",
    "YUN SOK CHOL",
    "JANG IL NAM",
    "HONG SONG HUI",
    "MUN CHOL",
    "PAEK YONG NAM",
]


def person(n: int, valid_to: str) -> dict[str, str]:
    return permit(
        n,
        "10.01.2019",
        "01.06.2016",
        valid_to=valid_to,
        fio_lat=NAMES[n - 1],
        birth_date=f"{n:02d}.04.1985",
    )


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("r2397")
    p = {n: person(n, "09.01.2020") for n in range(1, 13)}
    p[4] = person(4, "22.12.2019")  # valid to the deadline only
    p[5] = person(5, "23.12.2019")  # valid the day after
    entry, exit_ = "въезд", "выезд"
    crossings = [crossing(100 + n, p[n], "15.01.2019 10:00", entry) for n in p]
    crossings += [
        crossing(1, p[1], "21.12.2019 08:00", exit_),  # left the day before
        crossing(2, p[2], "22.12.2019 23:10", exit_),  # left on the deadline
        crossing(3, p[3], "23.12.2019 07:00", exit_),  # left the day after: present
    ]
    # no. 6: a renewed passport: the exit is on the new passport (same name, birth date)
    renewed = {**p[6], "id_doc_number": "108999006"}
    crossings.append(crossing(6, renewed, "20.12.2019 09:00", exit_))
    decisions = [
        decision(7, p[7], "прием в гражданство Российской Федерации", "22.12.2019"),
        decision(8, p[8], "прием в гражданство Российской Федерации", "23.12.2019"),
        decision(9, p[9], "предоставление временного убежища", "10.01.2019", "22.12.2019"),
        decision(10, p[10], "продление срока временного убежища", "10.01.2019", "23.12.2019"),
    ]
    # no. 11 and 12: no permit after the deadline, a notified contract running past it
    p[11] = person(11, "30.06.2019")
    p[12] = person(12, "30.06.2019")
    notices = [
        notice(11, "заключение", p[11], contract_end="23.12.2019"),
        notice(12, "заключение", p[12], contract_end="22.12.2019"),
    ]
    attache = "атташе (надзор за гражданами КНДР, осуществляющими трудовую деятельность)"
    staff_rows = [
        staff(1, attache, "01.01.2017", "22.12.2019"),
        staff(2, attache, "01.01.2017", "23.12.2019"),
        staff(3, attache, "13.01.2020", ""),
        staff(4, "третий секретарь", "01.01.2017", ""),
    ]
    root = folder(tmp / "labour", list(p.values()), notices)
    write(root / "border_crossings.csv", CROSSING_COLUMNS, crossings)
    write(root / "status_decisions.csv", DECISION_COLUMNS, decisions)
    write(root / "diplomatic_staff.csv", STAFF_COLUMNS, staff_rows)
    out = tmp / "v.json"
    hermit(
        tmp / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--rule",
        "UNSCR-2397-8",
        "--json",
        str(out),
    )
    found = {}
    for v in orjson.loads(out.read_bytes())["violations"]:
        found[v["records"][0]["id"]] = v
    return found


@pytest.mark.parametrize(
    ("first_record", "pattern"),
    [
        ("WP-0000001", None),
        ("WP-0000002", None),
        ("WP-0000003", "present_after_deadline_permit"),
        ("WP-0000004", None),
        ("WP-0000005", "present_after_deadline_permit"),
        ("WP-0000006", None),
        ("WP-0000007", None),
        ("WP-0000008", "present_after_deadline_permit"),
        ("WP-0000009", "present_after_deadline_permit"),
        ("WP-0000010", None),
        ("EN-0000011", "present_after_deadline_contract"),
        ("EN-0000012", None),
        ("DS-0001", None),
        ("DS-0002", "attache_after_deadline"),
        ("DS-0003", "attache_after_deadline"),
        ("DS-0004", None),
    ],
)
def test_boundary(findings: dict[str, Any], first_record: str, pattern: str | None) -> None:
    v = findings.get(first_record)
    assert (None if v is None else v["pattern"]) == pattern


def test_a_person_finding_names_income_and_entry(findings: dict[str, Any]) -> None:
    v = findings["WP-0000003"]
    assert v["subject_file"] == "persons" and v["date"] == "2019-12-23"
    assert [r["id"] for r in v["records"]] == ["WP-0000003", "BC-0000103"]
    assert v["reason"].startswith("DPRK national in Russia after 2019-12-22 (last entry 2019-01-15")
