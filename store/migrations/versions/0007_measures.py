"""The plan of measures: measures, the pins they answer, and every change.

Revision ID: 0007
Revises: 0006
"""

from store.migrations.sql import dialect, run

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    run("""
    CREATE TABLE measures (
        id            {autoid},
        title         TEXT NOT NULL,
        measure_type  TEXT NOT NULL,
        working_group TEXT,
        responsible   TEXT NOT NULL DEFAULT '',
        quarter_id    TEXT NOT NULL,
        place_wkb     {blob} NOT NULL,
        priority      INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 3),
        cost_eur      {real},
        target_date   TEXT,
        status        TEXT NOT NULL DEFAULT 'proposed',
        status_reason TEXT NOT NULL DEFAULT '',
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX measures_by_quarter ON measures (quarter_id, id);
    CREATE TABLE measure_pins (
        measure_id INTEGER NOT NULL REFERENCES measures (id),
        pin_id     INTEGER NOT NULL REFERENCES pins (id),
        PRIMARY KEY (measure_id, pin_id)
    );
    CREATE INDEX measure_pins_by_pin ON measure_pins (pin_id);
    CREATE TABLE measure_history (
        id          {autoid},
        measure_id  INTEGER NOT NULL REFERENCES measures (id),
        at          TEXT NOT NULL,
        actor       TEXT NOT NULL,
        change      TEXT NOT NULL,
        from_status TEXT,
        to_status   TEXT,
        detail      TEXT NOT NULL DEFAULT ''
    )
    """)
    if dialect() == "postgresql":
        run("""
        ALTER TABLE measures ADD COLUMN geom geometry(Geometry, 4326)
            GENERATED ALWAYS AS (ST_Force2D(ST_SetSRID(ST_GeomFromWKB(place_wkb), 4326))) STORED;
        CREATE INDEX measures_geom ON measures USING GIST (geom)
        """)
