"""Spatial columns and indexes.

PostGIS: every pin and layer feature gets a geometry column the database keeps in
step with lon/lat and the WKB, with GiST indexes, so that "within the quarter",
"within the box" and "within so many metres" run in the database. SQLite has no
geometry type here: an index on (lon, lat) serves box queries, the exact test
runs in Python.

Revision ID: 0005
Revises: 0004
"""

from store.migrations.sql import dialect, run

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    if dialect() == "sqlite":
        run("CREATE INDEX pins_by_position ON pins (lon, lat)")
        return
    run("""
    CREATE EXTENSION IF NOT EXISTS postgis;
    ALTER TABLE pins ADD COLUMN geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED;
    CREATE INDEX pins_geom ON pins USING GIST (geom);
    ALTER TABLE layer_features ADD COLUMN geom geometry(Geometry, 4326)
        GENERATED ALWAYS AS (ST_Force2D(ST_SetSRID(ST_GeomFromWKB(wkb), 4326))) STORED;
    CREATE INDEX layer_features_geom ON layer_features USING GIST (geom)
    """)
