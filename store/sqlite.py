"""The SQLite backend: one file on disk, the embedded default for one lab laptop."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import geodesic_distance_m
from geo.nearby import nearest_within
from rules.pins import Pin
from store.db import SqliteDatabase
from store.pins import PIN_SELECT, VISIBLE, row_to_pin
from store.spatial import check_radius, degree_box
from store.store import Store


class SqliteStore(Store):
    """Every part of the store in one SQLite file. Spatial filters: a box query on
    the (lon, lat) index, then the exact test in Python."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(SqliteDatabase(path))

    def pins_in_bbox(self, west: float, south: float, east: float, north: float) -> list[Pin]:
        with self.db.read() as conn:
            rows = conn.execute(
                f"{PIN_SELECT} WHERE p.lon BETWEEN ? AND ? AND p.lat BETWEEN ? AND ?"
                f" AND {VISIBLE} ORDER BY p.id",
                (west, east, south, north),
            ).fetchall()
        return [row_to_pin(row) for row in rows]

    def pins_within(self, area: BaseGeometry) -> list[Pin]:
        if area.is_empty:
            return []
        candidates = self.pins_in_bbox(*area.bounds)
        if not candidates:
            return []
        points = shapely.points([(p.lon, p.lat) for p in candidates])
        inside = shapely.covers(area, points)
        return [pin for pin, ok in zip(candidates, inside, strict=True) if ok]

    def pins_near(
        self, lon: float, lat: float, radius_m: float, *, category: str | None = None
    ) -> list[tuple[Pin, float]]:
        check_radius(radius_m)
        candidates = [
            pin
            for pin in self.pins_in_bbox(*degree_box(lon, lat, radius_m))
            if category is None or pin.category == category
        ]
        # On the ellipsoid, as PostGIS measures geography; equal distances by id.
        distances = geodesic_distance_m(
            lon,
            lat,
            np.array([p.lon for p in candidates]),
            np.array([p.lat for p in candidates]),
        )
        return [(candidates[i], float(distances[i])) for i in nearest_within(distances, radius_m)]
