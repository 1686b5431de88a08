"""Closing the loop in public: residents support and comment on measures (per quarter
while planners keep the comment phase open), photos of notes, and residents who
follow their note by e-mail.

Comments and photos are pre-moderated like notes' texts (status pending -> released,
or hidden). A follower's address lives in its own table, never beside the note, and
`follow_mails` remembers each mail sent, so every status change is told once.

Revision ID: 0010
Revises: 0009
"""

from store.migrations.sql import run

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    run("""
    CREATE TABLE measure_supports (
        measure_id  INTEGER NOT NULL REFERENCES measures (id),
        participant TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (measure_id, participant)
    );
    CREATE TABLE measure_comments (
        id            {autoid},
        measure_id    INTEGER NOT NULL REFERENCES measures (id),
        participant   TEXT NOT NULL DEFAULT '',
        text          TEXT NOT NULL,
        status        TEXT NOT NULL DEFAULT 'pending',
        hidden_reason TEXT,
        created_at    TEXT NOT NULL,
        moderated_by  TEXT,
        moderated_at  TEXT
    );
    CREATE INDEX measure_comments_by_measure ON measure_comments (measure_id, id);
    CREATE INDEX measure_comments_by_status ON measure_comments (status, id);
    CREATE TABLE comment_phases (
        quarter_id TEXT PRIMARY KEY,
        is_open    INTEGER NOT NULL,
        changed_by TEXT NOT NULL,
        changed_at TEXT NOT NULL
    );
    CREATE TABLE pin_photos (
        id           {autoid},
        pin_id       INTEGER NOT NULL REFERENCES pins (id),
        image        {blob} NOT NULL,
        width        INTEGER NOT NULL,
        height       INTEGER NOT NULL,
        status       TEXT NOT NULL DEFAULT 'pending',
        created_at   TEXT NOT NULL,
        moderated_by TEXT,
        moderated_at TEXT
    );
    CREATE INDEX pin_photos_by_pin ON pin_photos (pin_id, id);
    CREATE INDEX pin_photos_by_status ON pin_photos (status, id);
    CREATE TABLE follows (
        id           {autoid},
        pin_id       INTEGER NOT NULL REFERENCES pins (id),
        email        TEXT NOT NULL,
        token        TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        confirmed_at TEXT
    );
    CREATE INDEX follows_by_pin ON follows (pin_id);
    CREATE TABLE follow_mails (
        follow_id  INTEGER NOT NULL REFERENCES follows (id),
        measure_id INTEGER NOT NULL REFERENCES measures (id),
        status     TEXT NOT NULL,
        sent_at    TEXT NOT NULL,
        PRIMARY KEY (follow_id, measure_id, status)
    );
    CREATE INDEX pins_by_session_participant ON pins (session_id, participant)
    """)
