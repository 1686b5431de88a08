"""The SQLite backend: one class composed of the feature parts, one file on disk."""

from __future__ import annotations

from store.schema import MIGRATIONS, SCHEMA_VERSION
from store.sqlite_accounts import SqliteAccounts
from store.sqlite_labs import SqliteLabs
from store.sqlite_layers import LayerExistsError, SqliteLayers
from store.sqlite_moderation import SqliteModeration
from store.sqlite_pins import SqlitePins

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "LayerExistsError", "SqliteStore"]


class SqliteStore(SqlitePins, SqliteLayers, SqliteLabs, SqliteModeration, SqliteAccounts):
    """Pins, layers, lab sessions, moderation and staff accounts in one SQLite file.
    Safe for many threads and processes."""
