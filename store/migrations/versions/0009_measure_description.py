"""Measures get a description beside their title: what is to be done, and why; a
planner can change it later (rules.measures.EDIT_FIELDS), as every other field.

Edits need no table of their own: each is a row of measure_history with change
"edited" and the fields before and after in its detail.

Revision ID: 0009
Revises: 0008
"""

from store.migrations.sql import run

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    run("ALTER TABLE measures ADD COLUMN description TEXT NOT NULL DEFAULT ''")
