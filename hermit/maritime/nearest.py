"""The nearest of a set of points within a distance, for many positions at once (numpy).

Each point is entered in every grid cell from which a position within ``max_km`` of it
could lie (a great-circle distance is at least the Earth's radius times the latitude
difference, and at least ``2 R asin(sqrt(cos lat1 cos lat2) sin(dlon / 2))``); a
position is measured only against the points entered in its own cell, in chunks so
that memory stays bounded. Longitudes do not wrap at 180 degrees (as the SQL cell joins
of the detectors never did). Distances are ``hav_km`` (geo.MACROS) with its operations
in the same order as ``geo.hav_km_np`` (the cosine of each side's latitude taken
once); of points at the same distance the first in the points' order is taken (the World
Port Index has ports at the same coordinates: Algonac and Walpole Island, Stapleton SI
and Tompkinsville SI; DuckDB's ``arg_min`` over a cell join took whichever its hash
join met first, which varied from run to run)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from hermit.maritime.geo import EARTH_RADIUS_KM

if TYPE_CHECKING:
    from numpy.typing import NDArray


def _cell_key(cy: NDArray[Any], cx: NDArray[Any], span: int) -> NDArray[Any]:
    out: NDArray[Any] = cy * span + cx  # cx from 0 (longitude + 180) to under span
    return out


def nearest_within(
    lat: NDArray[Any],
    lon: NDArray[Any],
    plat: NDArray[Any],
    plon: NDArray[Any],
    max_km: float,
    chunk: int = 500_000,
) -> tuple[NDArray[Any], NDArray[Any]]:
    """(index of the nearest point, its distance in km) for each position, or (-1, inf)
    when no point is within ``max_km``; of points at the same distance, the first."""
    import numpy as np

    n = len(lat)
    best = np.full(n, -1, dtype=np.int64)
    best_km = np.full(n, np.inf)
    if n == 0 or len(plat) == 0:
        return best, best_km
    deg = math.degrees(max_km / EARTH_RADIUS_KM) * 1.001  # latitude bound, with margin
    # cells of a quarter of the bound: a position meets the points within about 1.25
    # bounds of it (a cell of the whole bound would bring those within two)
    cell = deg / 4
    span = math.ceil(360.0 / cell) + 2
    cy0 = np.floor((plat - deg) / cell).astype(np.int64)
    cy1 = np.floor((plat + deg) / cell).astype(np.int64)
    far_lat = np.minimum(np.abs(plat) + deg, 90.0)
    ratio = math.sin(max_km / EARTH_RADIUS_KM / 2) / np.maximum(np.cos(np.radians(far_lat)), 1e-9)
    dlon = np.where(ratio >= 1, 180.0, np.degrees(2 * np.arcsin(np.minimum(ratio, 1.0))) * 1.001)
    # positions' columns run from 0 (-180) to span - 2 (180): no wrap, nothing beyond
    cx0 = np.maximum(np.floor((plon + 180.0 - dlon) / cell).astype(np.int64), 0)
    cx1 = np.minimum(np.floor((plon + 180.0 + dlon) / cell).astype(np.int64), span - 2)
    ny = cy1 - cy0 + 1
    nx = cx1 - cx0 + 1
    per = ny * nx
    owner = np.repeat(np.arange(len(plat)), per)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(per) - per, per)
    keys = _cell_key(cy0[owner] + k // nx[owner], cx0[owner] + k % nx[owner], span)
    order = np.lexsort((owner, keys))  # by cell, then the point's own order
    keys, owner = keys[order], owner[order]
    # hav_km's terms that depend on one side only, computed once a position and a point
    rad = np.pi / 180.0
    cos_p = np.cos(plat * rad)
    # a pair is measured only when its haversine term can be within max_km (a loose
    # bound: the kept pairs' distances are those of hav_km_np, compared as before)
    a_max = math.sin(max_km / EARTH_RADIUS_KM / 2) ** 2 * (1 + 1e-6) + 1e-15
    for s in range(0, n, chunk):
        e = min(s + chunk, n)
        q = _cell_key(
            np.floor(lat[s:e] / cell).astype(np.int64),
            np.floor((lon[s:e] + 180.0) / cell).astype(np.int64),
            span,
        )
        lo = np.searchsorted(keys, q, "left")
        hi = np.searchsorted(keys, q, "right")
        cnt = hi - lo
        has = np.flatnonzero(cnt)
        if len(has) == 0:
            continue
        c = cnt[has]
        pos = np.repeat(has, c)  # position (in the chunk) of each candidate pair
        start = np.cumsum(c) - c
        cand = owner[np.repeat(lo[has], c) + np.arange(len(pos)) - np.repeat(start, c)]
        la, lg = lat[s:e], lon[s:e]
        cos_q = np.cos(la * rad)
        a = (
            np.sin((plat[cand] - la[pos]) * rad / 2) ** 2
            + cos_q[pos] * cos_p[cand] * np.sin((plon[cand] - lg[pos]) * rad / 2) ** 2
        )
        km = np.full(len(a), np.inf)
        close = np.flatnonzero(a <= a_max)
        km[close] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a[close]))
        km = np.where(km <= max_km, km, np.inf)
        mins = np.minimum.reduceat(km, start)
        # the first candidate (in the points' order) at the minimum distance
        at = km == np.repeat(mins, c)
        chosen = np.full(len(has), -1, dtype=np.int64)
        hit = np.flatnonzero(at)
        grp = np.repeat(np.arange(len(has)), c)[hit]
        seen = np.zeros(len(has), dtype=bool)
        # hit is in pair order, pairs of one position in the points' order: keep the first
        uniq, first_at = np.unique(grp, return_index=True)
        seen[uniq] = True
        chosen[uniq] = cand[hit[first_at]]
        ok = seen & np.isfinite(mins)
        best[s + has[ok]] = chosen[ok]
        best_km[s + has[ok]] = mins[ok]
    return best, best_km
