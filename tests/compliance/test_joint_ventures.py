"""UNSCR 2371 para 12 and 2375 para 18 through ``hermit compliance check``: companies
opened, joined or expanded by a DPRK party on or after 2017-08-05, opened on or after
2017-09-11, still operating with one after 2018-01-09 (each the day before, of and
after), the exempt projects; and a DPRK founder registered with no country, found by
screening its name against the real lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import (
    EMPLOYER_COLUMNS,
    EXEMPTION_COLUMNS,
    FOUNDER_COLUMNS,
    employer,
    exemption,
    folder,
    founder,
    permit,
    write,
)
from tests.stores import copy_store

RULES = ("--rule", "UNSCR-2371-12", "--rule", "UNSCR-2375-18")


def _company(n: int, registered: str, **extra: str) -> dict[str, str]:
    return {**employer(f"25000000{n:02d}", registered), "id": f"EM-{n:05d}", **extra}


def _inn(n: int) -> str:
    return f"25000000{n:02d}"


def _run(tmp: Path, root: Path, *args: str) -> dict[tuple[str, str], Any]:
    out = tmp / "v.json"
    hermit(tmp / "s.duckdb", "compliance", "check", str(root), *RULES, *args, "--json", str(out))
    return {
        (v["rule_id"], v["subject_id"]): v for v in orjson.loads(out.read_bytes())["violations"]
    }


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    tmp = tmp_path_factory.mktemp("jv")
    companies = [
        _company(n, d)
        for n, d in [
            (1, "04.08.2017"),
            (2, "05.08.2017"),
            (3, "06.08.2017"),  # opened around 2371
            (4, "01.01.2010"),
            (5, "01.01.2010"),
            (6, "01.01.2010"),  # DPRK founder leaves
            (7, "01.01.2010"),
            (8, "01.01.2010"),  # joined the day before / of 2371
            (9, "01.01.2010"),
            (10, "01.01.2010"),  # contribution raised / lowered
            (11, "10.09.2017"),
            (12, "11.09.2017"),  # opened around 2375 (then closed)
            (13, "01.01.2010"),
            (14, "01.01.2010"),
            (15, "01.01.2010"),  # exempt / Russian
        ]
    ]
    companies[12]["note"] = "участник проекта «Раджин — Хасан» (порт и железная дорога)"
    companies[13]["termination_date"] = "09.01.2018"
    f = [
        founder(1, _inn(1), "KOREA A CORPORATION", "04.08.2017", "01.12.2017"),
        founder(2, _inn(2), "KOREA B CORPORATION", "05.08.2017", "01.12.2017"),
        founder(3, _inn(3), "KOREA C CORPORATION", "06.08.2017", "01.12.2017"),
        founder(4, _inn(4), "KOREA D CORPORATION", "01.01.2010", "08.01.2018"),
        founder(5, _inn(5), "KOREA E CORPORATION", "01.01.2010", "09.01.2018"),
        founder(6, _inn(6), "KOREA F CORPORATION", "01.01.2010", "10.01.2018"),
        founder(7, _inn(7), "KOREA G CORPORATION", "04.08.2017", "01.12.2017"),
        founder(8, _inn(8), "KOREA H CORPORATION", "05.08.2017", "01.12.2017"),
        founder(9, _inn(9), "KOREA I CORPORATION", "01.01.2010", "05.08.2017", reg_no="KP-9"),
        founder(
            90,
            _inn(9),
            "KOREA I CORPORATION",
            "05.08.2017",
            "01.12.2017",
            money="9000",
            reg_no="KP-9",
        ),
        founder(10, _inn(10), "KOREA J CORPORATION", "01.01.2010", "05.08.2017", reg_no="KP-10"),
        founder(
            100,
            _inn(10),
            "KOREA J CORPORATION",
            "05.08.2017",
            "01.12.2017",
            money="1000",
            reg_no="KP-10",
        ),
        founder(11, _inn(11), "KOREA K CORPORATION", "10.09.2017", "01.02.2018"),
        founder(12, _inn(12), "KOREA L CORPORATION", "11.09.2017", "01.02.2018"),
        founder(13, _inn(13), "RAJIN PORT ADMINISTRATION", "01.01.2010"),
        founder(14, _inn(14), "KOREA N CORPORATION", "01.01.2010"),  # company ends 09.01.2018
        founder(15, _inn(15), "Ким Сергей Петрович", "01.01.2010", country="РОССИЯ", kind="ФЛ РФ"),
    ]
    root = folder(tmp / "labour", [permit(1, "10.01.2017", "01.06.2016")])
    write(root / "employers.csv", EMPLOYER_COLUMNS, companies)
    write(root / "employer_founders.csv", FOUNDER_COLUMNS, f)
    return _run(tmp, root)


def _pattern(found: dict[tuple[str, str], Any], rule: str, n: int) -> str | None:
    v = found.get((rule, f"EM-{n:05d}"))
    return None if v is None else str(v["pattern"])


@pytest.mark.parametrize(
    ("n", "new_or_expanded", "not_closed"),
    [
        (1, None, None),
        (2, "jv_opened_after_2371", None),
        (3, "jv_opened_after_2371", None),
        (4, None, None),
        (5, None, None),
        (6, None, "jv_not_closed"),
        (7, None, None),
        (8, "jv_new_dprk_participant", None),
        (9, "jv_expansion", None),
        (10, None, None),
        (11, "jv_opened_after_2371", "jv_not_closed"),
        (12, "jv_opened_after_2371", "jv_opened_after_2375"),
        (13, None, None),
        (14, None, None),
        (15, None, None),
    ],
)
def test_boundary(
    findings: dict[tuple[str, str], Any],
    n: int,
    new_or_expanded: str | None,
    not_closed: str | None,
) -> None:
    assert _pattern(findings, "UNSCR-2371-12", n) == new_or_expanded
    assert _pattern(findings, "UNSCR-2375-18", n) == not_closed


def test_reasons_name_the_founders(findings: dict[tuple[str, str], Any]) -> None:
    v = findings[("UNSCR-2371-12", "EM-00009")]
    assert [r["id"] for r in v["records"]] == ["EM-00009", "EF-00009", "EF-00090"]
    assert "raised its contribution from 5,000 to 9,000 roubles on 2017-08-05" in v["reason"]
    v = findings[("UNSCR-2375-18", "EM-00006")]
    assert v["reason"].startswith(
        "not closed by 2018-01-09 with DPRK founder(s): KOREA F CORPORATION (КНДР)"
    )


def test_committee_approved_joint_venture_is_exempt(tmp_path: Path) -> None:
    root = folder(tmp_path / "labour", [permit(1, "10.01.2017", "01.06.2016")])
    write(root / "employers.csv", EMPLOYER_COLUMNS, [_company(1, "01.01.2010")])
    write(
        root / "employer_founders.csv",
        FOUNDER_COLUMNS,
        [founder(1, _inn(1), "KOREA WATER COMPANY", "01.01.2010")],
    )
    assert _run(tmp_path, root)  # not closed: a finding
    approval = {
        **exemption("S/AC.49/2017/JV.01", "2017-12-14", "2022-12-31", ""),
        "scope": "joint_venture",
        "employer_inn": _inn(1),
    }
    write(root / "committee_exemptions.csv", EXEMPTION_COLUMNS, [approval])
    assert _run(tmp_path, root) == {}


def test_a_founder_without_country_is_found_on_the_lists(tmp_path: Path, lists_store: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    copy_store(lists_store, store)
    root = folder(tmp_path / "labour", [permit(1, "10.01.2017", "01.06.2016")])
    write(root / "employers.csv", EMPLOYER_COLUMNS, [_company(1, "01.01.2010")])
    write(
        root / "employer_founders.csv",
        FOUNDER_COLUMNS,
        [
            founder(
                1, _inn(1), "KOREA SOUTH-SOUTH COOPERATION CORPORATION", "01.01.2010", country=""
            ),
            founder(2, _inn(1), "Пак Иван Сергеевич", "01.01.2010", country="РОССИЯ", kind="ФЛ РФ"),
        ],
    )
    out = tmp_path / "v.json"
    proc = hermit(store, "compliance", "check", str(root), *RULES, "--json", str(out))
    assert "1 DPRK-listed" in proc.stdout
    found = orjson.loads(out.read_bytes())["violations"]
    assert [(v["rule_id"], v["pattern"]) for v in found] == [("UNSCR-2375-18", "jv_not_closed")]
    assert (
        "(country not given; listed: KOREA SOUTH-SOUTH COOPERATION CORPORATION)"
        in found[0]["reason"]
    )
    hermit(
        store, "compliance", "check", str(root), *RULES, "--no-screen-founders", "--json", str(out)
    )
    assert orjson.loads(out.read_bytes())["violations"] == []
