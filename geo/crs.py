"""The one CRS rule: store and show EPSG:4326, measure metres in EPSG:25832
(or on the ellipsoid, where a distance must match the database's)."""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

STORAGE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"  # ETRS89 / UTM 32N, the official metric CRS for Dortmund


@cache
def _transformer(source: str, target: str) -> Transformer:
    # Building a Transformer is costly; one per direction, reused.
    return Transformer.from_crs(source, target, always_xy=True)


def _reproject(geom: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    result: BaseGeometry = shapely.transform(geom, transformer.transform, interleaved=False)
    return result


def lonlat_to_metric(lon: float, lat: float) -> tuple[float, float]:
    """Project one WGS84 point to metres (easting, northing)."""
    x, y = _transformer(STORAGE_CRS, METRIC_CRS).transform(lon, lat)
    return float(x), float(y)


def metric_to_lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    """Project one metric point back to WGS84 (lon, lat)."""
    lon, lat = _transformer(METRIC_CRS, STORAGE_CRS).transform(x_m, y_m)
    return float(lon), float(lat)


def geometry_to_metric(geom: BaseGeometry) -> BaseGeometry:
    """Project one WGS84 geometry to metres."""
    return _reproject(geom, _transformer(STORAGE_CRS, METRIC_CRS))


def geometry_to_storage(geom: BaseGeometry) -> BaseGeometry:
    """Project one metric geometry back to WGS84."""
    return _reproject(geom, _transformer(METRIC_CRS, STORAGE_CRS))


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of `gdf` in metres; the input is not changed."""
    if gdf.crs is None:
        raise ValueError("'gdf' has no CRS; set it with set_crs() before measuring")
    return gdf.to_crs(METRIC_CRS)


def to_storage(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` in STORAGE_CRS (EPSG:4326): itself when it already is, else a copy."""
    if gdf.crs is None:
        raise ValueError("'gdf' has no CRS; set it with set_crs() before reprojecting")
    return gdf if gdf.crs == STORAGE_CRS else gdf.to_crs(STORAGE_CRS)


_GEOD = Geod(ellps="WGS84")


def geodesic_distance_m(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Distances in metres on the WGS84 ellipsoid from (lon, lat) to each of (lons, lats):
    the measure PostGIS uses for geography, so both store backends agree."""
    lons = np.asarray(lons, dtype=float)
    lats = np.asarray(lats, dtype=float)
    _fwd, _back, distance = _GEOD.inv(
        np.full(lons.shape, lon), np.full(lats.shape, lat), lons, lats
    )
    return np.asarray(distance, dtype=float)
