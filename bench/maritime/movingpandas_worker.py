"""MovingPandas's part of the AIS work on a slice (run by bench/ais_movingpandas.py in
the bench environment, never imported by hermit): trajectories per MMSI, split at
observation gaps, and stops detected. Prints one JSON object with its CPU times.

    .venv-bench/bin/python bench/maritime/movingpandas_worker.py FILE.parquet GAP_H STOP_H STOP_M
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time


def main() -> None:
    path, gap_h, stop_h, stop_m = sys.argv[1], *map(float, sys.argv[2:5])
    c0 = time.process_time()
    import geopandas as gpd
    import movingpandas as mpd
    import pandas as pd

    c_import = time.process_time()
    df = pd.read_parquet(path, columns=["mmsi", "ts", "lat", "lon", "sog"])
    df = df.dropna(subset=["lat", "lon", "ts"]).drop_duplicates(["mmsi", "ts"])
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.lon, df.lat), crs="EPSG:4326")
    tc = mpd.TrajectoryCollection(gdf, "mmsi", t="ts")
    c_build = time.process_time()
    split = mpd.ObservationGapSplitter(tc).split(gap=dt.timedelta(hours=gap_h))
    c_split = time.process_time()
    stops = mpd.TrajectoryStopDetector(split).get_stop_segments(
        min_duration=dt.timedelta(hours=stop_h), max_diameter=stop_m
    )
    c_stop = time.process_time()
    json.dump(
        {
            "movingpandas": mpd.__version__,
            "rows": len(df),
            "trajectories": len(tc),
            "segments_after_gap_split": len(split),
            "stops": len(stops),
            "import_cpu_s": round(c_import - c0, 2),
            "build_cpu_s": round(c_build - c_import, 2),
            "gap_split_cpu_s": round(c_split - c_build, 2),
            "stop_detection_cpu_s": round(c_stop - c_split, 2),
            "work_cpu_s": round(c_stop - c_import, 2),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
