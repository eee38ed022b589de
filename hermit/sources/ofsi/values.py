"""Values of OFSI cells: numbered lists, dates with ``00`` parts, document numbers and
the labelled parts of "Other Information" (``(IMO number):7408873``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: ``(1) A (2) B``, ``1) A 2) B``, ``(a) A b) B``, ``(1)-(2) A``, ``(1-3) A``: item markers.
_MARKER = re.compile(
    r"(?<![\w(])\(?(?:\d{1,2}|[a-hA-H])(?:\s*-\s*\d{1,2})?\)(?:\s*-\s*\(?(?:\d{1,2}|[a-h])\))?"
)
_DOB = re.compile(r"(?:(\d{1,2})/)?(?:(\d{1,2})/)?(\d{4})")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
#: A document number: letters and digits (``G557170``, ``D 000974``, ``103-00653129-22``).
_NUMBER = re.compile(r"(?<![\w/.-])(?:[A-Z]{1,3}[ -]?)?\d[\dA-Z/.-]*[\dA-Z]|(?<![\w/.-])\d")
_A_DATE = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}")
#: The labels OFSI writes into "Other Information" since 2022, as ``(label):value``.
LABELS = (
    "UK Sanctions List Ref", "UK Statement of Reasons", "UN Ref", "Gender", "Phone number",
    "Email address", "Type of entity", "Website", "Parent company", "Business Reg No",
    "Subsidiaries", "IMO number", "Flag of ship", "Type of ship", "Tonnage of ship",
    "Length of ship", "Year built", "Current owners", "Previous flags", "Fax", "Tel",
)  # fmt: skip
_LABEL = re.compile(r"\((" + "|".join(re.escape(x) for x in LABELS) + r")\)\s*:\s*")
_UK_REF = re.compile(r"[A-Z]{2,4}\d{3,5}")
_UN_REF = re.compile(
    r"\bUN\s*Ref(?:erence\s+Number)?\s*[:.]?\s*([A-Z]{2,3}[a-z]?\.(?:[A-Z]\.)?\d+(?:\.\d+)?)", re.I
)


def items(text: str) -> list[str]:
    """The items of a numbered list (``(1) Uganda (2) Uganda``), or the text itself;
    empty items and ``-`` placeholders dropped, repeats kept once."""
    parts = [p.strip(" ,;.-") for p in _MARKER.split(text)]
    found = [p for p in parts if p]
    return list(dict.fromkeys(found)) or ([text] if text.strip(" -") else [])


def birth_date(text: str) -> str | None:
    """``17/08/1958`` -> 1958-08-17; ``00/00/1981`` and ``1981`` -> 1981; ``00/05/1981``
    and ``05/1981`` -> 1981-05 (OFSI writes 00 for an unknown part). None if not a date."""
    found = _DOB.fullmatch(text.strip())
    if found is None:
        return None
    first, second, year = found.groups()
    day, month = (first, second) if second is not None else (None, first)
    day_n = 0 if day is None else int(day)
    month_n = 0 if month is None else int(month)
    if month_n == 0:
        return None if day_n else year
    try:
        date(int(year), month_n, day_n or 1)
    except ValueError:
        return None
    return f"{year}-{month_n:02d}" + (f"-{day_n:02d}" if day_n else "")


def list_date(text: str) -> str | None:
    """``05/03/2016`` (Listed On, Last Updated, Date Designated) -> 2016-03-05."""
    found = _DMY.fullmatch(text.strip())
    if found is None:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def document_number(text: str) -> str | None:
    """The number in a passport or identity text (``Passport No: 592667 (Qatari ...)``
    -> 592667): the first run of letters and digits holding at least four digits that is
    not a date or a year. None when the text names no number."""
    for found in _NUMBER.finditer(text):
        token = found.group(0).rstrip(".-/")
        digits = sum(ch.isdigit() for ch in token)
        if digits < 4 or len(token) < 5 or _A_DATE.fullmatch(token):
            continue
        return token
    return None


@dataclass(frozen=True, slots=True)
class OtherInformation:
    """ "Other Information" split: the free text, and each labelled part (label, value)."""

    free: str
    labelled: list[tuple[str, str]]
    un_refs: list[str]

    def get(self, label: str) -> list[str]:
        return [v for k, v in self.labelled if k == label and v]


def other_information(text: str) -> OtherInformation:
    """Split ``(UK Sanctions List Ref):DPR0100. Pursuant ... (IMO number):7408873
    (Flag of ship):North Korea`` into its parts; a reference keeps only its code, the
    text after it going to the free text."""
    pieces = _LABEL.split(text)
    free = [pieces[0].strip()]
    labelled: list[tuple[str, str]] = []
    for label, value in zip(pieces[1::2], pieces[2::2], strict=True):
        value = value.strip()
        code = {"UK Sanctions List Ref": _UK_REF, "UN Ref": re.compile(r"\S+?(?=\.?(?:\s|$))")}
        pattern = code.get(label)
        if pattern is not None:
            found = pattern.match(value)
            if found is not None:
                rest = value[found.end() :].lstrip(". ")
                value = found.group(0)
                if rest:
                    free.append(rest)
        labelled.append(
            (label, value.rstrip(" .") if label != "UK Statement of Reasons" else value)
        )
    un_refs = [v for k, v in labelled if k == "UN Ref"]
    un_refs += [m.group(1) for m in _UN_REF.finditer(text) if m.group(1) not in un_refs]
    return OtherInformation(" ".join(f for f in free if f), labelled, list(dict.fromkeys(un_refs)))
