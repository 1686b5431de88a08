"""The database schema, as migrations from version i to i + 1 (SQLite dialect).

The app creates and upgrades its own schema; a database with a newer version
than SCHEMA_VERSION is refused.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE pins (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        token       TEXT NOT NULL UNIQUE,
        quarter_id  TEXT NOT NULL,
        lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
        lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
        category    TEXT NOT NULL,
        time_band   TEXT NOT NULL,
        severity    INTEGER CHECK (severity BETWEEN 1 AND 3),
        text        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL
    );
    CREATE INDEX pins_by_quarter ON pins (quarter_id, id);
    """,
    """
    CREATE TABLE layers (
        id            TEXT PRIMARY KEY,
        name_de       TEXT NOT NULL,
        name_en       TEXT NOT NULL,
        layer_type    TEXT NOT NULL,
        kind          TEXT NOT NULL,
        source        TEXT NOT NULL,
        licence       TEXT NOT NULL,
        attribution   TEXT NOT NULL,
        data_date     TEXT,
        demo          INTEGER NOT NULL,
        feature_count INTEGER NOT NULL,
        dtypes        TEXT NOT NULL,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE layer_features (
        layer_id TEXT NOT NULL REFERENCES layers (id) ON DELETE CASCADE,
        fid      INTEGER NOT NULL,
        wkb      BLOB NOT NULL,
        props    TEXT NOT NULL,
        PRIMARY KEY (layer_id, fid)
    );
    """,
    # 3: lab sessions, supports, moderation, accounts and the audit log.
    """
    CREATE TABLE lab_sessions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
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
        id     INTEGER PRIMARY KEY AUTOINCREMENT,
        at     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT ''
    );
    """,
    # 4: a participant reports a pin once; reports need not flood the queue.
    """
    ALTER TABLE flags ADD COLUMN participant TEXT NOT NULL DEFAULT '';
    CREATE UNIQUE INDEX flags_once_per_participant ON flags (pin_id, participant)
        WHERE participant <> '';
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)
