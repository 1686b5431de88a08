"""Places without a map: landmarks nearby, "about N m towards X", typed coordinates."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final, NamedTuple

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import (
    geometry_to_metric,
    lonlat_to_metric,
    metric_geometries,
    metric_to_lonlat,
    to_metric,
)
from rules.errors import N_, ValidationError

# Compass directions as bearings in degrees clockwise from north.
DIRECTIONS: Final[dict[str, float]] = {
    "N": 0.0,
    "NE": 45.0,
    "E": 90.0,
    "SE": 135.0,
    "S": 180.0,
    "SW": 225.0,
    "W": 270.0,
    "NW": 315.0,
}
MAX_OFFSET_M: Final = 2000.0

# Plausible range for a place in or near Dortmund; used to tell lat from lon.
_LAT_RANGE = (51.0, 52.0)
_LON_RANGE = (7.0, 8.0)
# Each number needs decimals: "51,7" could be one number or two, so it is refused.
_NUMBER = r"[-+]?\d{1,3}[.,]\d+"


def landmarks_near(
    landmarks: gpd.GeoDataFrame, area: BaseGeometry, *, distance_m: float
) -> gpd.GeoDataFrame:
    """Landmarks inside `area` or within `distance_m` metres of it, sorted by name."""
    if landmarks.empty:
        return landmarks.iloc[:0]
    zone = geometry_to_metric(area).buffer(distance_m)
    metric = to_metric(landmarks)
    near = landmarks.loc[metric.geometry.intersects(zone)]
    return near.sort_values(["name", "kind"]).drop_duplicates(subset=["name", "kind"])


def offset_point(
    lon: float, lat: float, *, distance_m: float, direction: str
) -> tuple[float, float]:
    """The point about `distance_m` metres from (lon, lat) in compass `direction`."""
    if direction not in DIRECTIONS:
        raise ValidationError(N_("Unknown direction: {value}."), value=direction)
    if not 0 <= distance_m <= MAX_OFFSET_M:
        raise ValidationError(
            N_("The distance must be between 0 and {limit} metres."), limit=int(MAX_OFFSET_M)
        )
    x, y = lonlat_to_metric(lon, lat)
    bearing = math.radians(DIRECTIONS[direction])
    return metric_to_lonlat(x + distance_m * math.sin(bearing), y + distance_m * math.cos(bearing))


def parse_coordinates(text: str) -> tuple[float, float]:
    """Read typed coordinates and return (lon, lat).

    Accepts "51.5102, 7.5431", "7.5431 51.5102" (either order), and German
    decimal commas when the two numbers are separated by a semicolon or space
    ("51,5102; 7,5431"). Order is told apart by Dortmund's latitude and longitude.
    """
    cleaned = text.strip().replace("°", " ")
    match = re.fullmatch(rf"\s*({_NUMBER})\s*[;,\s]\s*({_NUMBER})\s*", cleaned)
    if match is None:
        raise ValidationError(
            N_("Please type two numbers, latitude and longitude, e.g. 51.5136, 7.5470.")
        )
    a, b = (float(part.replace(",", ".")) for part in match.groups())
    for lat, lon in ((a, b), (b, a)):
        if _LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]:
            return lon, lat
    raise ValidationError(N_("These coordinates are not in or near Dortmund."))


class Whereabouts(NamedTuple):
    """A place told in words: about `distance_m` metres `direction` of a landmark."""

    landmark: str
    kind: str
    distance_m: int  # rounded to 10 m: a note's place is not exact anyway
    direction: str  # a key of DIRECTIONS, seen from the landmark; "" when at it


AT_LANDMARK_M: Final = 25.0  # closer than this a place is "at" the landmark


def whereabouts(
    landmarks: gpd.GeoDataFrame, lons: Sequence[float], lats: Sequence[float]
) -> list[Whereabouts | None]:
    """For each point, the nearest landmark with distance and direction (None without
    any landmark)."""
    if landmarks.empty:
        return [None] * len(lons)
    metric = metric_geometries(landmarks)
    lx, ly = shapely.get_x(metric), shapely.get_y(metric)
    found: list[Whereabouts | None] = []
    for lon, lat in zip(lons, lats, strict=True):
        x, y = lonlat_to_metric(lon, lat)
        dx, dy = x - lx, y - ly
        nearest = int(np.argmin(dx * dx + dy * dy))
        east, north = float(dx[nearest]), float(dy[nearest])
        distance = math.hypot(east, north)
        direction = "" if distance < AT_LANDMARK_M else _compass(east, north)
        found.append(
            Whereabouts(
                landmark=str(landmarks["name"].iloc[nearest]),
                kind=str(landmarks["kind"].iloc[nearest]),
                distance_m=int(round(distance, -1)),
                direction=direction,
            )
        )
    return found


def _compass(east: float, north: float) -> str:
    """The nearest of the eight compass directions of a displacement."""
    bearing = math.degrees(math.atan2(east, north)) % 360.0
    names = list(DIRECTIONS)
    return names[int((bearing + 22.5) // 45.0) % len(names)]
