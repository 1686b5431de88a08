"""The PostGIS backend: a PostgreSQL server shared by many app processes.

Spatial filters run in the database on the generated `geom` column and its GiST
indexes (see migration 0005).
"""

from __future__ import annotations

import shapely
from shapely.geometry.base import BaseGeometry

from rules.pins import Pin
from store.db import POOL_SIZE, PostgresDatabase
from store.pins import PIN_FIELDS_SQL, PIN_SELECT, VISIBLE, row_to_pin
from store.spatial import check_radius, degree_box
from store.store import Store

_POINT = "ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography"


class PostgisStore(Store):
    """Every part of the store in one PostGIS database, through a connection pool."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        super().__init__(PostgresDatabase(url, pool_size=pool_size))

    def pins_in_bbox(self, west: float, south: float, east: float, north: float) -> list[Pin]:
        with self.db.read() as conn:
            rows = conn.execute(
                f"{PIN_SELECT} WHERE p.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
                f" AND {VISIBLE} ORDER BY p.id",
                (float(west), float(south), float(east), float(north)),
            ).fetchall()
        return [row_to_pin(row) for row in rows]

    def pins_within(self, area: BaseGeometry) -> list[Pin]:
        if area.is_empty:
            return []
        with self.db.read() as conn:
            rows = conn.execute(
                f"{PIN_SELECT} WHERE ST_Covers(ST_GeomFromWKB(?, 4326), p.geom)"
                f" AND {VISIBLE} ORDER BY p.id",
                (shapely.to_wkb(area),),
            ).fetchall()
        return [row_to_pin(row) for row in rows]

    def pins_near(
        self, lon: float, lat: float, radius_m: float, *, category: str | None = None
    ) -> list[tuple[Pin, float]]:
        check_radius(radius_m)
        west, south, east, north = degree_box(lon, lat, radius_m)
        point: tuple[object, ...] = (float(lon), float(lat))
        same = " AND p.category = ?" if category is not None else ""
        # The box uses the GiST index on geom; the exact test is on the ellipsoid.
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {PIN_FIELDS_SQL}, ST_Distance(p.geom::geography, {_POINT}) AS distance"
                " FROM pins p WHERE p.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)"
                f" AND ST_DWithin(p.geom::geography, {_POINT}, ?){same}"
                f" AND {VISIBLE} ORDER BY distance, p.id",
                (
                    *point,
                    west,
                    south,
                    east,
                    north,
                    *point,
                    float(radius_m),
                    *([category] if category is not None else []),
                ),
            ).fetchall()
        return [(row_to_pin(row[:-1]), float(row[-1])) for row in rows]
