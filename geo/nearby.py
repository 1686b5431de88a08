"""Support ("me too") instead of duplicates: the pins a new pin would repeat.

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

from geo.crs import lonlat_to_metric, to_metric

SUPPORT_RADIUS_M = 50.0  # how close a pin of the same category must be to be offered


def nearby_same_category(
    pins: gpd.GeoDataFrame,
    *,
    lon: float,
    lat: float,
    category: str,
    radius_m: float = SUPPORT_RADIUS_M,
) -> gpd.GeoDataFrame:
    """The pins of `category` within `radius_m` metres of (lon, lat), nearest first.

    `pins` is a pins_frame (EPSG:4326); (lon, lat) is in EPSG:4326 too. A pin
    exactly `radius_m` away counts as near. Returns the matching rows (a copy,
    in the input's CRS) with an added `distance_m` column; equally distant pins
    keep their input order. Pins without a location are never near. No pins, or
    none near, give an empty frame with the input's columns plus `distance_m`.
    The input is not changed.
    """
    _check_arguments(pins, lon=lon, lat=lat, category=category, radius_m=radius_m)
    same = pins.loc[(pins["category"] == category).fillna(False).to_numpy(dtype=bool)]
    if len(same) == 0:
        return _with_distance(same, np.zeros(0))
    x_m, y_m = lonlat_to_metric(lon, lat)
    metric = to_metric(same).geometry.to_numpy()
    distance_m = shapely.distance(metric, shapely.Point(x_m, y_m))
    near = np.flatnonzero(distance_m <= radius_m)  # NaN (no location) is never near
    order = near[np.argsort(distance_m[near], kind="stable")]
    return _with_distance(same.iloc[order], distance_m[order])


def _with_distance(frame: gpd.GeoDataFrame, distance_m: np.ndarray) -> gpd.GeoDataFrame:
    result = frame.copy()
    result["distance_m"] = distance_m.astype(float)
    return result


def _check_arguments(
    pins: object, *, lon: float, lat: float, category: str, radius_m: float
) -> None:
    if not isinstance(pins, gpd.GeoDataFrame):
        raise TypeError(f"'pins' should be a GeoDataFrame, got {type(pins)}")
    if "category" not in pins.columns:
        raise ValueError("'pins' lacks the column 'category'; build it with pins_frame()")
    if pins.crs is None:
        raise ValueError("'pins' has no CRS; set it with set_crs() (pins are EPSG:4326)")
    if not isinstance(category, str):
        raise TypeError(f"'category' should be a str, got {type(category)}")
    for name, value in (("lon", lon), ("lat", lat)):
        if isinstance(value, bool) or not (isinstance(value, int | float) and math.isfinite(value)):
            raise ValueError(f"'{name}' should be a finite number of degrees, got {value!r}")
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
