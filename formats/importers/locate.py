"""Shared steps of the layer importers: where a row is, and the finished preview."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from formats.importers.base import Dropped, ImportFileError, ImportPreview, RawTable
from formats.importers.columns import Field, find_column, found_columns, numbers, texts
from formats.importers.placing import Geometries, Placed, from_wkt, place, points
from geo.crs import STORAGE_CRS
from rules.errors import N_
from rules.layer_meta import ImporterType

LAT: Final = Field(
    N_("latitude (lat, latitude, y, breite)"),
    ("lat", "latitude", "y", "breite", "breitengrad", "geo_lat"),
    ("_latitude",),
)
LON: Final = Field(
    N_("longitude (lon, longitude, x, laenge)"),
    ("lon", "lng", "long", "longitude", "x", "laenge", "laengengrad", "geo_lon"),
    ("_longitude",),
)
WKT: Final = Field(
    N_("geometry as WKT (wkt, geometry, geom)"),
    ("wkt", "geometry", "geom", "the_geom", "wkt_geom"),
)
LATLON_OPTION: Final = N_(
    "latitude and longitude (lat/lon, latitude/longitude, y/x, breite/laenge)"
)
WKT_OPTION: Final = N_("a WKT column (wkt, geometry, geom)")


@dataclass(frozen=True, slots=True)
class Located:
    """Geometries of every row of a raw table, in `crs`, and the columns used for them."""

    geometry: Geometries
    crs: str
    crs_assumed: bool
    used_columns: tuple[str, ...]


def no_location(table: pd.DataFrame, *, filename: str, expected: Sequence[str]) -> ImportFileError:
    return ImportFileError(
        N_(
            "The file {filename} has no columns for the location. "
            "Expected: {expected}. Found: {found}."
        ),
        filename=filename,
        expected=list(expected),
        found=tuple(found_columns(list(table.columns)) or ["-"]),
    )


def latlon_columns(table: pd.DataFrame, *, filename: str) -> tuple[str, str] | None:
    lat = find_column(list(table.columns), LAT, filename=filename)
    lon = find_column(list(table.columns), LON, filename=filename)
    return (lat, lon) if lat is not None and lon is not None else None


def points_from_columns(raw: RawTable, lat: str, lon: str) -> Geometries:
    lat_values = numbers(raw.table[lat], raw.rows, column=lat)
    lon_values = numbers(raw.table[lon], raw.rows, column=lon)
    return points(lon_values, lat_values)


def locate(raw: RawTable, *, filename: str, wkt: bool = True) -> Located:
    """The geometry of every row: the file's own, a WKT column, or lat/lon columns.

    Coordinates in columns are taken as EPSG:4326 (lon/lat), as CSV files
    carry no CRS; metres in them are refused later as implausible.
    """
    if raw.geometry is not None and raw.crs is not None:
        return Located(raw.geometry, raw.crs, raw.crs_assumed, ())
    columns = list(raw.table.columns)
    wkt_column = find_column(columns, WKT, filename=filename) if wkt else None
    if wkt_column is not None:
        geometry = from_wkt(texts(raw.table[wkt_column]), raw.rows, column=wkt_column)
        return Located(geometry, STORAGE_CRS, True, (wkt_column,))
    pair = latlon_columns(raw.table, filename=filename)
    if pair is None:
        expected = [LATLON_OPTION, WKT_OPTION] if wkt else [LATLON_OPTION]
        raise no_location(raw.table, filename=filename, expected=expected)
    return Located(points_from_columns(raw, *pair), STORAGE_CRS, True, pair)


def place_rows(
    raw: RawTable, located: Located, *, city: BaseGeometry, filename: str, points_only: bool
) -> Placed:
    return place(
        located.geometry,
        raw.rows,
        crs=located.crs,
        city=city,
        filename=filename,
        points_only=points_only,
    )


def preview(
    columns: Mapping[str, Any] | pd.DataFrame,
    placed: Placed,
    *,
    layer_type: ImporterType,
    located: Located,
    extra_dropped: Sequence[Dropped] = (),
) -> ImportPreview:
    """Assemble the preview: standard columns of the kept rows plus their geometry."""
    index = pd.RangeIndex(len(placed.kept))
    if isinstance(columns, pd.DataFrame):
        data = columns.reset_index(drop=True)
    else:
        data = pd.DataFrame(
            {k: v.to_numpy() if isinstance(v, pd.Series) else v for k, v in columns.items()},
            index=index,
        )
    frame = gpd.GeoDataFrame(
        data,
        geometry=gpd.GeoSeries(list(placed.geometry), crs=STORAGE_CRS),
        crs=STORAGE_CRS,
    )
    dropped = tuple(sorted((*placed.dropped, *extra_dropped), key=lambda d: d.row))
    return ImportPreview(
        frame=frame,
        dropped=dropped,
        source_crs=located.crs,
        layer_type=layer_type,
        crs_assumed=located.crs_assumed,
        repaired=placed.repaired,
        clipped=placed.clipped,
        flattened=placed.flattened,
    )
