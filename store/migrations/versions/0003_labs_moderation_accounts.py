"""Lab sessions, supports, moderation, staff accounts and the audit log.

Revision ID: 0003
Revises: 0002
"""

from store.migrations.sql import run

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    run("""
    CREATE TABLE lab_sessions (
        id          {autoid},
        quarter_id  TEXT NOT NULL,
        title       TEXT NOT NULL,
        held_on     TEXT NOT NULL,
        place       TEXT NOT NULL DEFAULT '',
        format      TEXT NOT NULL,
        join_code   TEXT NOT NULL UNIQUE,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        closed_at   TEXT
    );
    ALTER TABLE pins ADD COLUMN session_id INTEGER REFERENCES lab_sessions (id);
    ALTER TABLE pins ADD COLUMN channel TEXT NOT NULL DEFAULT 'online';
    ALTER TABLE pins ADD COLUMN working_group TEXT;
    ALTER TABLE pins ADD COLUMN participant TEXT NOT NULL DEFAULT '';
    ALTER TABLE pins ADD COLUMN text_status TEXT NOT NULL DEFAULT 'none';
    ALTER TABLE pins ADD COLUMN hidden_reason TEXT;
    ALTER TABLE pins ADD COLUMN merged_into INTEGER REFERENCES pins (id);
    UPDATE pins SET text_status = 'pending' WHERE text <> '';
    CREATE INDEX pins_by_participant ON pins (participant, created_at);
    CREATE TABLE supports (
        pin_id      INTEGER NOT NULL REFERENCES pins (id),
        participant TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (pin_id, participant)
    );
    CREATE TABLE flags (
        id          {autoid},
        pin_id      INTEGER NOT NULL REFERENCES pins (id),
        reason      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        resolved_by TEXT,
        resolved_at TEXT
    );
    CREATE TABLE users (
        username      TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until  TEXT,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE audit_log (
        id     {autoid},
        at     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
    )
    """)
