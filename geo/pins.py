"""Pins as geometry: the frame maps and analyses use, and whether a place lies in
its quarter."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.bulk import gc_paused
from geo.crs import STORAGE_CRS, geometry_to_metric
from rules.errors import N_, OutsideQuarterError
from rules.pin_schema import DATETIME, FRAME_DTYPES
from rules.pins import Pin, PinDraft, check_fields

# How far outside an outline a place still counts as inside it, in metres. The
# outlines are generalised (a district has 15-70 vertices): a tap a few metres outside
# the drawn line is still meant for the quarter, and a stop on the boundary street
# still belongs to the city (formats.importers clips layers with the same tolerance).
EDGE_TOLERANCE_M: Final = 15.0


# A pins frame's columns (besides its geometry) and their dtypes: from the one
# definition of a pin's fields.
PIN_COLUMNS: Final[tuple[str, ...]] = tuple(FRAME_DTYPES)


def pins_frame(pins: Iterable[Pin]) -> gpd.GeoDataFrame:
    """Pins as a GeoDataFrame in EPSG:4326 (columns PIN_COLUMNS + geometry).

    No pins give an empty frame with the same columns.
    """
    rows = list(pins)
    return pins_frame_from_columns(
        {name: [getattr(p, name) for p in rows] for name in PIN_COLUMNS},
        lons=[p.lon for p in rows],
        lats=[p.lat for p in rows],
    )


def pins_frame_from_columns(
    columns: Mapping[str, Sequence[Any]], *, lons: Sequence[float], lats: Sequence[float]
) -> gpd.GeoDataFrame:
    """The frame of pins_frame from its columns (PIN_COLUMNS; created_at as datetimes,
    ISO texts or parsed timestamps) and places: the one definition of its columns and
    dtypes, used for Pin objects and for columns read straight from the store."""
    with gc_paused():
        return _frame(columns, lons, lats)


def _frame(
    columns: Mapping[str, Sequence[Any]], lons: Sequence[float], lats: Sequence[float]
) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            name: (
                _timestamps(columns[name])
                if dtype == DATETIME
                else pd.Series(columns[name], dtype=dtype)
            )
            for name, dtype in FRAME_DTYPES.items()
        }
    )
    # Arrays first: shapely makes 100,000 points from arrays in milliseconds, from tuples not.
    geometry = gpd.points_from_xy(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)


def _timestamps(values: Sequence[Any]) -> pd.Series:
    """UTC timestamps from datetimes, ISO texts, or timestamps already parsed."""
    series = pd.Series(values)
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC")
    return pd.to_datetime(series.astype("object"), utc=True, format="ISO8601")


def check_inside(lon: float, lat: float, quarter: BaseGeometry, quarter_name: str) -> None:
    """Raise OutsideQuarterError unless the point lies in (or at the edge of) the quarter."""
    point = Point(lon, lat)
    if quarter.covers(point):
        return
    distance_m = geometry_to_metric(quarter).distance(geometry_to_metric(point))
    if distance_m > EDGE_TOLERANCE_M:
        raise OutsideQuarterError(
            N_(
                "This place lies outside {quarter}. Please tap inside the outlined "
                "area, or choose another quarter."
            ),
            quarter=quarter_name,
        )


def validate_draft(draft: PinDraft, quarter: BaseGeometry, quarter_name: str) -> PinDraft:
    """Check a draft against every rule and return it cleaned.

    Raises ValidationError (or OutsideQuarterError) with a message that names
    what is missing or wrong. The input is not changed.
    """
    checked = check_fields(draft)
    check_inside(checked.lon, checked.lat, quarter, quarter_name)
    return checked
