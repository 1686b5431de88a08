"""Staff accounts as values: users, audit entries, login rules. Pure, no I/O.

Participants never log in; facilitators, moderators, planners, the steering
circle and admins do. Storage and password hashing live in ``store``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from rules.errors import N_, ValidationError
from rules.roles import Role

# Wrong passwords in a row that cost nothing; after them every further try of the
# account waits, twice as long each time, up to MAX_LOGIN_WAIT_S. A stranger cannot lock
# anyone out (the wait never exceeds half a minute), and a guesser gets two tries a minute.
FREE_FAILED_LOGINS: Final = 5
MAX_LOGIN_WAIT_S: Final = 30
SESSION_IDLE_MINUTES: Final = 60  # a staff login expires after this much inactivity

MAX_USERNAME_CHARS: Final = 64
# Lower case after normalising; e-mail addresses work as usernames.
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._@+-]*")


class LoginError(ValidationError):
    """Wrong username or password; the message never says which of the two."""


class AccountLockedError(ValidationError):
    """Too many failed logins in a row: the account's next try must wait a little."""


@dataclass(frozen=True, slots=True)
class User:
    """A staff account as the app sees it; the password hash never leaves the store."""

    username: str
    role: Role
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One row of the audit log: who did what to whom, and why."""

    id: int
    at: datetime
    actor: str
    action: str  # e.g. "user.create", "user.role", "user.unlock", "login.locked"
    target: str
    detail: str
    reason: str


def normalise_username(text: str) -> str:
    """A username as stored: surrounding spaces dropped, lower case.

    Raises ValidationError unless it is 1 to 64 characters of a-z, 0-9 and
    ``. _ @ + -``, starting with a letter or digit.

    >>> normalise_username("  Ada.Lovelace ")
    'ada.lovelace'
    """
    name = text.strip().lower()
    if not name or len(name) > MAX_USERNAME_CHARS or not _USERNAME.fullmatch(name):
        raise ValidationError(
            N_(
                "A username has 1 to {max_chars} characters: letters a–z, digits and . _ @ + -, "
                "starting with a letter or digit. Got: {username}"
            ),
            max_chars=MAX_USERNAME_CHARS,
            username=text,
        )
    return name


def login_wait(failed_logins: int) -> timedelta:
    """How long the next try waits after `failed_logins` wrong passwords in a row."""
    if failed_logins < FREE_FAILED_LOGINS:
        return timedelta(0)
    doublings = min(failed_logins - FREE_FAILED_LOGINS, MAX_LOGIN_WAIT_S.bit_length())
    return timedelta(seconds=min(MAX_LOGIN_WAIT_S, 2**doublings))


def wait_seconds_left(until: datetime, now: datetime) -> int:
    """Whole seconds until `until`, at least 1."""
    return max(1, math.ceil((until - now).total_seconds()))


def is_expired(last_seen: datetime, now: datetime) -> bool:
    """Whether a staff login seen last at `last_seen` has expired by `now`.

    Expired after SESSION_IDLE_MINUTES of inactivity, at exactly 60 minutes
    included; a `last_seen` in the future (clock skew) counts as active.
    """
    return now - last_seen >= timedelta(minutes=SESSION_IDLE_MINUTES)
