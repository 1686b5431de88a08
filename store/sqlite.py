"""SQLite backend: WAL journal, busy timeout, one transaction per write."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.errors import N_, SchemaVersionError, StoreUnavailableError
from geo.pins import Pin, PinDraft

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 10_000

# Each entry migrates from version i to i + 1; the app creates and upgrades its schema.
_MIGRATIONS: tuple[str, ...] = (
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
)

_PIN_COLUMNS = "id, quarter_id, lon, lat, category, time_band, severity, text, created_at, token"


def _row_to_pin(row: tuple[Any, ...]) -> Pin:
    pin_id, quarter_id, lon, lat, category, time_band, severity, text, created_at, token = row
    return Pin(
        id=pin_id,
        quarter_id=quarter_id,
        lon=lon,
        lat=lat,
        category=category,
        time_band=time_band,
        severity=severity,
        text=text,
        created_at=datetime.fromisoformat(created_at),
        token=token,
    )


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction; taken at once so concurrent writers queue, not fail."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class SqliteStore:
    """Pins in one SQLite file. Safe for many threads and processes."""

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
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        except sqlite3.Error as exc:
            raise StoreUnavailableError(
                N_("The database is not available right now ({detail})."), detail=str(exc)
            ) from exc
        finally:
            conn.close()

    def _migrate(self) -> None:
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            with _transaction(conn):
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
                    for statement in _MIGRATIONS[step].split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {step + 1}")

    def schema_version(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def add_pin(self, draft: PinDraft) -> Pin:
        created_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        with self._connect() as conn, _transaction(conn):
            conn.execute(
                "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band,"
                " severity, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (token) DO NOTHING",
                (
                    draft.token,
                    draft.quarter_id,
                    draft.lon,
                    draft.lat,
                    draft.category,
                    draft.time_band,
                    draft.severity,
                    draft.text,
                    created_at,
                ),
            )
            row = conn.execute(
                f"SELECT {_PIN_COLUMNS} FROM pins WHERE token = ?", (draft.token,)
            ).fetchone()
        return _row_to_pin(row)

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_PIN_COLUMNS} FROM pins WHERE quarter_id = ? ORDER BY id", (quarter_id,)
            ).fetchall()
        return [_row_to_pin(row) for row in rows]

    def count_pins(self, quarter_id: str | None = None) -> int:
        with self._connect() as conn:
            if quarter_id is None:
                row = conn.execute("SELECT count(*) FROM pins").fetchone()
            else:
                row = conn.execute(
                    "SELECT count(*) FROM pins WHERE quarter_id = ?", (quarter_id,)
                ).fetchone()
        return int(row[0])
