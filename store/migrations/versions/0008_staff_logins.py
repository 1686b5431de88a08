"""Staff logins that outlive a browser tab: a reload or a new tab keeps a staff member
logged in while the login is in use (rules.accounts.SESSION_IDLE_MINUTES).

Only a hash of each login's random token is stored; the token itself lives in the
browser's HttpOnly cookie.

Revision ID: 0008
Revises: 0007
"""

from store.migrations.sql import run

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    run("""
    CREATE TABLE staff_logins (
        token_hash TEXT PRIMARY KEY,
        username   TEXT NOT NULL REFERENCES users (username),
        role       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen  TEXT NOT NULL
    );
    CREATE INDEX staff_logins_by_user ON staff_logins (username)
    """)
