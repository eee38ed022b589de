"""The reviewed country table agrees with FollowTheMoney's own cleaning (drift check)."""

from __future__ import annotations

from importlib import resources

from followthemoney import registry

from hermit.model import countries
from hermit.model.schema import clean_value


def test_table_agrees_with_ftm() -> None:
    text = (resources.files("hermit") / "resources" / "countries.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 150
    for name, code in rows:
        assert (registry.country.clean(name) or "") == code, name


def test_lookup_and_fallback() -> None:
    assert countries.lookup("Korea, North") == "kp"
    assert countries.lookup("  democratic people's republic of korea ") == "kp"
    assert countries.lookup("Atlantis") is None
    assert clean_value("Person", "nationality", "North Korea") == "kp"
    assert clean_value("Person", "nationality", "Atlantis") is None
