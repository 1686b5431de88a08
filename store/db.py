"""Connections to the two backends behind one small interface.

The store's SQL is written once, with `?` placeholders, in the subset SQLite and
PostgreSQL share (ON CONFLICT, RETURNING, CAST). `Database.read()` gives a
connection, `Database.write()` one transaction. Driver errors become
StoreUnavailableError with a message a participant can act on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Final, Protocol

import psycopg
import pyarrow as pa

from rules.errors import N_, StoreUnavailableError
from store.columnar import postgres_table, sqlite_table
from store.pg_pool import PgPool, PoolBusyError, PoolStats
from store.sqlite_pool import IDLE_CONNECTIONS, close_idle_connections, idle_of

_log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS: Final = 10_000
POOL_SIZE: Final = 10  # connections per app process; PostgreSQL's max_connections bounds the sum
POOL_TIMEOUT_S: Final = 5.0  # how long a request waits for a connection before giving up
_OPEN_TRIES: Final = 50
_NEARLY_FULL_BYTES: Final = 256 * 1024

_UNAVAILABLE = N_("The database is not available right now ({detail}).")
_UNREACHABLE = N_("The database server cannot be reached right now.")
_DISK_FULL = N_("The database cannot be written because its disk is full. Please tell the staff.")
_READ_ONLY = N_(
    "The database cannot be written because its file is read-only. Please tell the staff."
)


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(ABC):
    """One connection; SQL uses `?` placeholders on both backends."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        """Run `sql` once per row; returns the number of rows changed in all."""

    @property
    @abstractmethod
    def in_transaction(self) -> bool: ...


class Database(ABC):
    """One database: where it is, how to connect, how to serialise racing writers."""

    dialect: ClassVar[str]

    @abstractmethod
    def read(self) -> AbstractContextManager[Connection]: ...

    @abstractmethod
    def write(self, *, lock: str | None = None) -> AbstractContextManager[Connection]:
        """A connection inside one transaction: committed on success, rolled back on error.

        `lock` names something two writers must not check at the same time (a rate
        limit, the last admin): transactions with the same `lock` take turns.
        """

    @abstractmethod
    def read_table(self, sql: str, params: Sequence[Any], schema: pa.Schema) -> pa.Table:
        """The rows of one query straight into Arrow columns of `schema` (the query's
        columns in order), with no Python object per value: for reads of many rows."""

    @abstractmethod
    def write_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        """Run one writing statement as a transaction of its own; its first row (from
        RETURNING) or None. The cheapest write: one round trip on PostgreSQL."""

    @property
    @abstractmethod
    def url(self) -> str:
        """The URL this database was opened with (open_store opens it again)."""

    @abstractmethod
    def sqlalchemy_url(self) -> str:
        """The same database for SQLAlchemy (Alembic's migrations)."""

    @property
    @abstractmethod
    def label(self) -> str:
        """Where the data lives, for messages and logs (no password)."""

    @abstractmethod
    def close(self) -> None:
        """Release pooled connections."""

    @abstractmethod
    def pool_stats(self) -> PoolStats:
        """The connection pool as it stands now (for the metrics; makes no connection)."""


# --- SQLite ----------------------------------------------------------------


def _sqlite_error(exc: sqlite3.Error, path: Path) -> StoreUnavailableError:
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError):
        if "disk is full" in text or ("disk I/O error" in text and _disk_nearly_full(path)):
            return StoreUnavailableError(_DISK_FULL)
        # A read-only file system makes SQLite say "unable to open" (it cannot make the
        # WAL's shared-memory file); ask the file system what it allows.
        writable = os.access(path.parent, os.W_OK) and (
            not path.exists() or os.access(path, os.W_OK)
        )
        if "readonly" in text or (path.parent.is_dir() and not writable):
            return StoreUnavailableError(_READ_ONLY)
    return StoreUnavailableError(_UNAVAILABLE, detail=text)


def _disk_nearly_full(path: Path) -> bool:
    """SQLite often reports a full disk as a plain I/O error; the file system knows."""
    try:
        stats = os.statvfs(path.parent)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < _NEARLY_FULL_BYTES


class _SqliteConnection(Connection):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.raw.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        before = self.raw.total_changes
        self.raw.executemany(sql, rows)
        return self.raw.total_changes - before

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction


