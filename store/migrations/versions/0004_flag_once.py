"""A participant reports a pin once: reports need not flood the queue.

Revision ID: 0004
Revises: 0003
"""

from store.migrations.sql import run

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    run("""
    ALTER TABLE flags ADD COLUMN participant TEXT NOT NULL DEFAULT '';
    CREATE UNIQUE INDEX flags_once_per_participant ON flags (pin_id, participant)
        WHERE participant <> ''
    """)
