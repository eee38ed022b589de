"""UNSCR 2375 para 17 on extensions and on employment notified without a permit,
through ``hermit compliance check``: the day before, of and after the ban, and the
ends of the contract an extension rests on."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.compliance.fixtures import (
    EXTENSION_COLUMNS,
    VISA_COLUMNS,
    extension,
    folder,
    notice,
    permit,
    visa,
    write,
)

END = "прекращение (расторжение)"
STUDENT = "разрешение не требуется (обучающийся по очной форме)"


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("ext")
    held = {n: permit(n, "10.01.2017", "01.06.2016") for n in range(1, 9)}
    xs = [
        extension(1, held[1], "10.09.2017", "09.09.2018", contract_date="01.09.2017"),
        extension(2, held[2], "11.09.2017", "10.09.2018", contract_date="11.09.2017"),
        extension(3, held[3], "12.09.2017", "11.09.2018", contract_date="10.09.2017"),
        extension(4, held[4], "15.01.2018", "14.01.2019"),  # contract ends 13.01.2019
        extension(5, held[5], "15.01.2018", "14.01.2019"),  # ends 14.01.2019
        extension(6, held[6], "15.01.2018", "14.01.2019"),  # ends 15.01.2019
        extension(7, held[7], "15.01.2018", "14.01.2019"),  # terminated 14.01.2018
        extension(8, held[8], "15.01.2018", "14.01.2019"),  # terminated 15.01.2018
    ]
    conclude = "заключение"
    notices = [
        notice(4, conclude, held[4], contract_end="13.01.2019"),
        notice(5, conclude, held[5], contract_end="14.01.2019"),
        notice(6, conclude, held[6], contract_end="15.01.2019"),
        notice(7, END, held[7], termination_date="14.01.2018"),
        notice(8, END, held[8], termination_date="15.01.2018"),
    ]
    # employment without a permit: people who hold none (passports 7xx)
    who = {
        n: {**permit(n, "", "", id_doc_number=f"7000000{n:02d}"), "contract_no": f"ГП-{n}"}
        for n in range(20, 28)
    }
    for n, day, ref, ctype in [
        (20, "10.09.2017", STUDENT, "трудовой договор"),
        (21, "11.09.2017", STUDENT, "трудовой договор"),
        (22, "12.09.2017", "ученический договор", "ученический договор"),
        (23, "12.09.2017", "", "гражданско-правовой договор на выполнение работ"),
        (
            24,
            "12.09.2017",
            "свидетельство о предоставлении временного убежища ВУ 1234567",
            "трудовой договор",
        ),
        (25, "12.09.2017", "РНР 25 № 1700000001", "трудовой договор"),
        (26, "12.09.2017", "", "гражданско-правовой договор на выполнение работ"),
    ]:
        notices.append(
            notice(
                n,
                conclude,
                {**who[n], "contract_date": day},
                work_permit_ref=ref,
                contract_type=ctype,
            )
        )
    notices.append(
        notice(
            27,
            END,
            {**who[27], "contract_date": "12.09.2017"},
            work_permit_ref=STUDENT,
            termination_date="01.12.2017",
        )
    )
    visas = [
        visa(21, who[21], "учебная", "01.09.2017"),
        visa(22, who[22], "учебная", "01.09.2017"),
        visa(23, who[23], "туристическая", "01.09.2017"),
    ]
    root = folder(tmp / "labour", list(held.values()), notices)
    write(root / "permit_extensions.csv", EXTENSION_COLUMNS, xs)
    write(root / "visas.csv", VISA_COLUMNS, visas)
    out = tmp / "v.json"
    hermit(tmp / "s.duckdb", "compliance", "check", str(root), "--json", str(out))
    return {v["subject_id"]: v for v in orjson.loads(out.read_bytes())["violations"]}


@pytest.mark.parametrize(
    ("subject", "pattern"),
    [
        ("WX-0000001", None),
        ("WX-0000002", "extension_new_contract"),
        ("WX-0000003", None),
        ("WX-0000004", "extension_beyond_contract_end"),
        ("WX-0000005", None),
        ("WX-0000006", None),
        ("WX-0000007", "extension_contract_terminated"),
        ("WX-0000008", None),
        ("EN-0000020", None),
        ("EN-0000021", "student_visa_work"),
        ("EN-0000022", "trainee_contract"),
        ("EN-0000023", "tourist_visa_work"),
        ("EN-0000024", None),
        ("EN-0000025", None),
        ("EN-0000026", "work_without_permit"),  # no visa on record
        ("EN-0000027", None),  # a termination notice is not an engagement
    ],
)
def test_boundary(findings: dict[str, Any], subject: str, pattern: str | None) -> None:
    v = findings.get(subject)
    assert (None if v is None else v["pattern"]) == pattern


def test_findings_cite_the_permit_notice_and_visa(findings: dict[str, Any]) -> None:
    x = findings["WX-0000004"]
    assert [r["id"] for r in x["records"]] == ["WX-0000004", "WP-0000004", "EN-0000004"]
    assert x["reason"] == (
        "extension decided 2018-01-15 (valid to 2019-01-14) on pre-ban "
        "contract ТД-4 of 2016-06-01, whose term ends on 2019-01-13"
    )
    n = findings["EN-0000021"]
    assert [r["id"] for r in n["records"]] == ["EN-0000021", "VS-0000021"]
    assert "claiming a student's exemption" in n["reason"] and "учебная" in n["reason"]
