"""Staff accounts and the audit log.

Passwords are stored only as argon2id hashes. Every change to an account writes
an audit row in the same transaction; other store parts do the same through
`write_audit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from rules.accounts import (
    FREE_FAILED_LOGINS,
    MAX_LOGIN_WAIT_S,
    AccountLockedError,
    AuditEntry,
    LoginError,
    User,
    login_wait,
    normalise_username,
    wait_seconds_left,
)
from rules.errors import N_, ValidationError
from rules.roles import Action, Actor, PermissionDeniedError, Role, require
from store.base import StoreBase, require_current
from store.db import Connection
from store.passwords import (
    check_password,
    dummy_verify,
    hash_password,
    needs_rehash,
    verify_password,
)
from store.timestamps import from_stored, now_stored, to_stored

SYSTEM_ACTOR: Final = "system"  # the audit actor of automatic changes (a lock after failed logins)
MAX_AUDIT_ENTRIES: Final = 10_000

_USER_COLUMNS = "username, role, failed_logins, locked_until, created_at"
_LOGIN_FAILED = N_("Username or password is wrong.")
_LOCKED = N_(
    "Too many wrong passwords for this account in a row. To keep guessers out, every "
    "further try waits a little: please try again in {seconds} seconds."
)


def _readable(moment: datetime) -> str:
    """A moment in an audit detail, as staff have always read it there (to the second)."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError(f"'now' should be a timezone-aware datetime, got naive {now!r}")
    return now


def write_audit(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    detail: str = "",
    reason: str = "",
    at: datetime | None = None,
) -> None:
    """Append an audit row inside the caller's open transaction, so it commits or rolls back
    with the change it records. `action` is dotted, e.g. "user.create" or "pin.hide"."""
    if not conn.in_transaction:
        raise RuntimeError("write_audit must run inside the transaction of the change it records")
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, target, detail, reason)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (to_stored(_moment(at)), actor, action, target, detail, reason),
    )


def _row_to_user(row: tuple[Any, ...]) -> User:
    username, role, failed_logins, locked_until, created_at = row
    return User(
        username=username,
        role=Role(role),
        failed_logins=int(failed_logins),
        locked_until=from_stored(locked_until) if locked_until else None,
        created_at=from_stored(created_at),
    )


def _user(conn: Connection, username: str) -> User | None:
    row = conn.execute(
        f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,)
    ).fetchone()
    return _row_to_user(row) if row else None


def _existing_user(conn: Connection, username: str) -> User:
    user = _user(conn, normalise_username(username))
    if user is None:
        raise ValidationError(N_("There is no account named {username}."), username=username)
    return user


def _account_role(role: Role) -> Role:
    if role is Role.PARTICIPANT:
        raise ValidationError(N_("Participants take part without an account; choose a staff role."))
    return role


@dataclass(frozen=True, slots=True)
class _Outcome:
    user: User | None  # None: the login failed
    locked_until: datetime | None = None


