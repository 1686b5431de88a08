"""Claim: Gi* hot spots for one quarter (Brackel, ~4,000 cells of 50 m) with 999
random maps take under 2 s, and their z-scores equal esda's to 1e-6.

The points are seeded, clustered BENCHMARK DATA, not answers of real people.
esda's G_Local (star=True, transform="B", the same queen weights built by
libpysal from the same grid, the same 999 permutations) runs on the same counts
in the same run. Last line: one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from esda.getisord import G_Local
from libpysal.weights import Queen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datapack.loading import load_districts
from geo.crs import METRIC_CRS, STORAGE_CRS, geometry_to_metric
from geo.grid import count_in_cells, square_grid
from geo.hotspots import hotspots, neighbour_matrix
from rules.vocab import TIME_BANDS

QUARTER = "320"  # Brackel
POINTS = 3_000
CLUSTERS = 6
CLUSTER_SHARE = 0.55  # the rest is spread evenly over the quarter
CELL_M = 50.0
PERMUTATIONS = 999
SEED = 12345
TARGET_SECONDS = 2.0
MAX_Z_DIFF = 1e-6


def demo_points(count: int, seed: int = 7) -> gpd.GeoDataFrame:
    """Seeded clustered points inside the quarter (benchmark data only)."""
    rng = np.random.default_rng(seed)
    area_m = geometry_to_metric(load_districts().geometry(QUARTER))
    shapely.prepare(area_m)

    def inside(xy: np.ndarray) -> np.ndarray:
        return xy[shapely.contains_xy(area_m, xy[:, 0], xy[:, 1])]

    minx, miny, maxx, maxy = area_m.bounds
    spread = np.empty((0, 2))
    while len(spread) < count:
        spread = np.vstack([spread, inside(rng.uniform([minx, miny], [maxx, maxy], (count, 2)))])
    centres = spread[:CLUSTERS]
    in_clusters = int(count * CLUSTER_SHARE)
    sizes = rng.multinomial(in_clusters, np.full(CLUSTERS, 1 / CLUSTERS))
    clustered = []
    for centre, size in zip(centres, sizes, strict=True):
        sd_m = rng.uniform(40.0, 150.0)
        drawn = np.empty((0, 2))
        while len(drawn) < size:
            drawn = np.vstack([drawn, inside(rng.normal(centre, sd_m, (size, 2)))])
        clustered.append(drawn[:size])
    xy = np.vstack([*clustered, spread[CLUSTERS : CLUSTERS + count - in_clusters]])
    points = gpd.GeoDataFrame(
        {"time_band": rng.choice(list(TIME_BANDS), size=len(xy))},
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=METRIC_CRS,
    )
    return points.to_crs(STORAGE_CRS)


def main() -> None:
    area = load_districts().geometry(QUARTER)
    points = demo_points(POINTS)

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = hotspots(points, area, cell_m=CELL_M, permutations=PERMUTATIONS, seed=SEED)
        timings.append(time.perf_counter() - start)
    seconds = min(timings)

    grid = square_grid(area, cell_m=CELL_M)
    counts = count_in_cells(grid, points).astype(float)
    queen = Queen.from_dataframe(grid, use_index=False, silence_warnings=True)
    ours = neighbour_matrix(grid, distance_band_m=1.5 * CELL_M)
    same_weights = (abs(queen.sparse + np.eye(len(grid)) - ours.toarray())).max() == 0
    esda_timings = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda's notices about its future defaults
        for _ in range(3):
            start = time.perf_counter()
            esda_result = G_Local(
                counts, queen, transform="B", star=True, permutations=PERMUTATIONS, seed=SEED
            )
            esda_timings.append(time.perf_counter() - start)
    esda_seconds = min(esda_timings)
    z_diff = float(np.max(np.abs(result.cells["z"].to_numpy() - esda_result.Zs)))

    labels = result.cells["label"].value_counts()
    summary = {
        "cells": len(result.cells),
        "points": result.points_used,
        "permutations": PERMUTATIONS,
        "seconds": round(seconds, 4),
        "esda_seconds": round(esda_seconds, 4),
        "max_abs_z_diff_vs_esda": z_diff,
        "same_weights_as_libpysal_queen": bool(same_weights),
        "hot_cells": int(labels.get("hot", 0)),
        "cold_cells": int(labels.get("cold", 0)),
        "target_seconds": TARGET_SECONDS,
        "meets_target": seconds < TARGET_SECONDS and z_diff < MAX_Z_DIFF and bool(same_weights),
    }
    print(
        f"hotspots (benchmark data): {summary['cells']} cells, {summary['points']} points, "
        f"{PERMUTATIONS} random maps in {seconds:.3f} s (esda G_Local: {esda_seconds:.3f} s); "
        f"max |z - esda z| = {z_diff:.2e}; {summary['hot_cells']} hot, "
        f"{summary['cold_cells']} cold"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
