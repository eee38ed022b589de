"""Small labour folders written for the compliance tests: the dev files' headers, a
few rows each (every other field filled with plausible values)."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path


def _columns(text: str) -> list[str]:
    return text.split(",")


PERMIT_COLUMNS = _columns(
    "id,series,number,issued_by,issue_date,valid_from,valid_to,region,fio,fio_lat,sex,"
    "birth_date,citizenship,id_doc_type,id_doc_number,employer_inn,employer_name,occupation,"
    "contract_no,contract_date,committee_ref,status,annul_date,annul_reason"
)
NOTICE_COLUMNS = _columns(
    "id,notification_type,received_date,region,employer_inn,employer_name,fio,birth_date,"
    "citizenship,id_doc_number,contract_type,contract_no,contract_date,contract_end,"
    "termination_date,termination_reason,occupation,work_permit_ref"
)
EMPLOYER_COLUMNS = _columns(
    "id,inn,kpp,ogrn,name_full,name_short,reg_date,region,address,okved,okved_name,status,"
    "termination_date,termination_method,director,director_citizenship,"
    "authorized_capital_rub,note"
)
EXEMPTION_COLUMNS = _columns(
    "id,reference,date_approved,valid_until,scope,employer_inn,employer_name,max_persons,summary"
)

INN = "2500012345"


def permit(n: int, issued: str, contract_date: str, **extra: str) -> dict[str, str]:
    row = {
        "id": f"WP-{n:07d}",
        "series": "25",
        "number": f"18{n:08d}",
        "issued_by": "УВМ УМВД России по Приморскому краю",
        "issue_date": issued,
        "valid_from": issued,
        "valid_to": "31.12.2018",
        "region": "Приморский край",
        "fio": "КИМ ЧОЛ СУ",
        "fio_lat": "KIM CHOL SU",
        "sex": "М",
        "birth_date": f"{(n % 27) + 1:02d}.03.1980",
        "citizenship": "КНДР",
        "id_doc_type": "национальный паспорт",
        "id_doc_number": f"836{n:06d}",
        "employer_inn": INN,
        "employer_name": "ООО «Тест»",
        "occupation": "Штукатур",
        "contract_no": f"ТД-{n}",
        "contract_date": contract_date,
        "committee_ref": "",
        "status": "истек срок действия",
        "annul_date": "",
        "annul_reason": "",
    }
    row.update(extra)
    return row


def notice(n: int, kind: str, holder: dict[str, str], **extra: str) -> dict[str, str]:
    row = {
        "id": f"EN-{n:07d}",
        "notification_type": kind,
        "received_date": "01.02.2016",
        "region": "Приморский край",
        "employer_inn": holder["employer_inn"],
        "employer_name": "ООО «Тест»",
        "fio": "Ким Чхольсу",
        "birth_date": holder["birth_date"],
        "citizenship": "КНДР",
        "id_doc_number": holder["id_doc_number"],
        "contract_type": "трудовой договор",
        "contract_no": holder["contract_no"],
        "contract_date": holder["contract_date"],
        "contract_end": "",
        "termination_date": "",
        "termination_reason": "",
        "occupation": "Штукатур",
        "work_permit_ref": "",
    }
    row.update(extra)
    return row


def employer(inn: str = INN, registered: str = "01.02.2010") -> dict[str, str]:
    return {
        "id": "EM-00001",
        "inn": inn,
        "kpp": "250001001",
        "ogrn": "1022500000000",
        "name_full": "Общество с ограниченной ответственностью «Тест»",
        "name_short": "ООО «Тест»",
        "reg_date": registered,
        "region": "Приморский край",
        "address": "",
        "okved": "41.20",
        "okved_name": "",
        "status": "действующее",
        "termination_date": "",
        "termination_method": "",
        "director": "",
        "director_citizenship": "РФ",
        "authorized_capital_rub": "10000",
        "note": "",
    }


def exemption(ref: str, approved: str, until: str, persons: str, inn: str = INN) -> dict[str, str]:
    return {
        "id": "CE-001",
        "reference": ref,
        "date_approved": approved,
        "valid_until": until,
        "scope": "work_authorizations",
        "employer_inn": inn,
        "employer_name": "ООО «Тест»",
        "max_persons": persons,
        "summary": "",
    }


def write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        out = csv.DictWriter(fh, columns)
        out.writeheader()
        out.writerows(rows)
    return path


def folder(
    root: Path,
    permits: list[dict[str, str]],
    notices: list[dict[str, str]] | None = None,
    employers: list[dict[str, str]] | None = None,
    exemptions: list[dict[str, str]] | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write(root / "work_permits.csv.gz", PERMIT_COLUMNS, permits)
    write(root / "employment_notifications.csv", NOTICE_COLUMNS, notices or [])
    write(root / "employers.csv", EMPLOYER_COLUMNS, employers or [employer()])
    write(root / "committee_exemptions.csv", EXEMPTION_COLUMNS, exemptions or [])
    return root


EXTENSION_COLUMNS = _columns(
    "id,permit_series,permit_number,decision_date,valid_to_new,fio,id_doc_number,"
    "employer_inn,contract_no,contract_date,issued_by"
)
VISA_COLUMNS = _columns(
    "id,visa_number,category,visa_type,purpose,multiplicity,issue_date,valid_from,valid_to,"
    "issued_at,name_lat,fio,sex,birth_date,citizenship,passport_number,inviting_party,"
    "inviting_inn,invitation_no,entry_date"
)


def extension(
    n: int, held: dict[str, str], decided: str, until: str, **extra: str
) -> dict[str, str]:
    row = {
        "id": f"WX-{n:07d}",
        "permit_series": held["series"],
        "permit_number": held["number"],
        "decision_date": decided,
        "valid_to_new": until,
        "fio": held["fio"],
        "id_doc_number": held["id_doc_number"],
        "employer_inn": held["employer_inn"],
        "contract_no": held["contract_no"],
        "contract_date": held["contract_date"],
        "issued_by": held["issued_by"],
    }
    row.update(extra)
    return row


def visa(n: int, holder: dict[str, str], visa_type: str, issued: str) -> dict[str, str]:
    return {
        "id": f"VS-{n:07d}",
        "visa_number": f"{n:09d}",
        "category": "обыкновенная",
        "visa_type": visa_type,
        "purpose": "",
        "multiplicity": "однократная",
        "issue_date": issued,
        "valid_from": issued,
        "valid_to": "",
        "issued_at": "",
        "name_lat": "KIM CHOL SU",
        "fio": "",
        "sex": "М",
        "birth_date": holder["birth_date"],
        "citizenship": "КНДР",
        "passport_number": holder["id_doc_number"],
        "inviting_party": "",
        "inviting_inn": "",
        "invitation_no": "",
        "entry_date": issued,
    }


CROSSING_COLUMNS = _columns(
    "id,crossing_datetime,direction,checkpoint,transport,country_from_to,name_lat,birth_date,"
    "sex,citizenship,doc_type,doc_number,visa_number,purpose"
)
DECISION_COLUMNS = _columns(
    "id,decision_no,decision_type,decision_date,valid_until,region,fio,birth_date,birthplace,"
    "prev_citizenship,prev_doc,new_doc"
)
STAFF_COLUMNS = _columns(
    "id,mission,fio,name_lat,sex,birth_date,title,passport_number,accreditation_card,"
    "accredited_from,accredited_to"
)


def crossing(n: int, holder: dict[str, str], when: str, direction: str) -> dict[str, str]:
    return {
        "id": f"BC-{n:07d}",
        "crossing_datetime": when,
        "direction": direction,
        "checkpoint": "Хасан",
        "transport": "поезд",
        "country_from_to": "КНДР",
        "name_lat": holder["fio_lat"],
        "birth_date": holder["birth_date"],
        "sex": "М",
        "citizenship": "PRK",
        "doc_type": "национальный паспорт",
        "doc_number": holder["id_doc_number"],
        "visa_number": "",
        "purpose": "работа",
    }


def decision(
    n: int, holder: dict[str, str], kind: str, day: str, until: str = ""
) -> dict[str, str]:
    return {
        "id": f"SD-{n:04d}",
        "decision_no": f"D-{n}",
        "decision_type": kind,
        "decision_date": day,
        "valid_until": until,
        "region": "Приморский край",
        "fio": holder["fio"],
        "birth_date": holder["birth_date"],
        "birthplace": "КНДР",
        "prev_citizenship": "КНДР",
        "prev_doc": holder["id_doc_number"],
        "new_doc": "",
    }


def staff(n: int, title: str, since: str, until: str) -> dict[str, str]:
    return {
        "id": f"DS-{n:04d}",
        "mission": "Посольство КНДР в Российской Федерации",
        "fio": "Ким Чхольсу",
        "name_lat": "KIM CHOL SU",
        "sex": "М",
        "birth_date": "01.01.1970",
        "title": title,
        "passport_number": f"PD{n:09d}",
        "accreditation_card": "",
        "accredited_from": since,
        "accredited_to": until,
    }


FOUNDER_COLUMNS = _columns(
    "id,employer_inn,founder_type,founder_name,founder_name_lat,country,founder_reg_no,"
    "share_pct,contribution_rub,date_from,date_to"
)


def founder(
    n: int,
    inn: str,
    name: str,
    since: str,
    until: str = "",
    *,
    country: str = "КНДР",
    kind: str = "ИН ЮЛ",
    money: str = "5000",
    reg_no: str = "",
) -> dict[str, str]:
    return {
        "id": f"EF-{n:05d}",
        "employer_inn": inn,
        "founder_type": kind,
        "founder_name": name,
        "founder_name_lat": name if kind.startswith("ИН") else "",
        "country": country,
        "founder_reg_no": reg_no or f"KP-{n:04d}",
        "share_pct": "50",
        "contribution_rub": money,
        "date_from": since,
        "date_to": until,
    }
