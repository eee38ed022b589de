"""Gender: a listed gender that differs from the query's counts against; agreement
says little (half of everyone) and adds nothing."""

from __future__ import annotations

from hermit.screening.listed import ListedEntity
from hermit.screening.result import Contribution

OTHER_GENDER = -0.20


def gender_feature(query: str | None, entity: ListedEntity) -> Contribution | None:
    if query is None or not entity.genders or query in entity.genders:
        return None
    listed = ", ".join(sorted(entity.genders))
    return Contribution("gender", OTHER_GENDER, f"the query is {query}, the listed person {listed}")
