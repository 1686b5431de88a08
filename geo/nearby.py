"""Pins near a point, in metres: `within_m` (any frame), and support ("me too")
instead of duplicates, the pins a new pin would repeat (`nearby_same_category`).

Before a participant places a pin, the app offers the pins of the same
category close by, so they can support one ("me too") rather than pin the same
place again. Distances are measured in METRIC_CRS (EPSG:25832).

The result holds the pins' exact places, unreleased texts and distances to the
metre: show it through geo.privacy (snapped places, released texts only) and
without exact distances, or repeated queries could locate a pin exactly.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import lonlat_to_metric, metric_geometries

SUPPORT_RADIUS_M = 50.0  # how close a pin of the same category must be to be offered


def distances_m(frame: gpd.GeoDataFrame, *, lon: float, lat: float) -> np.ndarray:
    """Metres in METRIC_CRS from (lon, lat) (EPSG:4326) to each row's geometry, in the
    frame's order; NaN for a row without one."""
    if len(frame) == 0:
        return np.zeros(0)
    x_m, y_m = lonlat_to_metric(lon, lat)
    result: np.ndarray = shapely.distance(metric_geometries(frame), shapely.Point(x_m, y_m)).astype(
        float
    )
    return result


def nearest_within(distance_m: np.ndarray, radius_m: float) -> np.ndarray:
    """The positions of the distances of at most `radius_m`, nearest first; equal
    distances keep their order. NaN (nowhere) is never near. The one rule of "within
    N metres", whatever measured the distances (geo.crs.geodesic_distance_m on the
    ellipsoid, where a store must agree with PostGIS)."""
    near = np.flatnonzero(distance_m <= radius_m)
    order: np.ndarray = near[np.argsort(distance_m[near], kind="stable")]
    return order


def within_m(
    frame: gpd.GeoDataFrame,
    *,
    lon: float,
    lat: float,
    radius_m: float,
    nearest_first: bool = True,
) -> gpd.GeoDataFrame:
    """The rows of `frame` within `radius_m` metres (METRIC_CRS) of (lon, lat).

    `frame` has a CRS; (lon, lat) is in EPSG:4326. A row exactly `radius_m` away
    counts as near; rows without a location never do. Returns the rows (a copy, in
    the input's CRS), nearest first (equally distant rows in input order) or, with
    `nearest_first=False`, in input order, with an added `distance_m` column. None
    near give an empty frame with the input's columns plus `distance_m`. The input is
    not changed.
    """
    _check_place(frame, "frame", lon=lon, lat=lat, radius_m=radius_m)
    distance_m = distances_m(frame, lon=lon, lat=lat)
    order = nearest_within(distance_m, radius_m)
    if not nearest_first:
        order = np.sort(order)
    return _with_distance(frame.iloc[order], distance_m[order])


def nearby_same_category(
    pins: gpd.GeoDataFrame,
    *,
    lon: float,
    lat: float,
    category: str,
    radius_m: float = SUPPORT_RADIUS_M,
) -> gpd.GeoDataFrame:
    """The pins of `category` within `radius_m` metres of (lon, lat), nearest first.

    `pins` is a pins_frame (EPSG:4326); (lon, lat) is in EPSG:4326 too. As within_m:
    a pin exactly `radius_m` away counts as near, equally distant pins keep their
    input order, pins without a location are never near; the result (a copy, in the
    input's CRS) has an added `distance_m` column, and is an empty frame with those
    columns when no pin is near. The input is not changed.
    """
    _check_place(pins, "pins", lon=lon, lat=lat, radius_m=radius_m)
    if "category" not in pins.columns:
        raise ValueError("'pins' lacks the column 'category'; build it with pins_frame()")
    if not isinstance(category, str):
        raise TypeError(f"'category' should be a str, got {type(category)}")
    same = pins.loc[(pins["category"] == category).fillna(False).to_numpy(dtype=bool)]
    return within_m(same, lon=lon, lat=lat, radius_m=radius_m)


def _with_distance(frame: gpd.GeoDataFrame, distance_m: np.ndarray) -> gpd.GeoDataFrame:
    result = frame.copy()
    result["distance_m"] = distance_m.astype(float)
    return result


def _check_place(frame: object, name: str, *, lon: float, lat: float, radius_m: float) -> None:
    if not isinstance(frame, gpd.GeoDataFrame):
        raise TypeError(f"'{name}' should be a GeoDataFrame, got {type(frame)}")
    if frame.crs is None:
        raise ValueError(f"'{name}' has no CRS; set it with set_crs() (pins are EPSG:4326)")
    for axis, value in (("lon", lon), ("lat", lat)):
        if isinstance(value, bool) or not (isinstance(value, int | float) and math.isfinite(value)):
            raise ValueError(f"'{axis}' should be a finite number of degrees, got {value!r}")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise ValueError(f"(lon, lat) should be WGS84 degrees, got ({lon!r}, {lat!r})")
    if isinstance(radius_m, bool) or not (
        isinstance(radius_m, int | float) and math.isfinite(radius_m) and radius_m >= 0
    ):
        raise ValueError(f"'radius_m' should be a number of metres, 0 or more, got {radius_m!r}")


def with_supports(pins: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each pin once plus once for every "me too": for analyses that count people's
    marks at a place (density, hotspots). Pins without a `supports` column count once."""
    if "supports" not in pins.columns or pins.empty:
        return pins.copy()
    repeats = pins["supports"].fillna(0).astype(int).clip(lower=0).to_numpy() + 1
    expanded: gpd.GeoDataFrame = pins.iloc[np.repeat(np.arange(len(pins)), repeats)]
    return expanded.copy()
