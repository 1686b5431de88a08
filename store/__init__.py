"""Persistence behind one interface, `Store`: SQLite (the embedded default, one file)
or PostgreSQL with PostGIS (many app processes), chosen by one database URL."""

from __future__ import annotations

from pathlib import Path

from store.postgis import PostgisStore
from store.sqlite import SqliteStore
from store.store import Store

__all__ = ["PostgisStore", "SqliteStore", "Store", "open_store"]


def open_store(url: str) -> Store:
    """Open the store a URL names: ``postgresql://user@host:port/db`` (PostGIS),
    ``sqlite:///path/to/file.sqlite`` or a plain path (SQLite)."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgisStore(url)
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite:///")))
    if "://" in url:
        raise ValueError(f"'url' names an unsupported store: {url.split('://')[0]}://")
    return SqliteStore(Path(url))
