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
    # One per direction, made from its PROJ pipeline: pyproj makes a transformer anew in
    # every thread that uses one (Streamlit runs every script run in a new thread), and
    # from a pair of CRS that is a 20 ms search of PROJ's database, from the pipeline a
    # third of a millisecond. The same operation: the pipeline is what the search found.
    found = Transformer.from_crs(source, target, always_xy=True)
    return Transformer.from_pipeline(found.definition)


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


def geometries_to_storage(geoms: np.ndarray) -> np.ndarray:
    """Project an array of metric geometries back to WGS84 (missing ones stay missing)."""
    moved: np.ndarray = shapely.transform(
        geoms, _transformer(METRIC_CRS, STORAGE_CRS).transform, interleaved=False
    )
    return moved


def to_metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return a copy of `gdf` in metres; the input is not changed."""
    if gdf.crs is None:
        raise ValueError("'gdf' has no CRS; set it with set_crs() before measuring")
    return _frame_to(gdf, METRIC_CRS)


def metric_geometries(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """The geometries of `gdf` in metres as a shapely array, without copying the frame
    (its own array when it already is metric: do not change it)."""
    if gdf.crs is None:
        raise ValueError("'gdf' has no CRS; set it with set_crs() before measuring")
    geoms = gdf.geometry.to_numpy()
    if gdf.crs == METRIC_CRS:
        return geoms
    if gdf.crs == STORAGE_CRS:
        moved: np.ndarray = shapely.transform(
            geoms, _transformer(STORAGE_CRS, METRIC_CRS).transform, interleaved=False
        )
        return moved
    return gdf.geometry.to_crs(METRIC_CRS).to_numpy()


def to_storage(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`gdf` in STORAGE_CRS (EPSG:4326): itself when it already is, else a copy."""
    if gdf.crs is None:
        raise ValueError("'gdf' has no CRS; set it with set_crs() before reprojecting")
    return gdf if gdf.crs == STORAGE_CRS else _frame_to(gdf, STORAGE_CRS)


def _frame_to(gdf: gpd.GeoDataFrame, target: str) -> gpd.GeoDataFrame:
    """A copy of `gdf` in `target`. Between this app's two CRS through the transformers
    made once (GeoPandas' to_crs builds a new one from the PROJ database each call, 10 to
    30 ms, longer than moving a quarter's pins); any other CRS through GeoPandas."""
    source = next((name for name in (STORAGE_CRS, METRIC_CRS) if gdf.crs == name), None)
    if source is None:
        return gdf.to_crs(target)
    result = gdf.copy()
    if source != target:
        moved = shapely.transform(
            gdf.geometry.to_numpy(), _transformer(source, target).transform, interleaved=False
        )
        result[gdf.geometry.name] = gpd.GeoSeries(moved, index=gdf.index, crs=target)
    return result.set_crs(target, allow_override=True)


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
