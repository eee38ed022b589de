"""UNSCR 2371 para 11 through ``hermit compliance check``: the count of valid permits
on each day after 2017-08-05 against the count that day. A permit issued the day of
the baseline is in it, one issued the day after adds to the count; an annulled permit
is valid until the day before; an extension keeps a permit valid; a permit a Committee
approval covers is not counted."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import EXTENSION_COLUMNS, exemption, extension, folder, permit, write


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("cap")
    ex = "S/AC.49/2017/EX.01"
    permits = [
        permit(1, "01.01.2017", "01.12.2016", valid_to="31.12.2017", annul_date="20.08.2017"),
        permit(2, "05.08.2017", "01.07.2017", valid_to="04.08.2018"),  # the day of: baseline
        permit(3, "06.08.2017", "01.07.2017", valid_to="10.08.2017"),  # the day after
        permit(4, "01.09.2016", "01.08.2016", valid_to="31.08.2017"),  # extended to 30.09
        permit(5, "20.08.2017", "01.07.2017", valid_to="30.08.2017"),  # replaces no. 1
        permit(6, "21.08.2017", "01.07.2017", valid_to="30.09.2017", committee_ref=ex),
        permit(7, "01.09.2017", "01.07.2017", valid_to="30.09.2017"),
        permit(8, "01.09.2017", "01.07.2017", valid_to="30.09.2017"),
    ]
    root = folder(
        tmp / "labour", permits, exemptions=[exemption(ex, "2017-08-01", "2018-12-31", "1")]
    )
    write(
        root / "permit_extensions.csv",
        EXTENSION_COLUMNS,
        [extension(1, permits[3], "25.08.2017", "30.09.2017")],
    )
    out = tmp / "v.json"
    hermit(
        tmp / "s.duckdb",
        "compliance",
        "check",
        str(root),
        "--rule",
        "UNSCR-2371-11",
        "--json",
        str(out),
    )
    return {v["subject_id"]: v for v in orjson.loads(out.read_bytes())["violations"]}


def test_runs_above_the_baseline(findings: dict[str, Any]) -> None:
    assert sorted(findings) == [
        "cap:25:2017-08-06",
        "cap:25:2017-09-01",
        "cap:RU:2017-08-06",
        "cap:RU:2017-09-01",
    ]
    first, second = findings["cap:RU:2017-08-06"], findings["cap:RU:2017-09-01"]
    assert (first["kind"], first["pattern"]) == ("violation", "national_cap_exceeded")
    assert findings["cap:25:2017-08-06"]["kind"] == "analytic"
    assert first["reason"] == (
        "national count: valid DPRK work permits exceeded the 2017-08-05 baseline of 3 on 5 "
        "days 2017-08-06..2017-08-10 (peak 4 on 2017-08-06); 1 permits issued after "
        "2017-08-05 were valid in that period"
    )
    assert [r["id"] for r in first["records"]] == ["WP-0000003"]
    assert [r["id"] for r in second["records"]] == ["WP-0000007", "WP-0000008"]
    assert "on 30 days 2017-09-01..2017-09-30" in second["reason"]
