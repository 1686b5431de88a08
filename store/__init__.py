"""Persistence behind one interface; SQLite is the embedded default.

`SqliteStore` is that interface today: pins, layers, lab sessions, moderation and
accounts, every write one transaction, every staff action checked by role. A second
backend (PostGIS) will implement the same methods.
"""

from __future__ import annotations

from pathlib import Path

from store.sqlite import SqliteStore

__all__ = ["SqliteStore", "open_store"]


def open_store(url: str) -> SqliteStore:
    """Open the store named by `url`: ``sqlite:///path/to/file.sqlite`` or a plain path."""
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite:///")))
    if "://" in url:
        raise ValueError(f"'url' names an unsupported store: {url.split('://')[0]}://")
    return SqliteStore(Path(url))
