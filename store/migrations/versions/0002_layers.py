"""Planner layers: a record per layer, its features as WKB + JSON properties.

Revision ID: 0002
Revises: 0001
"""

from store.migrations.sql import run

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    run("""
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
        wkb      {blob} NOT NULL,
        props    TEXT NOT NULL,
        PRIMARY KEY (layer_id, fid)
    )
    """)
