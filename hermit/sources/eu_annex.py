"""The annexes of Council Regulation (EU) 2017/1509 (the EU's DPRK regulation) as
OpenSanctions transcribes them, as FollowTheMoney entities: dataset ``eu_dprk_annexes``.

A UTF-8 CSV with a header; one row per listing (``celex``, ``annex``, ``recordId``,
``measure``, ``startDate``, ``reason``, ``schema``) whose other columns are named after
FtM properties (``name``, ``alias``, ``birthDate``, ``passportNumber``, ``imoNumber`` ...;
several values joined by ``;``, quoted where a value holds one). Dates are D.M.YYYY.
This is OpenSanctions' transcription of the Official Journal, not a file the EU
publishes.

Ids: a person or entity is ``eu-dprk-<annex>-<recordId>`` (``eu-dprk-xiii-a-1``); a
vessel is ``eu-dprk-imo-<IMO>``, as one ship is listed in several annexes (asset freeze
and port ban), each listing its own Sanction (``...-sanction-<annex>``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import date, datetime
from pathlib import Path

from hermit.errors import SourceError
from hermit.ids.imo import is_valid_ship_imo
from hermit.model import Entity, Provenance, Value
from hermit.model import schema as ftm
from hermit.sources.snapshot import ListSnapshot, SourceFile

PARSER = "eu-annex-csv@1"
DATASET = "eu_dprk_annexes"
AUTHORITY = "Council of the European Union"
TITLE = "EU DPRK sanctions: annexes of Council Regulation (EU) 2017/1509"
REQUIRED_COLUMNS = ("celex", "annex", "recordId", "schema", "name")
#: The columns that describe the listing, not the listed party.
LISTING_COLUMNS = ("celex", "recordId", "programKey", "annex", "measure", "startDate", "reason")
_SCHEMATA = {
    "person": "Person",
    "legalentity": "Organization",
    "organization": "Organization",
    "company": "Organization",
    "vessel": "Vessel",
}
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_YEAR = re.compile(r"\d{4}")
_RANGE = re.compile(r"(\d{4})\s*-\s*(\d{4})")
_DATE_SPLIT = re.compile(r"\s*(?:;|,|/|\bor\b|\b[a-h]\))\s*")
_NUMBER_REMARK = re.compile(r"(?P<number>[A-Z]{0,3}\d[\w-]*)\s*\((?P<remark>.*)\)\s*")


def entity_id(schema: str, annex: str, record_id: str, imo: str | None, name: str) -> str:
    if schema == "Vessel":
        if imo is not None:
            return f"eu-dprk-imo-{imo}"
        return f"eu-dprk-vessel-{_slug(name)}"
    if record_id:
        return f"eu-dprk-{_slug(annex)}-{record_id}"
    return f"eu-dprk-{_slug(annex)}-{hashlib.sha1(name.encode()).hexdigest()[:10]}"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def split_values(cell: str) -> list[str]:
    """``a; "b; c"; d`` -> ``a``, ``b; c``, ``d``."""
    if ";" not in cell:
        return [cell.strip()] if cell.strip() else []
    parts = next(csv.reader([cell], delimiter=";", skipinitialspace=True))
    return [p.strip() for p in parts if p.strip()]


def birth_dates(text: str) -> list[tuple[str, str | None]] | None:
    """``19.2.1968; 1965 or 1966`` -> (1968-02-19, None), (1965, None), (1966, None);
    ``1960-1965`` -> one year each, qualified ``between``; None if a part is no date."""
    out: list[tuple[str, str | None]] = []
    for piece in _DATE_SPLIT.split(text.strip().rstrip(".")):
        piece = piece.strip().rstrip(".")
        if not piece:
            continue
        if (found := _DMY.fullmatch(piece)) is not None:
            day, month, year = (int(g) for g in found.groups())
            try:
                out.append((date(year, month, day).isoformat(), None))
            except ValueError:
                return None
        elif _YEAR.fullmatch(piece):
            out.append((piece, None))
        elif (found := _RANGE.fullmatch(piece)) is not None:
            low, high = int(found[1]), int(found[2])
            if high < low:
                return None
            out.extend((str(y), f"between {low} and {high}") for y in range(low, high + 1))
        else:
            return None
    return out or None


def parse_eu_annex(path: Path, published: datetime | None = None) -> ListSnapshot:
    """Parse the whole file; every problem is a SourceError naming the file and line."""
    path = Path(path)
    raw, rows, header = _read(path)
    unknown = [h for h in header if not _known_column(h)]
    warnings: list[str] = []
    if unknown:
        warnings.append(
            f"{path}: columns that are no FtM property, kept in notes: {', '.join(unknown)}"
        )
    mains: dict[str, Entity] = {}
    related: dict[str, list[Entity]] = {}
    for line, cells in rows:
        main, sanction = _row(path, line, cells, mains, warnings)
        group = related.setdefault(main.id, [])
        twice = next((e for e in group if e.id == sanction.id), None)
        if twice is not None:
            warnings.append(
                f"{path}, line {line}: {sanction.id} again (line {twice.provenance.line}): merged"
            )
            for value in sanction.values:
                twice.add_value(value)
        else:
            group.append(sanction)
        group.extend(_addresses(main, cells, line, {e.id for e in group}))
    entities: list[Entity] = []
    for entity_key, main in mains.items():
        entities.append(main)
        entities.extend(related[entity_key])
    return ListSnapshot(
        dataset=DATASET,
        title=TITLE,
        parser=PARSER,
        files=[SourceFile(str(path), hashlib.sha256(raw).hexdigest(), len(raw))],
        published=published,
        entities=entities,
        warnings=warnings,
    )


def _known_column(column: str) -> bool:
    return (
        column in LISTING_COLUMNS
        or column == "schema"
        or any(ftm.has_prop(s, column) for s in ("Person", "Organization", "Vessel"))
    )


def _read(path: Path) -> tuple[bytes, list[tuple[int, dict[str, str]]], list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, f"cannot read: {exc.strerror or exc}") from None
    body = raw.removeprefix(b"\xef\xbb\xbf")
    if not body.strip():
        raise SourceError(path, "the file is empty")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            path,
            f"byte 0x{body[exc.start]:02x} is not valid UTF-8 (the annex transcription is "
            "UTF-8: wrong file or re-encoded?)",
            body.count(b"\n", 0, exc.start) + 1,
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(c.strip() for c in cells):
                records.append((start, cells))
    except csv.Error as exc:
        raise SourceError(path, f"malformed CSV: {exc}", reader.line_num) from None
    header = [h.strip() for h in records[0][1]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise SourceError(
            path,
            f"not the EU annex transcription: the header lacks {', '.join(missing)} "
            f"(it starts {','.join(header[:6])!r})",
            records[0][0],
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for at, cells in records[1:]:
        if len(cells) != len(header):
            raise SourceError(path, f"{len(cells)} cells, the header has {len(header)}", at)
        rows.append((at, {h: " ".join(c.split()) for h, c in zip(header, cells, strict=True)}))
    if not rows:
        raise SourceError(path, "no rows after the header", records[0][0])
    return raw, rows, header


def _row(
    path: Path, line: int, cells: dict[str, str], mains: dict[str, Entity], warnings: list[str]
) -> tuple[Entity, Entity]:
    schema = _SCHEMATA.get(cells["schema"].lower())
    if schema is None:
        raise SourceError(
            path, f"unknown schema {cells['schema']!r} (Person, LegalEntity, Vessel)", line
        )
    name = cells["name"]
    if not name:
        raise SourceError(path, "a row without a name", line)
    imo_text = cells.get("imoNumber", "")
    imo = imo_text if schema == "Vessel" and is_valid_ship_imo(imo_text) else None
    eid = entity_id(schema, cells["annex"], cells["recordId"], imo, name)
    record = cells["recordId"] or (imo_text if schema == "Vessel" else "") or name
    main = mains.get(eid)
    if main is None:
        main = mains[eid] = Entity(
            eid, schema, Provenance(DATASET, f"{cells['annex']}/{record}", str(path), line)
        )
    elif main.schema != schema:
        raise SourceError(
            path, f"{eid} is a {main.schema} on line {main.provenance.line}, here a {schema}", line
        )
    _party(path, line, cells, main, warnings)
    return main, _sanction(cells, main, line, path)


def _party(path: Path, line: int, cells: dict[str, str], main: Entity, warnings: list[str]) -> None:
    note = ftm.note_prop(main.schema)
    for column, cell in cells.items():
        if not cell or column in LISTING_COLUMNS or column in ("schema", "address"):
            continue
        if column == "name":
            main.add("name", cell)
            continue
        for text in split_values(cell) if column not in ("notes", "position") else [cell]:
            _value(path, line, column, text, main, note, warnings)
    main.add("topics", "sanction")


def _value(
    path: Path, line: int, column: str, text: str, main: Entity, note: str, warnings: list[str]
) -> None:
    if column == "birthDate":
        parsed = birth_dates(text) if main.schema == "Person" else None
        if parsed is None:
            main.add(note, f"birthDate: {text}", qualifier="unparsed:birthDate")
            warnings.append(
                f"{path}, line {line}: birthDate {text!r} not understood: kept in notes"
            )
            return
        for iso, qualifier in parsed:
            main.add_value(Value("birthDate", iso, None if iso == text else text, qualifier))
        return
    if column == "imoNumber":
        if main.schema == "Vessel" and is_valid_ship_imo(text):
            main.add("imoNumber", text)
        else:
            main.add(note, f"IMO number: {text}", qualifier="eu:imo-not-a-valid-ship-number")
            warnings.append(
                f"{path}, line {line}: IMO number {text!r} is not a valid ship IMO: kept in notes"
            )
        return
    if column == "gender":
        text = text.rstrip(".")
    if column == "nationality":
        text = text.rstrip(".")
    prop = column
    if column == "passportNumber" and main.schema != "Person":
        prop = "idNumber" if ftm.has_prop(main.schema, "idNumber") else "registrationNumber"
    if not ftm.has_prop(main.schema, prop):
        main.add(note, f"{column}: {text}", qualifier=f"eu:{column}")
        return
    if ftm.prop_type(main.schema, prop) == "identifier":
        found = _NUMBER_REMARK.fullmatch(text.strip('"'))
        if found is not None:
            main.add_value(Value(prop, found["number"], text, found["remark"]))
            return
    main.add(prop, text)


def _sanction(cells: dict[str, str], main: Entity, line: int, path: Path) -> Entity:
    sanction = Entity(
        f"{main.id}-sanction-{_slug(cells['annex'])}"
        + (f"-{cells['recordId']}" if cells["recordId"] else ""),
        "Sanction",
        Provenance(DATASET, main.provenance.record_id, str(path), line),
    )
    sanction.add("entity", main.id, cleaned=True)
    sanction.add("authority", AUTHORITY)
    program = cells.get("programKey") or "EU-PRK"
    sanction.add("program", program)
    main.add("program", program, cleaned=True)
    measure = cells.get("measure", "")
    sanction.add("provisions", f"Annex {cells['annex']}" + (f": {measure}" if measure else ""))
    if cells["celex"]:
        sanction.add("summary", f"CELEX {cells['celex']}")
        sanction.add(
            "sourceUrl",
            f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{cells['celex']}",
        )
    start = cells.get("startDate", "")
    found = _DMY.fullmatch(start)
    if found is not None:
        day, month, year = (int(g) for g in found.groups())
        try:
            sanction.add_value(Value("listingDate", date(year, month, day).isoformat(), start))
        except ValueError:
            sanction.add("summary", f"startDate: {start}", qualifier="unparsed:listingDate")
    elif start:
        sanction.add("summary", f"startDate: {start}", qualifier="unparsed:listingDate")
    sanction.add("reason", cells.get("reason") or None)
    sanction.add("recordId", cells["recordId"] or None)
    return sanction


def _addresses(main: Entity, cells: dict[str, str], line: int, have: set[str]) -> list[Entity]:
    out: list[Entity] = []
    for text in split_values(cells.get("address", "")):
        text = text.strip(" ;,.")
        if not text:
            continue
        address_id = f"{main.id}-addr-{hashlib.sha1(text.encode()).hexdigest()[:10]}"
        if ftm.has_prop(main.schema, "addressEntity"):
            main.add("address", text)
            main.add("addressEntity", address_id, cleaned=True)
        if address_id in have:
            continue
        have.add(address_id)
        address = Entity(
            address_id,
            "Address",
            Provenance(DATASET, main.provenance.record_id, main.provenance.file, line),
        )
        address.add("full", text)
        out.append(address)
    return out
