"""When a work permit is valid: from its issue date to the latest validity end of its
extensions (or its own), and until the day before its annulment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from hermit.compliance.checks.extension_after_ban import permit_key
from hermit.compliance.records import LabourRecord


def latest_extensions(extensions: list[LabourRecord]) -> dict[tuple[str, str], dt.date]:
    """The latest new validity end per permit (series, number)."""
    latest: dict[tuple[str, str], dt.date] = {}
    for x in extensions:
        key = permit_key(x.text("permit_series"), x.text("permit_number"))
        until = x.day("valid_to_new")
        if key is not None and until is not None and (key not in latest or until > latest[key]):
            latest[key] = until
    return latest


def validity(
    permit: LabourRecord, latest: dict[tuple[str, str], dt.date]
) -> tuple[dt.date, dt.date] | None:
    """First and last day the permit is valid (None if it never is)."""
    start, end = permit.day("issue_date"), permit.day("valid_to")
    if start is None or end is None:
        return None
    key = permit_key(permit.text("series"), permit.text("number"))
    if key is not None and key in latest and latest[key] > end:
        end = latest[key]
    annulled = permit.day("annul_date")
    if annulled is not None and annulled - dt.timedelta(days=1) < end:
        end = annulled - dt.timedelta(days=1)
    return (start, end) if end >= start else None


def periods(
    permits: list[LabourRecord], extensions: list[LabourRecord]
) -> Iterator[tuple[LabourRecord, dt.date, dt.date]]:
    latest = latest_extensions(extensions)
    for p in permits:
        span = validity(p, latest)
        if span is not None:
            yield p, span[0], span[1]
