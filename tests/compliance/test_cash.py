"""Cash through ``hermit compliance check``: undeclared above US$10,000 (all currencies
of an incident together, at the month's rate) is a violation of the EAEU declaration
rule; a DPRK national with US$10,000 or more on a DPRK route, and three or more each
just under it on one trip, are UNSCR 2094 indicators. Each at the threshold, a cent
under and a cent over."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import folder, permit

HEADER = (
    "id;incident_no;date;customs_post;direction;fio;name_lat;birth_date;citizenship;"
    "doc_number;currency;amount;declared;how_found;transport;note"
)
PYONGYANG = "рейс JS 272 Владивосток — Пхеньян"
SEOUL = "рейс KE 982 Владивосток — Сеул"


def _row(
    n: int,
    incident: str,
    amount: str,
    *,
    currency: str = "USD",
    declared: str = "нет",
    citizenship: str = "КНДР",
    transport: str = SEOUL,
    day: str = "15.03.2018",
) -> str:
    return (
        f"CD-{n:05d};{incident};{day};Таможенный пост;вывоз;Ким;KIM;01.01.1980;"
        f"{citizenship};№ 836000{n:03d};{currency};{amount};{declared};досмотр;{transport};"
    )


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Any]:
    tmp = tmp_path_factory.mktemp("cash")
    rows = [
        _row(1, "I1", "10 000,00", citizenship="РФ"),  # at the threshold: not above
        _row(2, "I2", "10 000,01", citizenship="РФ"),  # a cent over
        _row(3, "I3", "6 000,00", citizenship="РФ"),  # 6,000 USD + 3,600 EUR = 10,500
        _row(4, "I3", "3 600,00", currency="EUR", citizenship="РФ"),
        _row(5, "I5", "50 000,00", declared="да", citizenship="РФ"),  # declared
        _row(6, "I6", "9 999,99", declared="да", transport=PYONGYANG),
        _row(7, "I7", "10 000,00", declared="да", transport=PYONGYANG),  # indicator
        _row(8, "I8", "20 000,00", declared="да"),  # DPRK national, not a DPRK route
        # structuring: three on one flight each under 10,000 undeclared; two on another
        *[_row(10 + i, f"S{i}", "9 500,00", transport=PYONGYANG) for i in range(3)],
        *[
            _row(20 + i, f"T{i}", "9 500,00", transport=PYONGYANG, day="16.03.2018")
            for i in range(2)
        ],
        _row(30, "U1", "7 999,00", transport=PYONGYANG, day="17.03.2018"),
        _row(31, "U2", "9 000,00", transport=PYONGYANG, day="17.03.2018"),
        _row(32, "U3", "9 000,00", transport=PYONGYANG, day="17.03.2018"),
    ]
    root = folder(tmp / "labour", [permit(1, "10.01.2017", "01.06.2016")])
    (root / "cash_declarations.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    (root / "reference").mkdir()
    (root / "reference" / "fx_rub_month.csv").write_text(
        "month,usd_rub,eur_rub,cny_rub,quality\n2018-03,60.00,75.00,9.50,test\n", encoding="utf-8"
    )
    out = tmp / "v.json"
    hermit(
        tmp / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--rule",
        "EAEU-CASH-10K",
        "--rule",
        "UNSCR-2094-11",
        "--json",
        str(out),
    )
    return {
        (v["rule_id"], v["subject_id"]): v for v in orjson.loads(out.read_bytes())["violations"]
    }


def test_thresholds(findings: dict[tuple[str, str], Any]) -> None:
    assert sorted(findings) == [
        ("EAEU-CASH-10K", "CD-00002"),
        ("EAEU-CASH-10K", "CD-00003"),
        ("UNSCR-2094-11", "CD-00007"),
        ("UNSCR-2094-11", "CD-00010"),
    ]
    both = findings[("EAEU-CASH-10K", "CD-00003")]
    assert [r["id"] for r in both["records"]] == ["CD-00003", "CD-00004"]
    assert both["reason"].startswith("undeclared cash of about US$10,500 (6,000 USD, 3,600 EUR)")
    group = findings[("UNSCR-2094-11", "CD-00010")]
    assert group["pattern"] == "structuring" and len(group["records"]) == 3
    assert findings[("UNSCR-2094-11", "CD-00007")]["pattern"] == "bulk_cash_dprk_route"
