"""The generated name tables are what the code derives from rigour and titles.yaml now
(a rigour upgrade or a titles.yaml edit must be followed by scripts/make_name_tables.py)."""

from __future__ import annotations

from importlib import resources

import pytest

from hermit.names import derived, variants


@pytest.mark.parametrize("name", derived.FILES)
def test_generated_file_is_current(name: str) -> None:
    path = resources.files("hermit") / "resources" / "names" / "derived" / f"{name}.tsv"
    assert path.read_text("utf-8") == derived.render(name), (
        f"{name}.tsv is stale: run scripts/make_name_tables.py"
    )


def test_read_tables_equal_the_derivation() -> None:
    assert derived.titles() == derived.compute_titles()
    assert derived.numbers() == derived.compute_numbers()
    assert len(derived.titles()) > 100 and len(derived.numbers()) > 1000


def test_tables_in_use() -> None:
    read = {v.how for v in variants.variants(("forty", "four", "trading"), False)}
    assert "read 'forty four' as 44" in read
    titles = {v.how for v in variants.variants(("dr", "kim", "yong", "chol"), True)}
    assert "title 'dr' set aside" in titles
