"""All front-company red flags of a graph in one call (the CLI, the API and the dossier
use it): dprk_name@1 and dprk_mission_address@1 (hermit.network.flags), the five
structural detectors of hermit.network.fronts, and listed_officer@2
(hermit.network.listed_officers) when a screener over the lists is given.

Core code: it never imports the api, web or cli packages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from hermit.network import fronts
from hermit.network.exposure import Network
from hermit.network.flags import (
    DPRK_MISSION_ADDRESS,
    DPRK_NAME,
    Finding,
    dprk_mission_address,
    dprk_name,
)
from hermit.network.graph import Record
from hermit.network.listed_officers import LISTED_OFFICER, listed_officers

if TYPE_CHECKING:
    from hermit.screening.engine import Screener

DETECTORS = (DPRK_NAME, DPRK_MISSION_ADDRESS, *fronts.DETECTORS, LISTED_OFFICER)


def red_flags(
    records: Callable[[], Iterable[Record]],
    network: Network,
    listed: list[str],
    screener: Screener | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Finding]:
    """Every detector's findings, in the order of ``DETECTORS``. ``records`` gives the
    records the graph was built from, afresh on each call (each detector reads them once)."""
    findings = dprk_name(records(), network, listed)
    findings += dprk_mission_address(records(), network)
    findings += fronts.detect(records(), network, listed)
    if screener is not None:
        findings += listed_officers(records(), network.build, screener, progress)
    return findings
