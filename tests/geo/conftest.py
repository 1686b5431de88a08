"""Fixtures for the geo tests: a tiny hand-built quarter near Brackel."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from shapely.geometry import Polygon

from geo.crs import lonlat_to_metric, metric_to_lonlat

CENTRE_LON = 7.55
CENTRE_LAT = 51.52
HALF_SIDE_M = 500.0


@dataclass(frozen=True)
class SquareQuarter:
    """A 1 km x 1 km square, drawn in EPSG:25832 and stored in EPSG:4326.

    Its corners are exact metric offsets from the centre, so a point placed
    `d` metres beyond an edge (measured in EPSG:25832) is `d` metres outside.
    """

    polygon: Polygon
    centre_x: float
    centre_y: float
    half_side_m: float

    def point(self, dx_m: float, dy_m: float) -> tuple[float, float]:
        """(lon, lat) of the point dx_m east and dy_m north of the centre."""
        return metric_to_lonlat(self.centre_x + dx_m, self.centre_y + dy_m)


@pytest.fixture(scope="session")
def square() -> SquareQuarter:
    cx, cy = lonlat_to_metric(CENTRE_LON, CENTRE_LAT)
    h = HALF_SIDE_M
    corners = [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    polygon = Polygon([metric_to_lonlat(x, y) for x, y in corners])
    assert polygon.is_valid
    return SquareQuarter(polygon=polygon, centre_x=cx, centre_y=cy, half_side_m=h)
