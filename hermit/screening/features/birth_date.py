"""Date of birth as graded evidence (hermit-dob@2, see hermit.screening.dates)."""

from __future__ import annotations

from hermit.screening.dates import BirthDate, compare_birth_dates
from hermit.screening.listed import ListedEntity
from hermit.screening.result import Contribution


def birth_date_feature(query: BirthDate | None, entity: ListedEntity) -> Contribution | None:
    found = compare_birth_dates(query, entity.birth_dates)
    return None if found is None else Contribution("birth_date", found.value, found.reason)
