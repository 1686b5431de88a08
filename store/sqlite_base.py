"""The SQLite connection: WAL journal, busy timeout, one transaction per write."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geo.errors import N_, SchemaVersionError, StoreUnavailableError
from store.schema import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000
_OPEN_TRIES = 50


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; taken at once so concurrent writers queue, not fail."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class SqliteBase:
    """One SQLite file: opening, migrating, connecting. Safe for many threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        self._migrate()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap for SQLite and safe across
        # Streamlit's script threads. isolation_level=None: we issue BEGIN ourselves.
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        finally:
            conn.close()

    def _migrate(self) -> None:
        # Several processes may open a new file at once; switching it to WAL needs a
        # moment alone, and SQLite answers "locked" at once rather than waiting.
        for attempt in range(_OPEN_TRIES):
            try:
                self._migrate_once()
                return
            except StoreUnavailableError as exc:
                if "locked" not in str(exc) or attempt == _OPEN_TRIES - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))

    def _migrate_once(self) -> None:
        with self._connect() as conn:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            with transaction(conn):
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise SchemaVersionError(
                        N_(
                            "The database {path} has schema version {found}; this app knows "
                            "up to {known}. Update the app before using this database."
                        ),
                        path=str(self.path),
                        found=version,
                        known=SCHEMA_VERSION,
                    )
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {step + 1}")

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
