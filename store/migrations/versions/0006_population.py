"""Residents per statistical district, for densities per 1,000 residents.

Revision ID: 0006
Revises: 0005
"""

from store.migrations.sql import run

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    run("""
    CREATE TABLE population (
        district_id TEXT PRIMARY KEY,
        residents   INTEGER NOT NULL CHECK (residents >= 0),
        as_of       TEXT,
        source      TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        imported_at TEXT NOT NULL
    )
    """)