class SqliteDatabase(Database):
    """One SQLite file in WAL mode; a connection per operation, kept idle between
    operations (thread-safe: one thread uses a connection at a time). Writers queue on
    BEGIN IMMEDIATE, so every write transaction runs alone."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(_UNAVAILABLE, detail=str(exc)) from exc
        self._use_wal()

    @property
    def url(self) -> str:
        return str(self.path)

    @property
    def label(self) -> str:
        return str(self.path)

    def sqlalchemy_url(self) -> str:
        return f"sqlite:///{self.path}"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        raw = self._take()
        reusable = False
        try:
            yield _SqliteConnection(raw)
            reusable = not raw.in_transaction
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path) from exc
        finally:
            if reusable:
                self._give_back(raw)
            else:
                raw.close()

    def _take(self) -> sqlite3.Connection:
        """An idle connection of this file, or a new one. Opening one (the file, its
        WAL index, three pragmas) costs more than a map's whole version check, and
        fifty maps check ten times a second."""
        raw = idle_of(self.path).take()
        if raw is not None:
            return raw
        try:
            raw = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,  # one thread at a time, handed over by the pool
            )
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path) from exc
        try:
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raw.close()
            raise _sqlite_error(exc, self.path) from exc
        return raw

    def _give_back(self, raw: sqlite3.Connection) -> None:
        idle_of(self.path).give_back(raw)

    @contextmanager
    def write(self, *, lock: str | None = None) -> Iterator[Connection]:
        # `lock` needs nothing more: BEGIN IMMEDIATE makes every writer wait its turn.
        with self.read() as conn:
            raw = conn.raw  # type: ignore[attr-defined]
            raw.execute("BEGIN IMMEDIATE")  # taken at once: writers queue, not fail
            try:
                yield conn
                raw.execute("COMMIT")
            except BaseException:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
                raise

    def read_table(self, sql: str, params: Sequence[Any], schema: pa.Schema) -> pa.Table:
        try:
            return sqlite_table(self.path, sql, params, schema, timeout_ms=BUSY_TIMEOUT_MS)
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, self.path) from exc

    def write_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self.write() as conn:
            row = conn.execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def close(self) -> None:
        """Close the file's idle connections (a later operation opens new ones)."""
        close_idle_connections(self.path)

    def pool_stats(self) -> PoolStats:
        """Only the idle connections are counted (size: how many are kept idle at most):
        SQLite opens one per operation when none is idle, with no limit and no wait for
        a connection (writers queue on the file's lock instead)."""
        idle = idle_of(self.path).count()
        return PoolStats(size=IDLE_CONNECTIONS, idle=idle, in_use=None, waiting=None)

    def _use_wal(self) -> None:
        # Several processes may open a new file at once; switching it to WAL needs a
        # moment alone, and SQLite answers "locked" at once rather than waiting.
        for attempt in range(_OPEN_TRIES):
            try:
                with self.read() as conn:
                    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                        conn.execute("PRAGMA journal_mode = WAL")
                return
            except StoreUnavailableError as exc:
                if "locked" not in str(exc) or attempt == _OPEN_TRIES - 1:
                    raise
                time.sleep(0.02 * (attempt + 1))


# --- PostgreSQL / PostGIS ----------------------------------------------------


@cache
def _pg_sql(sql: str) -> str:
    """`?` placeholders in psycopg's style (`%s`); a literal `%` doubled."""
    return sql.replace("%", "%%").replace("?", "%s")


def _pg_error(exc: Exception) -> StoreUnavailableError:
    _log.warning("PostgreSQL: %s", exc)
    if isinstance(exc, psycopg.errors.DiskFull):
        return StoreUnavailableError(_DISK_FULL)
    if isinstance(exc, psycopg.OperationalError | PoolBusyError):
        # Host names and ports mean nothing to a participant; the log has them.
        return StoreUnavailableError(_UNREACHABLE)
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return StoreUnavailableError(_UNAVAILABLE, detail=detail)


def _lock_id(key: str) -> int:
    """A stable 64-bit number for an advisory lock's name."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), signed=True)


class _PgConnection(Connection):
    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        return self.raw.execute(_pg_sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> int:
        with self.raw.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), rows)
            return max(cursor.rowcount, 0)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE


class PostgresDatabase(Database):
    """A PostgreSQL server with PostGIS, through a small pool of connections per process."""

    dialect = "postgresql"

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self._url = url
        self._pool = PgPool(url, size=pool_size, wait_s=POOL_TIMEOUT_S)

    @property
    def url(self) -> str:
        return self._url

    @property
    def label(self) -> str:
        info = psycopg.conninfo.conninfo_to_dict(self._url)
        return (
            f"postgresql://{info.get('host', '')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        )

    def sqlalchemy_url(self) -> str:
        return "postgresql+psycopg://" + self._url.split("://", 1)[1]

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self._pool.connection() as raw:
                yield _PgConnection(raw)
        except (psycopg.Error, PoolBusyError) as exc:
            raise _pg_error(exc) from exc

    @contextmanager
    def write(self, *, lock: str | None = None) -> Iterator[Connection]:
        # BEGIN and the lock travel in one round trip; writes are short, and every
        # round trip saved shortens the queue when many people save at once.
        begin = (
            "BEGIN" if lock is None else f"BEGIN; SELECT pg_advisory_xact_lock({_lock_id(lock)})"
        )
        try:
            with self._pool.connection() as raw:
                raw.execute(begin)
                try:
                    yield _PgConnection(raw)
                except BaseException:
                    if not raw.broken:
                        raw.execute("ROLLBACK")
                    raise
                raw.execute("COMMIT")
        except (psycopg.Error, PoolBusyError) as exc:
            raise _pg_error(exc) from exc

    def read_table(self, sql: str, params: Sequence[Any], schema: pa.Schema) -> pa.Table:
        try:
            with self._pool.connection() as raw:
                return postgres_table(raw, _pg_sql(sql), params, schema)
        except (psycopg.Error, PoolBusyError) as exc:
            raise _pg_error(exc) from exc

    def write_one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        # Autocommit: PostgreSQL runs a single statement as its own transaction.
        with self.read() as conn:
            row = conn.execute(sql, params).fetchone()
        return None if row is None else tuple(row)

    def close(self) -> None:
        self._pool.close()

    def pool_stats(self) -> PoolStats:
        return self._pool.stats()


def open_database(url: str) -> Database:
    """The database a store URL names (see store.open_store), without a store around it
    and without migrating it: for tools that look at the schema first."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url, pool_size=1)
    return SqliteDatabase(Path(url.removeprefix("sqlite:///")))
