"""What only the SQLite backend has: one file in WAL mode, its failure modes, crowds
opening a new file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from rules.errors import SchemaVersionError, StoreUnavailableError
from store.migrate import head
from store.sqlite import SqliteStore
from store.sqlite_pool import close_idle_connections
from tests.factories import make_draft

WORKERS = 20
TOKENS = 10


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "pins.sqlite"


@pytest.fixture
def store(db_path: Path) -> SqliteStore:
    return SqliteStore(db_path)


# --- schema ----------------------------------------------------------------------


def test_schema_is_created_in_wal_mode(store, db_path):
    assert store.schema_revision() == head()
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert {"pins", "layers", "users", "alembic_version"} <= tables


# What revisions 0007 to 0010 made, children before parents.
_LATER_TABLES = (
    "follow_mails",
    "follows",
    "pin_photos",
    "measure_comments",
    "measure_supports",
    "comment_phases",
    "staff_logins",
    "measure_history",
    "measure_pins",
    "measures",
)


def _make_legacy(db_path: Path, user_version: int) -> None:
    """Turn a current file into one the app wrote before Alembic: PRAGMA user_version
    held the schema version then, and what revisions 0005 to 0010 add did not exist."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DROP TABLE alembic_version")
        conn.execute("DROP INDEX pins_by_position")
        conn.execute("DROP TABLE population")
        conn.execute("DROP INDEX pins_by_session_participant")
        for table in _LATER_TABLES:
            conn.execute(f"DROP TABLE {table}")
        conn.execute(f"PRAGMA user_version = {user_version}")
        conn.commit()
    finally:
        conn.close()


def test_a_file_from_before_alembic_is_stamped_and_upgraded(db_path):
    pin = SqliteStore(db_path).add_pin(make_draft("old"))
    _make_legacy(db_path, 4)
    reopened = SqliteStore(db_path)
    assert reopened.schema_revision() == head()
    assert reopened.pins_in_quarter("brackel") == [pin]
    with sqlite3.connect(db_path) as conn:
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert "pins_by_position" in indexes


def test_a_file_from_before_alembic_with_an_unknown_version_is_refused(db_path):
    SqliteStore(db_path)
    _make_legacy(db_path, 99)
    with pytest.raises(SchemaVersionError) as exc_info:
        SqliteStore(db_path)
    assert exc_info.value.params["found"] == "99"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 99


# --- unavailable -------------------------------------------------------------------


def _parent_is_a_file(tmp_path: Path) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    return blocker / "pins.sqlite"


def _path_is_a_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pins.sqlite"
    folder.mkdir()
    return folder


def _under_proc(tmp_path: Path) -> Path:
    return Path("/proc/sichere-quartiere-test/pins.sqlite")


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "pins.sqlite"
    path.write_bytes(b"this is not an SQLite file" * 100)
    return path


@pytest.mark.parametrize(
    "make_path", [_parent_is_a_file, _path_is_a_folder, _under_proc, _not_a_database]
)
def test_unwritable_database_is_unavailable(tmp_path, make_path):
    path = make_path(tmp_path)
    with pytest.raises(StoreUnavailableError) as exc_info:
        SqliteStore(path)
    assert "not available" in str(exc_info.value)
    assert exc_info.value.params["detail"]


def test_database_replaced_after_opening_is_unavailable(tmp_path):
    folder = tmp_path / "data"
    store = SqliteStore(folder / "pins.sqlite")
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    folder.write_text("now a file", encoding="utf-8")
    with pytest.raises(StoreUnavailableError):
        store.add_pin(make_draft("t1"))


def test_a_file_replaced_while_open_is_read_anew_not_through_kept_connections(tmp_path):
    path = tmp_path / "pins.sqlite"
    store = SqliteStore(path)
    store.add_pin(make_draft("old"))
    assert [p.token for p in store.pins_in_quarter("brackel")] == ["old"]  # a kept connection
    other = SqliteStore(tmp_path / "other.sqlite")
    other.add_pin(make_draft("new-1"))
    other.add_pin(make_draft("new-2"))
    close_idle_connections(tmp_path / "other.sqlite")
    (tmp_path / "other.sqlite").replace(path)  # e.g. a backup restored in its place
    for leftover in ("-wal", "-shm"):
        (tmp_path / f"pins.sqlite{leftover}").unlink(missing_ok=True)
    assert [p.token for p in store.pins_in_quarter("brackel")] == ["new-1", "new-2"]


def test_connections_are_kept_between_operations_and_closed_with_the_store(tmp_path):
    path = tmp_path / "pins.sqlite"
    store = SqliteStore(path)
    store.add_pin(make_draft("a"))
    store.count_pins()
    opened = _open_files(path)
    assert opened >= 1  # kept open for the next operation
    for _ in range(20):
        store.count_pins()
    assert _open_files(path) == opened  # reused, not opened anew
    store.close()
    assert _open_files(path) == 0


def _open_files(path: Path) -> int:
    """How many of this process's file descriptors point at the database file."""
    fds = os.listdir("/proc/self/fd")
    return sum(1 for fd in fds if os.path.realpath(f"/proc/self/fd/{fd}") == str(path))