class AccountStore(StoreBase):
    def has_users(self) -> bool:
        """Whether any staff account exists; without one, the first admin is still to be made."""
        with self.db.read() as conn:
            return conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def account(self, email: str) -> User | None:
        """The account of a username or e-mail address, or None. Used to re-check a
        login's role on every page and for single sign-on (an account an admin created
        under that e-mail address)."""
        try:
            name = normalise_username(email)
        except ValidationError:
            return None
        with self.db.read() as conn:
            return _user(conn, name)

    def create_user(
        self, username: str, password: str, role: Role, *, actor: Actor | None, reason: str = ""
    ) -> User:
        """Create a staff account. `actor` None bootstraps the first admin of an empty store;
        afterwards only an admin (MANAGE_USERS) creates accounts."""
        if actor is not None:
            require(actor, Action.MANAGE_USERS)  # before the costly hash
        name = normalise_username(username)
        _account_role(role)
        check_password(password, username=name)
        password_hash = hash_password(password)
        created_at = now_stored()
        # The first-admin and last-admin checks take turns ("users").
        with self.db.write(lock="users") as conn:
            if actor is None:
                if conn.execute("SELECT 1 FROM users LIMIT 1").fetchone():
                    raise PermissionDeniedError(
                        N_("Accounts exist already: only an admin can create further accounts.")
                    )
                if role is not Role.ADMIN:
                    raise ValidationError(N_("The first account must be an admin."))
            else:
                require_current(conn, actor, Action.MANAGE_USERS)
            if _user(conn, name) is not None:
                raise ValidationError(
                    N_("An account named {username} exists already."), username=name
                )
            conn.execute(
                "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                (name, password_hash, role.value, created_at),
            )
            write_audit(
                conn,
                actor=actor.name if actor else SYSTEM_ACTOR,
                action="user.create",
                target=name,
                detail=f"role={role.value}" + ("" if actor else " bootstrap"),
                reason=reason,
            )
            user = _user(conn, name)
        assert user is not None
        return user

    def authenticate(self, username: str, password: str, *, now: datetime | None = None) -> User:
        """The account for `username` and `password`, or LoginError with one message for a
        wrong password and an unknown user alike. After FREE_FAILED_LOGINS wrong passwords
        in a row, each further try must wait (rules.accounts.login_wait, at most
        MAX_LOGIN_WAIT_S): a try too early is refused unseen (AccountLockedError, even
        with the right password), so guessing is slow but nobody is locked out."""
        moment = _moment(now)
        try:
            name: str | None = normalise_username(username)
        except ValidationError:
            name = None
        with self.db.read() as conn:
            row = (
                conn.execute(
                    "SELECT password_hash, locked_until FROM users WHERE username = ?", (name,)
                ).fetchone()
                if name
                else None
            )
        if name is None or row is None:
            dummy_verify(password)  # an unknown user costs as much time as a known one
            raise LoginError(_LOGIN_FAILED)
        stored_hash, locked_text = row
        if locked_text and moment < from_stored(locked_text):
            until = from_stored(locked_text)
            raise AccountLockedError(_LOCKED, seconds=wait_seconds_left(until, moment))
        # The slow work happens outside the write transaction, so logins do not queue on it.
        ok = verify_password(stored_hash, password)
        new_hash = hash_password(password) if ok and needs_rehash(stored_hash) else None
        # Failed logins are counted one at a time.
        with self.db.write(lock=f"user:{name}") as conn:
            outcome = self._record_login(conn, name, stored_hash, ok, new_hash, moment)
        # Raised after the commit: the failure count and the wait must persist.
        if outcome.locked_until is not None:
            raise AccountLockedError(
                _LOCKED, seconds=wait_seconds_left(outcome.locked_until, moment)
            )
        if outcome.user is None:
            raise LoginError(_LOGIN_FAILED)
        return outcome.user

    @staticmethod
    def _record_login(
        conn: Connection,
        name: str,
        verified_hash: str,
        ok: bool,
        new_hash: str | None,
        moment: datetime,
    ) -> _Outcome:
        user = _user(conn, name)  # again, inside the transaction: another login may have counted
        if user is None:
            return _Outcome(user=None)
        if user.is_locked(moment):
            return _Outcome(user=None, locked_until=user.locked_until)
        if ok:
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
                (name,),
            )
            if new_hash is not None:
                conn.execute(
                    "UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?",
                    (new_hash, name, verified_hash),
                )
            return _Outcome(user=_user(conn, name))
        # The count runs on until a right password: a guesser keeps meeting the longest wait.
        failed = user.failed_logins + 1
        wait = login_wait(failed)
        until = moment + wait if wait else None
        conn.execute(
            "UPDATE users SET failed_logins = ?, locked_until = ? WHERE username = ?",
            (failed, to_stored(until) if until else None, name),
        )
        if failed == FREE_FAILED_LOGINS or (failed > 0 and failed % 100 == 0):
            write_audit(
                conn,
                actor=SYSTEM_ACTOR,
                action="login.throttled",
                target=name,
                detail=f"{failed} failed logins in a row; each try waits up to "
                f"{MAX_LOGIN_WAIT_S} s",
                at=moment,
            )
        return _Outcome(user=None)

    def set_role(self, username: str, role: Role, *, actor: Actor, reason: str = "") -> User:
        """Give an account another staff role (MANAGE_USERS); the last admin stays an admin."""
        require(actor, Action.MANAGE_USERS)
        _account_role(role)
        with self.db.write(lock="users") as conn:
            require_current(conn, actor, Action.MANAGE_USERS)
            user = _existing_user(conn, username)
            if user.role is role:
                return user
            if user.role is Role.ADMIN:
                admins = conn.execute(
                    "SELECT count(*) FROM users WHERE role = ?", (Role.ADMIN.value,)
                )
                if admins.fetchone()[0] <= 1:
                    raise ValidationError(
                        N_("{username} is the last admin. Make another account admin first."),
                        username=user.username,
                    )
            conn.execute(
                "UPDATE users SET role = ? WHERE username = ?", (role.value, user.username)
            )
            write_audit(
                conn,
                actor=actor.name,
                action="user.role",
                target=user.username,
                detail=f"{user.role.value} -> {role.value}",
                reason=reason,
            )
            changed = _user(conn, user.username)
        assert changed is not None
        return changed

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """A staff member sets a new password, proving the old one (lockout applies)."""
        user = self.authenticate(username, old_password)
        check_password(new_password, username=user.username)
        new_hash = hash_password(new_password)
        with self.db.write() as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE username = ?", (new_hash, user.username)
            )
            write_audit(conn, actor=user.username, action="user.password", target=user.username)

    def unlock(self, username: str, *, actor: Actor, reason: str = "") -> User:
        """Lift a lock and reset the failed-login count (MANAGE_USERS)."""
        require(actor, Action.MANAGE_USERS)
        with self.db.write() as conn:
            require_current(conn, actor, Action.MANAGE_USERS)
            user = _existing_user(conn, username)
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE username = ?",
                (user.username,),
            )
            write_audit(
                conn,
                actor=actor.name,
                action="user.unlock",
                target=user.username,
                detail=f"failed_logins was {user.failed_logins}",
                reason=reason,
            )
            changed = _user(conn, user.username)
        assert changed is not None
        return changed

    def users(self, *, actor: Actor) -> list[User]:
        """Every staff account by username (MANAGE_USERS); no password hashes."""
        require(actor, Action.MANAGE_USERS)
        with self.db.read() as conn:
            require_current(conn, actor, Action.MANAGE_USERS)
            rows = conn.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY username").fetchall()
        return [_row_to_user(row) for row in rows]

    def audit_entries(self, *, actor: Actor, limit: int = 500) -> list[AuditEntry]:
        """The newest `limit` audit rows, newest first (READ_AUDIT)."""
        require(actor, Action.READ_AUDIT)
        if not 1 <= limit <= MAX_AUDIT_ENTRIES:
            raise ValueError(f"'limit' should be between 1 and {MAX_AUDIT_ENTRIES}, got {limit}")
        with self.db.read() as conn:
            require_current(conn, actor, Action.READ_AUDIT)
            rows = conn.execute(
                "SELECT id, at, actor, action, target, detail, reason FROM audit_log"
                " ORDER BY id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            AuditEntry(
                id=r[0],
                at=from_stored(r[1]),
                actor=r[2],
                action=r[3],
                target=r[4],
                detail=r[5],
                reason=r[6],
            )
            for r in rows
        ]
