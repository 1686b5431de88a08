"""A database written by a newer app: every page says so plainly and stops."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from store import SqliteStore
from tests.pages.apptest_helpers import as_shown, new_app, texts


def test_a_newer_database_is_named_in_german_and_nothing_else_runs(db_path: Path) -> None:
    SqliteStore(db_path).close()
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE alembic_version SET version_num = '0042_from_the_future'")
    at = new_app()
    assert not at.exception
    (source,) = texts(at.error)
    message = as_shown(source)
    assert "Schemastand 0042_from_the_future" in message
    assert "Bitte aktualisieren Sie die App" in message
    assert not [b for b in at.button if b.key and b.key.startswith("quarter_")]
