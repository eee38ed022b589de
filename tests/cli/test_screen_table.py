"""``hermit screen NAME`` as an analyst reads it on a terminal: one line per hit, the
reasons under it (one contribution a line with its signed value, wrapped to the width),
the score's cap shown as a cap, and "nothing scored 0.60 or more" when nothing did.

What the table shows is checked against ``hermit screen --json`` for the same query, so
a layout bug and an engine change are told apart.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.helpers import hermit

HEAD = re.compile(r"^(\d\.\d\d) (MATCH|review|suppressed) +(\S+) ")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shared_lists: Path) -> Path:
    path = tmp_path_factory.mktemp("table") / "store.duckdb"
    hermit(
        path,
        "lists",
        "load",
        str(shared_lists / "un_consolidated.xml"),
        str(shared_lists / "ofac_sdn.csv"),
    )
    return path


@functools.cache
def as_json(store: Path, *args: str) -> Any:
    """``hermit screen ARGS --json`` (once per query: each run builds the index)."""
    return orjson.loads(hermit(store, "screen", *args, "--json").stdout)


def hits(text: str) -> list[tuple[str, list[str]]]:
    """The table's hits: each head line (with the lines its caption wrapped onto) and the
    reason lines under it, up to the next hit. Reasons start at column 5, under the
    score; a wrapped caption stays in its own column, further right."""
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines()[1:]:
        if HEAD.match(line):
            out.append((line, []))
        elif out and line.strip():
            head, under = out[-1]
            if not under and not re.match(r"^ {5}\S", line):
                out[-1] = (f"{head}\n{line}", under)
            else:
                under.append(line)
    return out


def reasons(lines: list[str]) -> list[tuple[str, str, str]]:
    """(feature, signed value, reason) per contribution line, the reason's wrapped lines
    joined back; the column the reasons start at is read off the first line."""
    first = re.match(r"^( +)(\S.*?) +([+-]\d\.\d\d) +(\S)", lines[0])
    assert first is not None, lines[0]
    column = first.start(4)
    out: list[tuple[str, str, str]] = []
    for line in lines:
        if line[:column].strip():  # a new contribution: feature and value before the column
            label = line[:column].split()
            value = label[-1] if re.fullmatch(r"[+-]\d\.\d\d", label[-1]) else ""
            feature = " ".join(label[:-1] if value else label)
            out.append((feature, value, line[column:].strip()))
        else:
            feature, value, reason = out[-1]
            out[-1] = (feature, value, f"{reason} {line.strip()}")
    return out


def words(text: str) -> list[str]:
    return text.split()


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(
    "query",
    [
        ("Kim Yong Chol", "--dob", "1962"),
        ("김영철",),
        ("Korea Mining Development Trading Corporation",),
        ("Chong Chon Gang", "--imo", "7944695"),
    ],
    ids=["dob", "hangul", "long-caption", "imo"],
)
def test_each_hit_is_one_line_with_its_reasons_under_it(
    store: Path, columns: int, query: tuple[str, ...]
) -> None:
    expected = as_json(store, *query)["matches"]
    assert expected
    text = hermit(store, "screen", *query, columns=columns).stdout
    lines = text.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= columns
    assert lines[0].startswith(query[0])
    found = hits(text)
    assert [head.split()[2] for head, _ in found] == [m["entity_id"] for m in expected]
    for (head, under), m in zip(found, expected, strict=True):
        match = HEAD.match(head)
        assert match is not None
        assert match[1] == f"{m['score']:.2f}"
        assert match[2] == ("MATCH" if m["is_match"] else "review")
        assert m["schema"] in head and m["datasets"][0] in head
        first = head.splitlines()[0]
        caption_words = words(m["caption"])
        assert caption_words[0] in first  # the caption starts on the hit's line
        assert all(w in head for w in caption_words)  # and wraps in its column
        shown = reasons(under)
        assert len(shown) == len(m["contributions"])
        for (feature, value, reason), c in zip(shown, m["contributions"], strict=True):
            if c["feature"] == "bounds":  # the cap: no feature name, no value
                assert feature == "score" and value == ""
                assert re.fullmatch(r"(capped at 1\.00|held at 0\.00) \(.*\)", reason)
            else:
                assert feature == c["feature"].replace("_", " ")
                assert value == f"{c['value']:+.2f}"
                assert words(reason) == words(c["reason"])
    assert "bounds" not in text and "kept within" not in text


def test_a_wrapped_reason_stays_under_its_hit_at_80_columns(store: Path) -> None:
    text = hermit(store, "screen", "Chong Chon Gang", "--imo", "7944695", columns=80).stdout
    found = hits(text)
    head, under = found[0]
    assert "ofac-17086" in head and "DAI HONG DAN" in head
    imo = next(r for f, _, r in reasons(under) if f == "imo")
    assert len(under) >= 4  # name and imo reasons both wrapped over two lines or more
    # a vessel found by its IMO number under another name says so
    assert imo == (
        "IMO 7944695 is the listed vessel's (the same hull whatever its name); it is now "
        "called 'Chong Chon Gang', listed as 'DAI HONG DAN'"
    )


def test_a_vessel_listed_under_the_queried_name_says_only_whose_imo_it_is(store: Path) -> None:
    found = as_json(store, "Chong Chon Gang", "--imo", "7937317", "--schema", "Vessel")
    top = found["matches"][0]
    assert top["entity_id"] == "ofac-17069"
    imo = next(c for c in top["contributions"] if c["feature"] == "imo")
    assert imo["reason"] == "IMO 7937317 is the listed vessel's (the same hull whatever its name)"
    cap = top["contributions"][-1]
    assert cap["feature"] == "bounds" and cap["reason"].startswith("capped at 1.00")
    assert abs(sum(c["value"] for c in top["contributions"]) - top["score"]) < 1e-6


def test_no_candidate_says_what_nothing_reached(store: Path) -> None:
    floor = as_json(store, "Margaret Thornbury")["run"]["report_floor"]
    for columns in (80, 120):
        text = hermit(store, "screen", "Margaret Thornbury", columns=columns).stdout
        assert text.splitlines() == [
            "Margaret Thornbury",
            f"no candidate: nothing scored {floor:.2f} or more",
        ]
