"""Street lighting: distance to the nearest working lamp, dark places, nearest lamp.

Lamps are points with an optional `status` column: "ok", "defect" or
"unknown" (case and surrounding blanks are ignored; a missing value counts as
"unknown"; no column at all means every lamp is "ok"). Only "ok" lamps light.
Distances are straight-line metres in METRIC_CRS between cell centres or
points and lamp positions; walls and buildings are not taken into account.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, geometry_to_metric
from geo.raster import Raster, grid_for, inside_mask, metric_xy
from rules.errors import N_, ValidationError

LAMP_STATUSES = ("ok", "defect", "unknown")
WORKING = "ok"
STATUS_COLUMN = "status"
DARK_DISTANCE_M = 30.0
NEAREST_COLUMNS = ("distance_m", "lamp_index", "lamp_status")


def lamp_status(lamps: gpd.GeoDataFrame) -> pd.Series:
    """Each lamp's status, normalised to one of LAMP_STATUSES, aligned with `lamps`."""
    if STATUS_COLUMN not in lamps.columns:
        return pd.Series(WORKING, index=lamps.index, dtype=object, name=STATUS_COLUMN)
    raw = lamps[STATUS_COLUMN]
    status = raw.astype(object).where(raw.notna(), "unknown").astype(str).str.strip().str.lower()
    unknown = sorted(set(status) - set(LAMP_STATUSES))
    if unknown:
        raise ValidationError(
            N_("Unknown lamp status: {values}. Expected one of: {expected}."),
            values=unknown,
            expected=list(LAMP_STATUSES),
        )
    return status.rename(STATUS_COLUMN)


def _lamp_positions(
    lamps: gpd.GeoDataFrame, *, only_working: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xy in metres, row positions in `lamps`, statuses) of the lamps to search."""
    xy = metric_xy(lamps, name="lamps")
    status = lamp_status(lamps).to_numpy(dtype=object)
    keep = ~np.isnan(xy).any(axis=1)
    if only_working:
        keep &= status == WORKING
    positions = np.flatnonzero(keep)
    return xy[positions], positions, status[positions]


def distance_to_lamp_raster(
    lamps: gpd.GeoDataFrame,
    area: BaseGeometry,
    *,
    cell_m: float = 5.0,
) -> Raster:
    """Distance in metres from each cell centre to the nearest working lamp.

    `lamps` (any CRS, usually EPSG:4326) and `area` (EPSG:4326) give a Raster
    in METRIC_CRS on a grid of `cell_m` cells covering the area. Cells whose
    centre lies outside the area are NaN (the raster's nodata). Lamps outside
    the area still count. With no working lamp at all, every cell inside the
    area is +inf: no lamp lights it, and comparisons such as ``> 30`` stay true.
    """
    area_m = geometry_to_metric(area)
    transform, shape = grid_for(area_m, cell_m=cell_m)
    values = np.full(shape, np.nan, dtype=np.float64)
    inside = inside_mask(area_m, transform=transform, shape=shape)
    lamp_xy, _, _ = _lamp_positions(lamps, only_working=True)
    if len(lamp_xy) == 0:
        values[inside] = np.inf
    else:
        # Only cells inside the area are queried: a quarter fills about half its box.
        rows, cols = np.nonzero(inside)
        centres = np.column_stack(
            [
                transform.c + (cols + 0.5) * transform.a,
                transform.f + (rows + 0.5) * transform.e,
            ]
        )
        distance_m, _ = cKDTree(lamp_xy).query(centres, k=1, workers=-1)
        values[rows, cols] = distance_m
    return Raster(values=values, transform=transform, crs=METRIC_CRS, nodata=math.nan)


def nearest_lamp(
    points: gpd.GeoDataFrame,
    lamps: gpd.GeoDataFrame,
    *,
    only_working: bool = False,
) -> pd.DataFrame:
    """The nearest lamp to each point: its distance, index label and status.

    Returns a DataFrame indexed like `points` with columns `distance_m`
    (float), `lamp_index` (the lamp's label in `lamps`) and `lamp_status`. By
    default every lamp counts, so a defect lamp next to a pin shows up as such;
    `only_working=True` searches working lamps only. A point without geometry
    gets NaN and no lamp; with no lamp to search, distance is +inf and no lamp.
    """
    point_xy = metric_xy(points, name="points")
    lamp_xy, positions, status = _lamp_positions(lamps, only_working=only_working)
    count = len(point_xy)
    distance_m = np.full(count, np.nan, dtype=np.float64)
    lamp_index = np.full(count, None, dtype=object)
    lamp_stat = np.full(count, None, dtype=object)
    located = ~np.isnan(point_xy).any(axis=1)
    if len(lamp_xy) == 0:
        distance_m[located] = np.inf
    elif located.any():
        dist, found = cKDTree(lamp_xy).query(point_xy[located], k=1, workers=-1)
        distance_m[located] = dist
        lamp_index[located] = lamps.index.to_numpy(dtype=object)[positions[found]]
        lamp_stat[located] = status[found]
    return pd.DataFrame(
        {"distance_m": distance_m, "lamp_index": lamp_index, "lamp_status": lamp_stat},
        index=points.index,
        columns=list(NEAREST_COLUMNS),
    )


def dark_points(
    points: gpd.GeoDataFrame,
    lamps: gpd.GeoDataFrame,
    *,
    max_distance_m: float = DARK_DISTANCE_M,
) -> pd.Series:
    """True for each point with no working lamp within `max_distance_m` metres.

    Index-aligned with `points` and named "dark". A lamp exactly
    `max_distance_m` away still counts as within reach. Points without a
    geometry are never dark (there is nothing to judge).
    """
    if not (math.isfinite(max_distance_m) and max_distance_m >= 0):
        raise ValidationError(
            N_("'max_distance_m' should be zero or a positive number of metres, got {value}."),
            value=max_distance_m,
        )
    nearest = nearest_lamp(points, lamps, only_working=True)
    # NaN (no geometry) compares False, +inf (no working lamp) compares True.
    dark = nearest["distance_m"].to_numpy() > max_distance_m
    return pd.Series(dark, index=points.index, dtype=bool, name="dark")
