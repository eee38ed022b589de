"""Bad input through the real command: a clear message naming the file (and line),
a non-zero exit, and the store exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import SAMPLES, hermit

XXE = """<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL>
<FIRST_NAME>&xxe;</FIRST_NAME><REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER>
</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>
"""
#: The Ctrl-Z line that closes OFAC's CSV files (a file without it looks truncated).
END = b"\x1a\r\n"
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol3;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
"""


def _cases(tmp: Path) -> dict[str, tuple[Path, str | None]]:
    """name -> (file, line expected in the message or None)."""
    xml = (SAMPLES / "un_consolidated_sample.xml").read_bytes()
    sdn = (SAMPLES / "sdn.csv").read_bytes()
    lines = sdn.splitlines(keepends=True)
    made: dict[str, tuple[bytes, str, str | None]] = {
        "truncated_xml": (xml[: len(xml) // 2], "un.xml", None),
        "xxe": (XXE.encode(), "un.xml", None),
        "billion_laughs": (LAUGHS.encode(), "un.xml", None),
        "wrong_root": (b'<?xml version="1.0"?>\n<rss><channel/></rss>\n', "un.xml", None),
        "empty": (b"", "sdn.csv", None),
        "blank": (b"\n  \n", "sdn.csv", None),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "sdn.csv", None),
        "text": (b"hello, this is not a list\n", "sdn.csv", None),
        "csv_columns": (
            lines[0] + lines[1] + b'99999,"X","individual"\r\n' + END,
            "sdn.csv",
            "3",
        ),
        "csv_encoding": (lines[0] + lines[1].replace(b"PAEK", b"P\xc9EK") + END, "sdn.csv", "2"),
        "csv_quote": (
            lines[0] + b'77777,"BROKEN NAME,-0- ,"DPRK",-0- \r\n' + END,
            "sdn.csv",
            "2",
        ),
        "csv_no_end_mark": (lines[0] + lines[1], "sdn.csv", "3"),
        "json_truncated": (
            b'{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\n{"id"',
            "x.json",
            "2",
        ),
    }
    out: dict[str, tuple[Path, str | None]] = {}
    for name, (data, filename, line) in made.items():
        folder = tmp / name
        folder.mkdir()
        path = folder / filename
        path.write_bytes(data)
        out[name] = (path, line)
    return out


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store") / "store.duckdb"
    hermit(
        store,
        "lists",
        "load",
        str(SAMPLES / "un_consolidated_sample.xml"),
        str(SAMPLES / "sdn.csv"),
    )
    return store


@pytest.mark.parametrize(
    "case",
    [
        "truncated_xml",
        "xxe",
        "billion_laughs",
        "wrong_root",
        "empty",
        "blank",
        "binary",
        "text",
        "csv_columns",
        "csv_encoding",
        "csv_quote",
        "csv_no_end_mark",
        "json_truncated",
    ],
)
def test_bad_file_is_refused_and_store_untouched(
    case: str, loaded_store: Path, tmp_path: Path
) -> None:
    before = hermit(loaded_store, "lists", "history").stdout
    path, line = _cases(tmp_path)[case]
    proc = hermit(loaded_store, "lists", "load", str(path), check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    message = proc.stderr
    assert "error:" in message and str(path) in message, message
    if line is not None:
        assert f"line {line}" in message, message
    assert "Traceback" not in proc.stderr
    assert hermit(loaded_store, "lists", "history").stdout == before


def test_one_bad_file_stops_the_good_one_too(loaded_store: Path, tmp_path: Path) -> None:
    before = hermit(loaded_store, "lists", "history").stdout
    good = tmp_path / "sdn.csv"
    good.write_bytes((SAMPLES / "sdn.csv").read_bytes().replace(b"RUNGRADO", b"RUNGRADO NEW"))
    for companion in ("alt.csv", "add.csv", "sdn_comments.csv"):
        (tmp_path / companion).write_bytes((SAMPLES / companion).read_bytes())
    bad = tmp_path / "bad" / "un.xml"
    bad.parent.mkdir()
    bad.write_bytes(b"<CONSOLIDATED_LIST><INDIVIDUALS>")
    proc = hermit(loaded_store, "lists", "load", str(good), str(bad), check=False)
    assert proc.returncode == 1 and str(bad) in proc.stderr
    assert hermit(loaded_store, "lists", "history").stdout == before
