"""Pins: where, what, when, how serious, and the client's submission token.

Revision ID: 0001
Revises:
"""

from store.migrations.sql import run

revision = "0001"
down_revision = None


def upgrade() -> None:
    run("""
    CREATE TABLE pins (
        id          {autoid},
        token       TEXT NOT NULL UNIQUE,
        quarter_id  TEXT NOT NULL,
        lon         {real} NOT NULL CHECK (lon BETWEEN -180 AND 180),
        lat         {real} NOT NULL CHECK (lat BETWEEN -90 AND 90),
        category    TEXT NOT NULL,
        time_band   TEXT NOT NULL,
        severity    INTEGER CHECK (severity BETWEEN 1 AND 3),
        text        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE INDEX pins_by_quarter ON pins (quarter_id, id)
    """)
