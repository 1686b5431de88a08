"""Spatial filters on pins: within an area, within a box, within a distance.

`Store` declares them; each backend answers them its own way (PostGIS in the
database with its GiST indexes; SQLite by a box query on its (lon, lat) index and
the exact test in Python, with geo's rule of "within N metres"). Both count edges as
inside and measure distances on the WGS84 ellipsoid, so they give the same pins.
"""

from __future__ import annotations

import math
from typing import Final

from shapely.geometry.base import BaseGeometry

from rules.errors import N_, ValidationError
from rules.pins import Pin

MAX_RADIUS_M: Final = 50_000.0
_METRES_PER_DEGREE: Final = 111_320.0


def check_radius(radius_m: float) -> None:
    if not 0 <= radius_m <= MAX_RADIUS_M or math.isnan(radius_m):
        raise ValidationError(
            N_("The distance must be between 0 and {limit} metres."), limit=int(MAX_RADIUS_M)
        )


def degree_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """A (west, south, east, north) box in degrees that holds every point within
    `radius_m` of (lon, lat), with a margin for the ellipsoid: only a prefilter for the
    index; which pins are near is decided in metres (geo.nearby.nearest_within, or
    ST_DWithin on PostGIS)."""
    margin = 1.01
    dlat = radius_m * margin / _METRES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.0))), 1e-6)
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


class SpatialQueries:
    """What both backends answer; see the module doc."""

    def pins_in_bbox(self, west: float, south: float, east: float, north: float) -> list[Pin]:
        """Visible pins inside the box (degrees, EPSG:4326, edges included), oldest first."""
        raise NotImplementedError

    def pins_within(self, area: BaseGeometry) -> list[Pin]:
        """Visible pins inside `area` (EPSG:4326, its edge included), oldest first."""
        raise NotImplementedError

    def pins_near(
        self, lon: float, lat: float, radius_m: float, *, category: str | None = None
    ) -> list[tuple[Pin, float]]:
        """Visible pins (of `category`, if given) within `radius_m` metres of (lon, lat),
        with their distance, nearest first."""
        raise NotImplementedError
