"""The engine reader's splitting and trimming against Python's own: split_lines (the
common lines read by Arrow's CSV parser, the others by csv.reader) gives, line for
line, what ``csv.reader(strict=True)`` gives each line alone, on random lines made of
quotes, separators, white space and Cyrillic; cells.clean (trimming only the cells
whose bytes say they may need it) gives what trimming every cell gives."""

from __future__ import annotations

import csv
import random

import pyarrow as pa
import pytest

from hermit.compliance.engine.cells import clean, clean_all, may_need_trim
from hermit.compliance.engine.split import BLANK, SPACE, row_pattern, split_lines, width_fault

ALPHABET = ['"', '"', ",", ",", ";", " ", "a", "b", "Ж", "ё", "\u3000", "\xa0", "\t", "№", "\x00"]


def _expected(text: str, delimiter: str, width: int) -> tuple[list[str] | None, str | None]:
    """csv.reader's cells of one line, or its fault; (None, None) for a dropped line."""
    stripped = text.strip(BLANK + delimiter)
    if not stripped:
        return None, None
    try:
        cells = next(csv.reader([text], delimiter=delimiter, strict=True))
    except csv.Error as exc:
        return None, f"not readable as CSV: {exc}"
    if not stripped.isascii() and not any(c.strip() for c in cells):
        return None, None
    if len(cells) != width:
        return None, width_fault(len(cells), width, delimiter)
    return cells, None


def _random_line(rng: random.Random, delimiter: str, width: int) -> str:
    if rng.random() < 0.5:  # cells, some quoted whole
        cells = []
        for _ in range(width + rng.choice([0, 0, 0, -1, 1])):
            cell = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 5)))
            if rng.random() < 0.4:
                cell = '"' + cell.replace('"', '""') + '"'
            else:
                cell = cell.replace('"', "").replace(delimiter, "")
            cells.append(cell)
        return delimiter.join(cells)
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_split_lines_is_csv_reader_line_by_line(delimiter: str) -> None:
    rng = random.Random(14)
    width = 4
    texts = ["header"] + [_random_line(rng, delimiter, width) for _ in range(3000)]
    split = split_lines(
        pa.array(texts, pa.string()), pa.array(range(len(texts)), pa.int64()), delimiter, width
    )
    assert split is not None
    want_lines, want_faults, want_cells = [], {}, []
    for pos, text in enumerate(texts[1:], start=1):
        cells, fault = _expected(text, delimiter, width)
        if cells is None and fault is None:
            continue
        if fault is not None:
            want_faults[len(want_lines)] = fault
        want_lines.append(pos + 1)
        want_cells.append(cells if cells is not None else [""] * width)
    assert split.lines == want_lines
    assert split.faults == want_faults
    for at in range(width):
        assert split.cell(at).to_pylist() == [row[at] for row in want_cells]
    # both paths were taken
    fast = pa.compute.match_substring_regex(pa.array(texts[1:]), row_pattern(delimiter, width))
    assert 0 < pa.compute.sum(fast).as_py() < len(texts) - 1


def test_every_white_space_character_is_found() -> None:
    for ch in SPACE:
        values = pa.array([ch + "x", "x" + ch, ch, "ЖЖ" + ch + "Ж"], pa.string())
        assert may_need_trim(values).tolist() == [True, True, True, False], repr(ch)


def test_clean_is_trimming_every_cell() -> None:
    rng = random.Random(9)
    chars = [*SPACE, "a", "Ж", "ё", "«", "»", "№", "\u4e00", "é", '"']
    values: list[str | None] = [
        "".join(rng.choice(chars) for _ in range(rng.randint(0, 6))) for _ in range(20_000)
    ]
    values[::97] = [None] * len(values[::97])
    array = pa.array(values, pa.string())
    for part in (array, array.slice(13, 5000), array.slice(0, 0)):
        assert clean(part).equals(clean_all(part))
    plain = pa.array(["КИМ ЧОЛ", "a", "ЖЖ"], pa.string())
    assert clean(plain) is plain  # nothing to trim, nothing blank: no copy
