"""A database moved aside under a new name, and an empty one made in its place, for a
rollback that restores a backup (deploy/release.py): nothing is deleted, the moved
database keeps what was written since the backup."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from rules.errors import N_, StoreError
from store.backup import is_postgres


class SetAsideError(StoreError):
    """The database could not be moved aside; it is as it was."""


def set_aside(db_url: str, suffix: str) -> str:
    """Rename the database at `db_url` to its name + `suffix`, leaving `db_url` empty
    (PostGIS: a new database with PostGIS enabled); the new name or path."""
    if is_postgres(db_url):
        return _postgres(db_url, suffix)
    return _sqlite(Path(db_url.removeprefix("sqlite:///")), suffix)


def _sqlite(path: Path, suffix: str) -> str:
    moved = path.with_name(path.name + suffix)
    if moved.exists():
        raise SetAsideError(N_("{path} exists already."), path=str(moved))
    # The write-ahead log and its index belong to the file: they move with it.
    for part in ("", "-wal", "-shm"):
        source = path.with_name(path.name + part)
        if source.exists():
            source.rename(moved.with_name(moved.name + part))
    return str(moved)


def _postgres(url: str, suffix: str) -> str:
    parts = conninfo_to_dict(url)
    name = str(parts.get("dbname") or "")
    moved = name + suffix
    maintenance = make_conninfo("", **{**parts, "dbname": "postgres"})
    try:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(name), sql.Identifier(moved)
                )
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    except psycopg.Error as exc:
        raise SetAsideError(
            N_("The database {name} could not be moved aside: {detail}"),
            name=name,
            detail=str(exc).strip(),
        ) from exc
    return moved
