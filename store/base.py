"""What every part of the store stands on: one database, migrated when opened."""

from __future__ import annotations

from store import migrate
from store.db import Database


class StoreBase:
    """One database (SQLite or PostGIS) whose schema is at this app's revision."""

    def __init__(self, db: Database) -> None:
        self.db = db
        try:
            migrate.upgrade(db)
        except BaseException:
            db.close()  # no pool left running behind a store that never opened
            raise

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self.db)

    def close(self) -> None:
        self.db.close()
