"""Bring a database's schema up to date with Alembic, on both backends.

Runs when a store opens. Every migration runs in one transaction that also holds
a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so app processes
starting together migrate once. A database whose revision this app does not know
(written by a newer version) is refused with SchemaVersionError.

SQLite files made before Alembic carry their version in PRAGMA user_version;
they are stamped with the matching revision and upgraded from there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from rules.errors import N_, SchemaVersionError, StoreUnavailableError
from store.db import Database

_HERE = Path(__file__).parent / "migrations"
_PG_MIGRATION_LOCK: Final = 7_305_2026  # any fixed number; names the advisory lock
# PRAGMA user_version of the pre-Alembic SQLite schema -> the revision it equals.
_LEGACY_REVISIONS: Final = {1: "0001", 2: "0002", 3: "0003", 4: "0004"}
_UNKNOWN_REVISION: Final = N_(
    "The database {path} has schema revision {found}, which this app does not "
    "know (it knows up to {known}). Update the app before using this database."
)


@cache
def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_HERE))
    return config


@cache
def head() -> str:
    """The newest revision this app knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


@cache
def known_revisions() -> frozenset[str]:
    return frozenset(s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions())


_HAS_VERSION_TABLE: Final = {
    "sqlite": "SELECT count(*) FROM sqlite_master"
    " WHERE type = 'table' AND name = 'alembic_version'",
    "postgresql": "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
    " AND tablename = 'alembic_version'",
}


def current_revision(db: Database) -> str | None:
    """The database's revision; None for a new, empty database."""
    with db.read() as conn:
        if not conn.execute(_HAS_VERSION_TABLE[db.dialect]).fetchone()[0]:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def upgrade(db: Database, revision: str = "head") -> None:
    """Migrate `db` to head (or to an older `revision`, as an older release would);
    a fast no-op when it is there already."""
    try:
        current = current_revision(db)
    except StoreUnavailableError:
        current = None  # e.g. the database is down: the locked path below reports it
    if current == (head() if revision == "head" else revision):
        return
    engine = _engine(db)
    try:
        with engine.begin() as conn:
            if db.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            _check_known(conn, db)
            _stamp_legacy(conn)
            config = _config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except sa.exc.SQLAlchemyError as exc:
        raise StoreUnavailableError(
            N_("The database is not available right now ({detail})."),
            detail=str(exc.orig if isinstance(exc, sa.exc.DBAPIError) else exc).strip(),
        ) from exc
    finally:
        engine.dispose()


def _engine(db: Database) -> sa.Engine:
    engine = sa.create_engine(db.sqlalchemy_url(), poolclass=sa.NullPool)
    if db.dialect == "sqlite":
        # SQLAlchemy's documented recipe for real SQLite transactions: the driver's own
        # transaction handling off, BEGIN IMMEDIATE on ours, so the whole migration is
        # atomic and concurrent migrators wait for each other.
        @sa.event.listens_for(engine, "connect")
        def _no_driver_transactions(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            dbapi_conn.execute("PRAGMA busy_timeout = 10000")

        @sa.event.listens_for(engine, "begin")
        def _begin_immediate(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_known(conn: sa.Connection, db: Database) -> None:
    found = MigrationContext.configure(conn).get_current_revision()
    if found is not None and found not in known_revisions():
        raise SchemaVersionError(
            _UNKNOWN_REVISION,
            path=db.label,
            found=found,
            known=head(),
        )


def _stamp_legacy(conn: sa.Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    if MigrationContext.configure(conn).get_current_revision() is not None:
        return
    version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
    if version == 0:
        return
    if version not in _LEGACY_REVISIONS:
        raise SchemaVersionError(
            _UNKNOWN_REVISION,
            path=str(conn.engine.url.database),
            found=str(version),
            known=head(),
        )
    config = _config()
    config.attributes["connection"] = conn
    command.stamp(config, _LEGACY_REVISIONS[version])
