"""Nationality and country as light evidence.

Agreement adds a little; a listed nationality that differs from the query's counts
against (people hold several, so not much), and a different country of residence or
registration a little less (people and companies move).
"""

from __future__ import annotations

from hermit.screening.listed import ListedEntity
from hermit.screening.result import Contribution

SAME_NATIONALITY = 0.03
OTHER_NATIONALITY = -0.08
SAME_COUNTRY = 0.02
OTHER_COUNTRY = -0.03


def nationality_feature(query: str | None, entity: ListedEntity) -> Contribution | None:
    if query is None:
        return None
    listed = entity.nationalities or (entity.countries if entity.schema != "Person" else set())
    if not listed:
        return None
    shown = ", ".join(sorted(listed))
    what = "nationality" if entity.nationalities else "country"
    if len(listed) > 1:
        what = "nationalities" if entity.nationalities else "countries"
    if query in listed:
        return Contribution(
            "nationality", SAME_NATIONALITY, f"{query} is among the listed {what} ({shown})"
        )
    return Contribution(
        "nationality", OTHER_NATIONALITY, f"{query} is not among the listed {what} ({shown})"
    )


def country_feature(query: str | None, entity: ListedEntity) -> Contribution | None:
    if query is None or not entity.countries:
        return None
    shown = ", ".join(sorted(entity.countries))
    what = "countries" if len(entity.countries) > 1 else "country"
    if query in entity.countries:
        return Contribution(
            "country", SAME_COUNTRY, f"{query} is among the listed {what} ({shown})"
        )
    return Contribution(
        "country", OTHER_COUNTRY, f"{query} is not among the listed {what} ({shown})"
    )
