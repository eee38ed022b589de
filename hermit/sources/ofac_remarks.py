"""The OFAC SDN remarks mini-language: ``DOB 18 Jun 1964; POB Kaesong, DPRK; ...``.

Each clause becomes a typed Clause: what it says (``kind``), its value, and the
details some kinds carry (country, issue and expiry dates, a date's precision). A
clause no rule knows is kept as kind ``remark``: nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

PARSER = "ofac-remarks@1"

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}


@dataclass(frozen=True, slots=True)
class Clause:
    """One clause of the remarks.

    ``kind``: birth_date, birth_place, nationality, citizenship, gender, ship_imo,
    company_imo, mmsi, linked_to, weak_alias, previous_name, identifier, email, phone,
    website, sanctions, incorporation_date, sector, vessel_*, aircraft_*, digital_currency,
    remark. ``prop`` is the FtM property an identifier goes to; ``label`` the OFAC label.
    """

    kind: str
    value: str
    text: str
    alt: bool = False
    label: str | None = None
    prop: str | None = None
    country: str | None = None
    issued: str | None = None
    expires: str | None = None
    dates: tuple[str, ...] = field(default_factory=tuple)
    qualifier: str | None = None


def parse_date(text: str) -> str | None:
    """``18 Jun 1964`` -> 1964-06-18, ``Jun 1964`` -> 1964-06, ``1964`` -> 1964."""
    text = text.strip().rstrip(".")
    for fmt, out in (("%d %b %Y", "%Y-%m-%d"), ("%b %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(text, fmt).strftime(out)
        except ValueError:
            continue
    return None


def birth_dates(text: str) -> tuple[tuple[str, ...], str] | None:
    """Dates of birth and their qualifier: exact, circa, or a range (one date per year;
    a day range inside one year keeps both ends)."""
    text = text.strip().rstrip(".")
    circa = text.lower().startswith("circa ")
    if circa:
        text = text[6:]
    if " to " in text:
        start, end = (parse_date(p) for p in text.split(" to ", 1))
        if start is None or end is None:
            return None
        first, last = int(start[:4]), int(end[:4])
        if last < first:
            return None
        years = tuple(str(y) for y in range(first, last + 1))
        dates = (start, end) if first == last else years
        return dates, f"between {start} and {end}"
    single = parse_date(text)
    if single is None:
        return None
    return (single,), "circa" if circa else "exact"


# Identifier labels -> FtM property (reviewed against every label in the 2021 SDN file).
IDENTIFIER_LABELS: dict[str, str] = {
    "Passport": "passportNumber",
    "Diplomatic Passport": "passportNumber",
    "National ID No.": "idNumber",
    "Cedula No.": "idNumber",
    "Personal ID Card": "idNumber",
    "Identification Number": "idNumber",
    "D.N.I.": "idNumber",
    "C.U.R.P.": "idNumber",
    "Electoral Registry No.": "idNumber",
    "Credencial electoral": "idNumber",
    "SSN": "idNumber",
    "Driver's License No.": "idNumber",
    "Residency Number": "idNumber",
    "Birth Certificate Number": "idNumber",
    "I.F.E.": "idNumber",
    "Kenyan ID No.": "idNumber",
    "Refugee ID Card": "idNumber",
    "Stateless Person ID Card": "idNumber",
    "Public Security and Immigration No.": "idNumber",
    "Travel Document Number": "idNumber",
    "Cartilla de Servicio Militar Nacional": "idNumber",
    "Military ID": "idNumber",
    "Registration Number": "registrationNumber",
    "Registration ID": "registrationNumber",
    "Company Number": "registrationNumber",
    "Commercial Registry Number": "registrationNumber",
    "Business Registration Document #": "registrationNumber",
    "Business Registration Number": "registrationNumber",
    "Business Number": "registrationNumber",
    "Enterprise Number": "registrationNumber",
    "Trade License No.": "registrationNumber",
    "Matricula Mercantil No": "registrationNumber",
    "Folio Mercantil No.": "registrationNumber",
    "Legal Entity Number": "registrationNumber",
    "Certificate of Incorporation Number": "registrationNumber",
    "Unified Social Credit Code (USCC)": "registrationNumber",
    "UK Company Number": "registrationNumber",
    "Chamber of Commerce Number": "registrationNumber",
    "Government Gazette Number": "registrationNumber",
    "D-U-N-S Number": "registrationNumber",
    "Tax ID No.": "taxNumber",
    "R.F.C.": "taxNumber",
    "RFC": "taxNumber",
    "NIT #": "taxNumber",
    "C.U.I.T.": "taxNumber",
    "V.A.T. Number": "taxNumber",
    "Italian Fiscal Code": "taxNumber",
    "US FEIN": "taxNumber",
    "RUC #": "taxNumber",
    "C.R. No.": "registrationNumber",
    "SWIFT/BIC": "swiftBic",
    "BIK (RU)": "registrationNumber",
}
_ID_LABELS = "|".join(re.escape(k) for k in sorted(IDENTIFIER_LABELS, key=len, reverse=True))
_DATE = r"\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{4}|\d{4}"
_IDENT = re.compile(
    rf"^(?P<label>{_ID_LABELS}) (?P<number>.+?)(?: \((?P<country>[^)]+)\))?"
    rf"(?: issued (?P<issued>{_DATE}))?(?: expires (?P<expires>{_DATE}))?\.?$"
)
_COMPANY_IMO = re.compile(r"^(?:Company Number|Identification Number) IMO (?P<v>\d{6,7})\.?$")
_SANCTIONS = (
    "Secondary sanctions risk:",
    "Transactions Prohibited For Persons",
    "Additional Sanctions Information",
    "Executive Order",
    "CAATSA",
    "Effective Date",
    "Listing Date",
    "IFCA Determination",
    "Subject to Directive",
    "all offices worldwide",
)
# (regex, kind, FtM property or None); the first that matches wins.
_SIMPLE: tuple[tuple[re.Pattern[str], str, str | None], ...] = tuple(
    (re.compile(p), k, prop)
    for p, k, prop in (
        (r"^POB (?P<v>.+?)\.?$", "birth_place", "birthPlace"),
        (r"^nationality (?P<v>.+?)\.?$", "nationality", "nationality"),
        (r"^citizen (?P<v>.+?)\.?$", "citizenship", "citizenship"),
        (r"^Nationality of Registration (?P<v>.+?)\.?$", "registration_country", "country"),
        (r"^Gender (?P<v>Male|Female)\.?$", "gender", "gender"),
        (r"^Vessel Registration Identification (?:IMO )?(?P<v>\d{7})\.?$", "ship_imo", "imoNumber"),
        (
            r"^(?:Company Number|Identification Number) IMO (?P<v>\d{6,7})\.?$",
            "company_imo",
            "registrationNumber",
        ),
        (r"^MMSI (?P<v>\d{9})\.?$", "mmsi", "mmsi"),
        (r"^Linked To: (?P<v>.+)$", "linked_to", None),
        (r"^a\.k\.a\.,? '(?P<v>.+?)'?\.?$", "weak_alias", "weakAlias"),
        (r"^f\.k\.a\.,? '(?P<v>.+?)'?\.?$", "previous_name", "previousName"),
        (r"^(?:Email Address|EMAIL) (?P<v>\S+?)\.?$", "email", "email"),
        (r"^(?:Phone Number|PHONE|Telephone|Tel\.?) (?P<v>.+?)\.?$", "phone", "phone"),
        (r"^(?:FAX|Fax) (?P<v>.+?)\.?$", "fax", None),
        (r"^Website (?P<v>\S+?)\.?$", "website", "website"),
        (
            r"^Organization Established Date (?P<v>.+?)\.?$",
            "incorporation_date",
            "incorporationDate",
        ),
        (r"^Organization Type: (?P<v>.+?)\.?$", "sector", "sector"),
        (r"^Digital Currency Address - (?P<v>.+?)\.?$", "digital_currency", None),
        (r"^Vessel Year of Build (?P<v>\d{4})\.?$", "vessel_build_year", "buildDate"),
        (r"^(?:Former|Other) Vessel Flag (?P<v>.+?)\.?$", "vessel_past_flag", "pastFlags"),
        (r"^Other Vessel Call Sign (?P<v>.+?)\.?$", "vessel_call_sign", "callSign"),
        (r"^Other Vessel Type (?P<v>.+?)\.?$", "vessel_type", "pastTypes"),
        (r"^Vessel Gross Registered Tonnage (?P<v>.+?)\.?$", "vessel_grt", None),
        (r"^Aircraft Manufacture Date (?P<v>.+?)\.?$", "aircraft_build_date", "buildDate"),
        (r"^Aircraft Model (?P<v>.+?)\.?$", "aircraft_model", "model"),
        (r"^Aircraft Operator (?P<v>.+?)\.?$", "aircraft_operator", None),
        (
            r"^Aircraft Manufacturer'?s Serial Number \(MSN\) (?P<v>.+?)\.?$",
            "aircraft_msn",
            "serialNumber",
        ),
        (
            r"^Aircraft Construction Number \(also called L/N or S/N or F/N\) (?P<v>.+?)\.?$",
            "aircraft_construction_number",
            "serialNumber",
        ),
        (r"^Aircraft Tail Number (?P<v>.+?)\.?$", "aircraft_tail_number", "registrationNumber"),
        (r"^Aircraft Mode S Transponder Code (?P<v>.+?)\.?$", "aircraft_mode_s", None),
        (r"^Aircraft Manufacturer (?P<v>.+?)\.?$", "aircraft_manufacturer", "manufacturer"),
    )
)


def split_clauses(remarks: str) -> list[str]:
    """Clauses are separated by ``; `` (the whole remark may end with a period)."""
    return [c.strip() for c in remarks.split("; ") if c.strip()]


def parse_clause(text: str) -> Clause:
    alt = text.startswith(("alt. ", "Alt. "))
    body = text[5:] if alt else text
    if body.startswith("DOB "):
        parsed = birth_dates(body[4:])
        if parsed is not None:
            dates, qualifier = parsed
            return Clause(
                "birth_date",
                dates[0],
                text,
                alt,
                dates=dates,
                qualifier=("alt. " if alt else "") + qualifier,
                prop="birthDate",
            )
    if body.startswith(_SANCTIONS):
        return Clause("sanctions", body.rstrip("."), text, alt)
    company = _COMPANY_IMO.match(body)
    if company is not None:  # before the identifiers: "Company Number" is one of them
        return Clause("company_imo", company.group("v"), text, alt, prop="registrationNumber")
    ident = _IDENT.match(body)
    if ident is not None:
        label = ident.group("label")
        issued, expires = ident.group("issued"), ident.group("expires")
        return Clause(
            "identifier",
            ident.group("number").strip(),
            text,
            alt,
            label=label,
            prop=IDENTIFIER_LABELS[label],
            country=ident.group("country"),
            issued=None if issued is None else parse_date(issued),
            expires=None if expires is None else parse_date(expires),
        )
    for pattern, kind, prop in _SIMPLE:
        found = pattern.match(body)
        if found is not None:
            return Clause(kind, found.group("v").strip(), text, alt, prop=prop)
    return Clause("remark", text.rstrip("."), text, alt)


def parse_remarks(remarks: str | None) -> list[Clause]:
    if not remarks:
        return []
    return [parse_clause(c) for c in split_clauses(remarks)]
