"""Listed DPRK people whose lists carry no Chinese characters (KIM MUN CHOL, KIM NAM UNG,
JO CHOL SONG: UN KPi.060, KPi.061, KPi.058), written in Hanja as Chinese registries
write them: the standard Hanja of each syllable, traditional and simplified, and the
surname by its surname reading (趙/赵/曺 as 조, not as a word). Issue 10 (names)."""

from __future__ import annotations

import pytest

from hermit.names.hanja import read_hanja
from hermit.names.korean import DIFFERENT_PERSON, compare_names

THRESHOLD = 0.8

#: (Hanja as a registry may write it, its Hangul reading, the listed name)
SAME = [
    ("金文哲", "김문철", "KIM MUN CHOL"),
    ("金文鐵", "김문철", "KIM, Mun Chol"),
    ("金文铁", "김문철", "KIM MUN CHOL"),  # simplified 铁 for 鐵
    ("金南雄", "김남웅", "KIM NAM UNG"),
    ("金 南雄", "김남웅", "KIM, Nam Ung"),
    ("趙哲成", "조철성", "JO CHOL SONG"),
    ("赵铁成", "조철성", "JO, Chol Song"),  # simplified 赵 for 趙
    ("曺哲成", "조철성", "Cho Ch'o'l-so'ng"),  # the UN alias, McCune-Reischauer
]


@pytest.mark.parametrize(("query", "hangul", "listed"), SAME)
def test_hanja_read_with_the_surname_reading(query: str, hangul: str, listed: str) -> None:
    assert read_hanja(query)[0] == hangul


@pytest.mark.parametrize(("query", "hangul", "listed"), SAME)
def test_hanja_name_is_the_listed_person(query: str, hangul: str, listed: str) -> None:
    found = compare_names(query, listed)
    assert found is not None and found.score >= THRESHOLD, found
    assert f"read in Korean as {hangul}" in found.reasons[0], found.reasons


@pytest.mark.parametrize(
    ("query", "listed", "differs"),
    [
        ("金文植", "KIM MUN CHOL", "식 (sik) against chol"),  # 문식, not 문철
        ("金南植", "KIM NAM UNG", "식 (sik) against ung"),  # 남식, not 남웅
        ("趙哲鎬", "JO CHOL SONG", "호 (ho) against song"),  # 철호, not 철성
    ],
)
def test_hanja_with_another_syllable_is_another_person(
    query: str, listed: str, differs: str
) -> None:
    """The syllable that differs is shown in both scripts' reading: the Hangul one
    with its McCune-Reischauer romanization beside the listed spelling."""
    found = compare_names(query, listed)
    assert found is not None and found.score <= DIFFERENT_PERSON < THRESHOLD, found
    assert f"given-name syllable 2 differs ({differs}): a different person" in found.reasons
