"""Bounded inputs in a bulk run (issue 11 section 3), through the real ``hermit screen
--file``: a name over ``query.max_name_chars`` or ``query.max_name_words`` is cut and
screened with a warning, a field over ``query.max_field_chars`` is set aside with a
warning, control characters in a name are read as spaces, and a long romanized word
(read as Korean syllables, one recursion a syllable) no longer stops the run."""

from __future__ import annotations

import csv
from pathlib import Path

import orjson

from hermit.limits import query_limits
from tests.cli.helpers import hermit


def test_worst_names_are_cut_and_screened_with_a_warning(lists_store: Path, tmp_path: Path) -> None:
    limits = query_limits()
    rows = [
        ("long", "Kim Yong Chol " + "x" * 5_000, ""),  # one 5,000-letter word
        ("korean", "Ri " + "a" * 900, ""),  # 900 syllables 'a' (a RecursionError on main)
        ("chars", " ".join(["Korea"] * 40 + ["abcdefghijklmnopqrstuvwxyz" * 2] * 20), ""),
        ("words", " ".join(["Kim", "Yong", "Chol"] * 100), ""),
        ("han", "金英哲" * 200, ""),
        ("control", "Kim\x01Yong\x7fChol", ""),
        ("passport", "Ri Jong Ho", "P" * 5_000),
        ("plain", "Kim Yong Chol", "PD1234567"),
    ]
    source = tmp_path / "q.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "passport"])
        writer.writerows(rows)
    output = tmp_path / "out.jsonl"
    proc = hermit(
        lists_store, "screen", "--file", str(source), "-o", str(output), "--workers", "1",
        check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    record = orjson.loads(Path(f"{output}.run.json").read_bytes())
    assert record["counts"]["screened"] == len(rows) and record["counts"]["rejected"] == 0
    results = [orjson.loads(line) for line in output.read_bytes().splitlines()]
    by_id: dict[str, list[dict[str, object]]] = {}
    for r in results:
        by_id.setdefault(str(r["query_id"]), []).append(r)
    assert set(by_id) == {r[0] for r in rows}

    def warnings(query_id: str) -> str:
        found = by_id[query_id][0]["warnings"]
        assert isinstance(found, list)
        return " | ".join(found)

    def name(query_id: str) -> str:
        return str(by_id[query_id][0]["query_name"])

    assert len(name("long")) <= limits.max_name_chars
    assert name("korean") == "Ri " + "a" * 900 and warnings("korean") == ""
    assert "query.max_name_chars" in warnings("long")
    assert name("long").startswith("Kim Yong Chol")
    assert len(name("chars")) <= limits.max_name_chars and " " not in name("chars")[-3:]
    assert len(name("words").split()) == limits.max_name_words
    assert "300 words: screened on the first 64" in warnings("words")
    assert len(name("han")) == limits.max_name_words and "Han, Hangul" in warnings("han")
    assert name("control") == "Kim Yong Chol" and "control characters" in warnings("control")
    assert "passport" in warnings("passport") and "query.max_field_chars" in warnings("passport")
    assert by_id["plain"][0]["warnings"] == [] and by_id["plain"][0]["status"] == "alert"
    # the long name is still found: its first words are a listed name
    assert any(r["status"] == "alert" for r in by_id["long"])
