"""Staff logins that outlive a browser tab (a reload, a new tab): each login gets a
random token, kept by the browser in an HttpOnly cookie; the store keeps only its hash,
the account, the role at login and when it was last used. A login unused for
rules.accounts.SESSION_IDLE_MINUTES, or whose account's role changed, ends."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from rules.accounts import User, is_expired
from store.accounts import _user
from store.base import StoreBase
from store.db import Connection
from store.timestamps import from_stored, to_stored

TOKEN_BYTES = 32


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else now


def _end(conn: Connection, token: str) -> None:
    conn.execute("DELETE FROM staff_logins WHERE token_hash = ?", (_hash(token),))


class StaffLoginStore(StoreBase):
    def start_staff_login(self, user: User, *, now: datetime | None = None) -> str:
        """A new login of `user` (whose password was just checked); its token."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        moment = to_stored(_now(now))
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO staff_logins (token_hash, username, role, created_at, last_seen)"
                " VALUES (?, ?, ?, ?, ?)",
                (_hash(token), user.username, user.role.value, moment, moment),
            )
        return token

    def resume_staff_login(self, token: str, *, now: datetime | None = None) -> User | None:
        """The account a login token stands for, if the login is still in use and the
        account's role is the one it logged in with; counts as use. None otherwise (and
        an ended login is forgotten)."""
        moment = _now(now)
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT username, role, last_seen FROM staff_logins WHERE token_hash = ?",
                (_hash(token),),
            ).fetchone()
            if row is None:
                return None
            username, role, last_seen = row
            user = _user(conn, username)
            if (
                is_expired(from_stored(last_seen), moment)
                or user is None
                or user.role.value != role
            ):
                _end(conn, token)
                return None
            conn.execute(
                "UPDATE staff_logins SET last_seen = ? WHERE token_hash = ?",
                (to_stored(moment), _hash(token)),
            )
        return user

    def end_staff_login(self, token: str) -> None:
        """Log out: the token opens nothing any more."""
        with self.db.write() as conn:
            _end(conn, token)
