"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

from store.migrations.sql import run

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}


def upgrade() -> None:
    run("""
    """)
