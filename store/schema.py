"""The database schema, as migrations from version i to i + 1 (SQLite dialect).

The app creates and upgrades its own schema; a database with a newer version
than SCHEMA_VERSION is refused.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE pins (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        token       TEXT NOT NULL UNIQUE,
        quarter_id  TEXT NOT NULL,
        lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
        lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
        category    TEXT NOT NULL,
        time_band   TEXT NOT NULL,
        severity    INTEGER CHECK (severity BETWEEN 1 AND 3),
        text        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE INDEX pins_by_quarter ON pins (quarter_id, id);
    """,
    """
    CREATE TABLE layers (
        id            TEXT PRIMARY KEY,
        name_de       TEXT NOT NULL,
        name_en       TEXT NOT NULL,
        layer_type    TEXT NOT NULL,
        kind          TEXT NOT NULL,
        source        TEXT NOT NULL,
        licence       TEXT NOT NULL,
        attribution   TEXT NOT NULL,
        data_date     TEXT,
        demo          INTEGER NOT NULL,
        feature_count INTEGER NOT NULL,
        dtypes        TEXT NOT NULL,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE layer_features (
        layer_id TEXT NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
        fid      INTEGER NOT NULL,
        wkb      BLOB NOT NULL,
        props    TEXT NOT NULL,
        PRIMARY KEY (layer_id, fid)
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
