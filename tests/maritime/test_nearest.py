"""nearest_within against measuring every point (hav_km_np), on random positions and
points with ties (points at the same coordinates), at high latitudes and up to the
180th meridian (not across it: the search does not wrap, as the SQL cell joins did not)."""

from __future__ import annotations

import numpy as np
import pytest

from hermit.maritime.geo import hav_km_np
from hermit.maritime.nearest import nearest_within


def _brute(
    lat: np.ndarray, lon: np.ndarray, plat: np.ndarray, plon: np.ndarray, max_km: float
) -> tuple[np.ndarray, np.ndarray]:
    best = np.full(len(lat), -1)
    best_km = np.full(len(lat), np.inf)
    for i in range(len(lat)):
        km = hav_km_np(np.full(len(plat), lat[i]), np.full(len(plat), lon[i]), plat, plon)
        km = np.where(km <= max_km, km, np.inf)
        if np.isfinite(km.min()):
            best_km[i] = km.min()
            best[i] = int(np.flatnonzero(km == km.min())[0])  # the first at the minimum
    return best, best_km


@pytest.mark.parametrize(
    ("lat0", "lon0", "spread", "max_km"),
    [
        (29.3, -94.8, 0.3, 4.0),
        (42.6, -82.5, 0.1, 3.0),
        (78.0, 15.0, 0.5, 4.0),
        (-33.9, 179.7, 0.25, 10.0),
    ],
)
def test_same_as_measuring_every_point(
    lat0: float, lon0: float, spread: float, max_km: float
) -> None:
    rng = np.random.default_rng(20261204)
    plat = lat0 + rng.uniform(-spread, spread, 300)
    plon = lon0 + rng.uniform(-spread, spread, 300)
    plat[150:160], plon[150:160] = plat[:10], plon[:10]  # ten points given twice
    lat = lat0 + rng.uniform(-spread, spread, 3000)
    lon = np.minimum(lon0 + rng.uniform(-spread, spread, 3000), 180.0)
    lat[:10], lon[:10] = plat[:10] + 1e-4, plon[:10]  # right by a doubled point
    got, got_km = nearest_within(lat, lon, plat, plon, max_km, chunk=700)
    want, want_km = _brute(lat, lon, plat, plon, max_km)
    assert (got == want).all()
    assert np.array_equal(got_km, want_km)
    assert (got[:10] < 10).all()  # the tie went to the earlier copy
    assert (got >= 0).sum() > 100  # the case has positions within reach


def test_no_points_or_positions() -> None:
    empty = np.zeros(0)
    idx, km = nearest_within(np.array([1.0]), np.array([2.0]), empty, empty, 4.0)
    assert idx.tolist() == [-1] and km.tolist() == [np.inf]
    idx, km = nearest_within(empty, empty, np.array([1.0]), np.array([2.0]), 4.0)
    assert len(idx) == 0 and len(km) == 0
