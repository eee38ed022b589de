"""UNSCR 2321 para 16 through ``hermit compliance check``: two accounts open at once on
2016-11-30 or later (an account is open until the day before it is closed), for a
mission and for an accredited diplomat linked by passport or accreditation card."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.compliance.fixtures import STAFF_COLUMNS, _columns, folder, permit, staff, write

ACCOUNT_COLUMNS = _columns(
    "id,bank,bik,account_number,currency,holder_type,holder_name,holder_doc,"
    "accreditation_card,mission,opened,closed"
)


def _account(
    n: int, kind: str, mission: str, opened: str, closed: str = "", doc: str = "", card: str = ""
) -> dict[str, str]:
    return {
        "id": f"DA-{n:04d}",
        "bank": "Банк",
        "bik": "044525000",
        "account_number": f"40807810{n:012d}",
        "currency": "RUB",
        "holder_type": kind,
        "holder_name": "x",
        "holder_doc": doc,
        "accreditation_card": card,
        "mission": mission,
        "opened": opened,
        "closed": closed,
    }


def test_accounts_at_the_boundary(tmp_path: Path) -> None:
    m = "представительство"
    s = "сотрудник"
    accounts = [
        # mission A: one closes on 30.11.2016 as the other opens: never two at once
        _account(1, m, "A", "01.01.2010", "30.11.2016"),
        _account(2, m, "A", "30.11.2016"),
        # mission B: the first closes on 01.12.2016: both open on 30.11.2016
        _account(3, m, "B", "01.01.2010", "01.12.2016"),
        _account(4, m, "B", "30.11.2016"),
        # mission C: two at once only until 29.11.2016, the day before
        _account(5, m, "C", "01.01.2010", "30.11.2016"),
        _account(6, m, "C", "01.06.2016", "30.11.2016"),
        # diplomat 1: second account under the card, passport written with a space
        _account(7, s, "A", "01.01.2017", "", doc="PD000000001"),
        _account(8, s, "A", "01.03.2017", "01.04.2017", doc="PD 000000009", card="ДК 000001"),
        # diplomat 2: one account after another
        _account(9, s, "A", "01.01.2017", "01.03.2017", doc="PD000000002"),
        _account(10, s, "A", "01.03.2017", "", doc="PD000000002"),
    ]
    one = {**staff(1, "третий секретарь", "01.01.2016", ""), "accreditation_card": "ДК 000001"}
    root = folder(tmp_path / "lab", [permit(1, "10.01.2017", "01.06.2016")])
    write(root / "diplomatic_accounts.csv", ACCOUNT_COLUMNS, accounts)
    write(
        root / "diplomatic_staff.csv",
        STAFF_COLUMNS,
        [one, staff(2, "второй секретарь", "01.01.2016", "")],
    )
    out = tmp_path / "v.json"
    hermit(
        tmp_path / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--rule",
        "UNSCR-2321-16",
        "--json",
        str(out),
    )
    found = {v["subject_id"]: v for v in orjson.loads(out.read_bytes())["violations"]}
    assert sorted(found) == ["B", "DS-0001"]
    assert found["B"]["reason"] == (
        "mission B held 2 accounts at once from 2016-11-30 (to 2016-11-30)"
    )
    assert [r["id"] for r in found["DS-0001"]["records"]] == ["DA-0007", "DA-0008", "DS-0001"]
    assert found["DS-0001"]["reason"].endswith("from 2017-03-01 (to 2017-03-31)")
