"""Small slices of the real list files, one of each format hermit reads, with their
structure kept (the UN and EU XML trees, OFAC's set with companions and Ctrl-Z end
marks, OFSI's Last Updated line and header, the annex CSV header), for tests that
load many mutated copies and must stay quick."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from lxml import etree

from hermit.sources.eu_fsf import parse_eu_fsf
from hermit.sources.ftm_json import write_ftm_jsonl

#: The slices: name -> the file (in its own folder; OFAC's companions beside it).
NAMES = ("un", "eu_fsf", "ofac", "uk", "eu_annex", "ftm")
_END = b"\x1a"


def _un(src: Path, out: Path, individuals: int = 12, entities: int = 6) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(str(src), parser)
    root = tree.getroot()
    for group, tag, keep in (
        ("INDIVIDUALS", "INDIVIDUAL", individuals),
        ("ENTITIES", "ENTITY", entities),
    ):
        holder = root.find(group)
        assert holder is not None
        for record in holder.findall(tag)[keep:]:
            holder.remove(record)
    out.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n")


def _rows(data: bytes) -> list[bytes]:
    """The CSV records of ``data`` as their raw bytes (a quoted cell may span lines)."""
    text = data.decode("latin-1")
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = text.splitlines(keepends=True)
    out: list[bytes] = []
    start = 0
    for _ in reader:
        end = reader.line_num
        out.append("".join(lines[start:end]).encode("latin-1"))
        start = end
    return out


def _ofac(src: Path, folder: Path, count: int = 40) -> Path:
    sdn = [r for r in _rows((src / "ofac_sdn.csv").read_bytes()) if r.strip(b"\x1a\r\n")]
    sdn = sdn[:count]
    nums = {r.split(b",", 1)[0] for r in sdn}
    (folder / "sdn.csv").write_bytes(b"".join(sdn) + _END)
    for name, out, end in (
        ("ofac_alt.csv", "alt.csv", _END),
        ("ofac_add.csv", "add.csv", _END),
        ("ofac_sdn_comments.csv", "sdn_comments.csv", b""),
    ):
        rows = [r for r in _rows((src / name).read_bytes()) if r.split(b",", 1)[0] in nums]
        (folder / out).write_bytes(b"".join(rows) + end)
    return folder / "sdn.csv"


def head_rows(src: Path, out: Path, count: int) -> None:
    """Write the first ``count`` CSV records of ``src`` to ``out``, as their bytes."""
    rows = _rows(src.read_bytes())
    out.write_bytes(b"".join(rows[:count]))


def write_slices(lists: Path, folder: Path) -> dict[str, Path]:
    """Write every slice under ``folder``; returns name -> file to load."""
    made: dict[str, Path] = {}
    for name in NAMES:
        (folder / name).mkdir(parents=True)
    made["un"] = folder / "un" / "un_consolidated.xml"
    _un(lists / "un_consolidated.xml", made["un"])
    made["eu_fsf"] = folder / "eu_fsf" / "eu_fsf.xml"
    made["eu_fsf"].write_bytes((lists / "eu_fsf_sample_2020-04-15.xml").read_bytes())
    made["ofac"] = _ofac(lists, folder / "ofac")
    made["uk"] = folder / "uk" / "conlist.csv"
    head_rows(lists / "uk_ofsi_conlist_2020-04-27.csv", made["uk"], 60)
    made["eu_annex"] = folder / "eu_annex" / "annexes.csv"
    head_rows(lists / "eu_dprk_annexes_2017-1509_opensanctions.csv", made["eu_annex"], 40)
    made["ftm"] = folder / "ftm" / "entities.ftm.json"
    lines = io.BytesIO()
    write_ftm_jsonl(parse_eu_fsf(made["eu_fsf"]).entities, lines)
    # its own dataset and ids, so that it loads beside the EU slice
    text = lines.getvalue().replace(b'"eu-fsf-', b'"ftm-eu-fsf-')
    made["ftm"].write_bytes(text.replace(b'"eu_fsf"', b'"hermit_ftm_slice"'))
    return made
