"""What every part of the store stands on: one database, migrated when opened."""

from __future__ import annotations

from typing import Final

from rules.errors import N_
from rules.roles import Action, Actor, PermissionDeniedError, Role, require
from store import migrate
from store.db import Connection, Database

# The server's own jobs act without an account: their names hold a colon, which no user
# name can (rules.accounts), so no login can pass for one.
SYSTEM_PREFIX: Final = "system:"
# Whoever runs the app's commands on the server (python -m store.admin).
OPERATOR: Final = Actor(name=f"{SYSTEM_PREFIX}operator", role=Role.ADMIN)


def require_current(conn: Connection, actor: Actor, action: Action | None) -> None:
    """`require` (for a named action), and the actor's account must hold that role now:
    the store does not take a caller's word for a role (a login made before a demotion,
    or for an account that is gone, keeps no rights). The server's own jobs
    (SYSTEM_PREFIX) have no account."""
    if action is not None:
        require(actor, action)
    if actor.name.startswith(SYSTEM_PREFIX):
        return
    found = conn.execute("SELECT role FROM users WHERE username = ?", (actor.name,)).fetchone()
    if found is None or found[0] != actor.role:
        raise PermissionDeniedError(
            N_("Your account's role has changed. Please log in again."),
        )


class StoreBase:
    """One database (SQLite or PostGIS) whose schema is at this app's revision."""

    def __init__(self, db: Database) -> None:
        self.db = db
        try:
            migrate.upgrade(db)
        except BaseException:
            db.close()  # no pool left running behind a store that never opened
            raise

    def _require(self, actor: Actor, action: Action | None = None) -> None:
        """require_current on a connection of its own (before a write begins)."""
        if action is not None:
            require(actor, action)  # refused without a look at the database
        with self.db.read() as conn:
            require_current(conn, actor, None)

    def ping(self) -> None:
        """Read the schema's revision, as cheaply as the database allows; raises
        StoreError when the database cannot be reached or holds no schema (the health
        check: a server that answers is not enough, the app's tables must be there)."""
        with self.db.read() as conn:
            conn.execute("SELECT version_num FROM alembic_version").fetchone()

    def schema_revision(self) -> str | None:
        return migrate.current_revision(self.db)

    def close(self) -> None:
        self.db.close()
