"""Lab sessions: opened and closed by facilitators, joined with a code."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from rules.errors import N_, StoreError
from rules.labs import LabSession, check_session_fields, new_join_code, normalise_code
from rules.roles import Action, Actor
from store.accounts import write_audit
from store.base import StoreBase
from store.timestamps import from_stored, now_stored

_SESSION_COLUMNS = (
    "id, quarter_id, title, held_on, place, format, join_code, status, created_by,"
    " created_at, closed_at"
)
_CODE_TRIES = 20
_REPEAT_WINDOW = timedelta(minutes=1)  # a double click, not a second table


def _row_to_session(row: tuple[Any, ...]) -> LabSession:
    (
        session_id,
        quarter_id,
        title,
        held_on,
        place,
        fmt,
        code,
        status,
        created_by,
        created_at,
        closed_at,
    ) = row
    return LabSession(
        id=session_id,
        quarter_id=quarter_id,
        title=title,
        held_on=date.fromisoformat(held_on),
        place=place,
        format=fmt,
        join_code=code,
        status=status,
        created_by=created_by,
        created_at=from_stored(created_at),
        closed_at=from_stored(closed_at) if closed_at else None,
    )


class LabStore(StoreBase):
    def open_session(
        self,
        *,
        quarter_id: str,
        title: str,
        held_on: date,
        place: str,
        format: str,
        actor: Actor,
    ) -> LabSession:
        """Open a lab session with a fresh join code (facilitators and admins). The same
        form sent again by the same person within a minute (a double click) returns the
        session opened the first time."""
        self._require(actor, Action.RUN_SESSIONS)
        title, place = check_session_fields(title=title, format=format, place=place)
        # The lock makes two clicks take turns, so the second finds the first.
        with self.db.write(lock=f"sessions:{actor.name}") as conn:
            repeated = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions WHERE created_by = ?"
                " AND quarter_id = ? AND title = ? AND held_on = ? AND place = ? AND format = ?"
                " AND status = 'open' AND created_at >= ? ORDER BY id DESC",
                (
                    actor.name,
                    quarter_id,
                    title,
                    held_on.isoformat(),
                    place,
                    format,
                    now_stored(ago=_REPEAT_WINDOW),
                ),
            ).fetchone()
            if repeated is not None:
                return _row_to_session(repeated)
            for _ in range(_CODE_TRIES):
                code = new_join_code()
                created = conn.execute(
                    "INSERT INTO lab_sessions (quarter_id, title, held_on, place, format,"
                    " join_code, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (join_code) DO NOTHING RETURNING id",
                    (
                        quarter_id,
                        title,
                        held_on.isoformat(),
                        place,
                        format,
                        code,
                        actor.name,
                        now_stored(),
                    ),
                ).fetchone()
                if created is not None:
                    break  # else the code exists already; draw another
            else:
                raise StoreError(N_("No free join code was found; please try again."))
            write_audit(
                conn,
                actor=actor.name,
                action="session.open",
                target=str(created[0]),
                detail=f"{quarter_id} {code}",
            )
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions WHERE id = ?", (created[0],)
            ).fetchone()
        return _row_to_session(row)

    def close_session(self, session_id: int, *, actor: Actor) -> None:
        """Close a session: it takes no new pins from then on."""
        self._move_session(session_id, "open", "closed", closed_at=now_stored(), actor=actor)

    def reopen_session(self, session_id: int, *, actor: Actor) -> None:
        """Open a closed session again: it takes new pins from then on."""
        self._move_session(session_id, "closed", "open", closed_at=None, actor=actor)

    def _move_session(
        self, session_id: int, before: str, after: str, *, closed_at: str | None, actor: Actor
    ) -> None:
        """Move a session from status `before` to `after` (audited; nothing if it is not
        in `before`)."""
        self._require(actor, Action.RUN_SESSIONS)
        with self.db.write() as conn:
            changed = conn.execute(
                "UPDATE lab_sessions SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
                (after, closed_at, session_id, before),
            ).rowcount
            if changed:
                action = "session.close" if after == "closed" else "session.reopen"
                write_audit(conn, actor=actor.name, action=action, target=str(session_id))

    def sessions(self, *, actor: Actor) -> list[LabSession]:
        """All sessions with their join codes, newest first (facilitators and admins)."""
        self._require(actor, Action.RUN_SESSIONS)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions ORDER BY held_on DESC, id DESC"
            ).fetchall()
        return [_row_to_session(row) for row in rows]

    def sessions_in(self, quarter_id: str, *, actor: Actor) -> list[LabSession]:
        """The quarter's lab sessions, oldest first, without their join codes: for
        staff who compare labs (the steering circle), not for those who run them."""
        self._require(actor, Action.READ_EXACT)
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions WHERE quarter_id = ?"
                " ORDER BY held_on, id",
                (quarter_id,),
            ).fetchall()
        return [replace(_row_to_session(row), join_code="") for row in rows]

    def session_by_code(self, code: str) -> LabSession | None:
        """The session a participant's code opens, open or closed; None if unknown."""
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions WHERE join_code = ?",
                (normalise_code(code),),
            ).fetchone()
        return None if row is None else _row_to_session(row)

    def session(self, session_id: int) -> LabSession | None:
        with self.db.read() as conn:
            row = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM lab_sessions WHERE id = ?", (session_id,)
            ).fetchone()
        return None if row is None else _row_to_session(row)
