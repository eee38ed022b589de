"""Schema compatibility: a person is not a vessel, a company is not an aircraft."""

from __future__ import annotations

from hermit.screening.result import Contribution

#: Query schema -> the listed schemata it can be. LegalEntity: person or organization.
COMPATIBLE: dict[str, frozenset[str]] = {
    "Person": frozenset({"Person", "LegalEntity"}),
    "Organization": frozenset({"Organization", "Company", "LegalEntity"}),
    "Company": frozenset({"Organization", "Company", "LegalEntity"}),
    "LegalEntity": frozenset({"Person", "Organization", "Company", "LegalEntity"}),
    "Vessel": frozenset({"Vessel"}),
    "Airplane": frozenset({"Airplane"}),
}
INCOMPATIBLE = -1.0


def schema_feature(query_schema: str | None, listed_schema: str) -> Contribution | None:
    """None when compatible or unknown; a contribution that rules the pair out when not."""
    if query_schema is None or listed_schema in COMPATIBLE.get(query_schema, frozenset()):
        return None
    article = "an" if query_schema[0] in "AEIOU" else "a"
    return Contribution(
        "schema",
        INCOMPATIBLE,
        f"{article} {query_schema} cannot be the listed {listed_schema}: ruled out",
    )
