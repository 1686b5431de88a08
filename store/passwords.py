"""Password hashing (argon2id) and the password policy for staff accounts."""

from __future__ import annotations

import secrets
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rules.errors import N_, ValidationError

MIN_PASSWORD_CHARS: Final = 12
MAX_PASSWORD_CHARS: Final = 1024  # long enough for any passphrase, short enough to hash cheaply

# Built once and reused. argon2-cffi's defaults are argon2id with RFC 9106's
# low-memory profile (t=3, m=64 MiB, p=4); raising them later is safe, since
# `needs_rehash` then upgrades each stored hash at its next login.
_HASHER: Final = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of `password` in PHC format (``$argon2id$v=19$...``), freshly salted."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether `password` matches `stored_hash`; a malformed hash never matches."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether `stored_hash` was made with other parameters than today's hasher."""
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except (InvalidHashError, ValueError):
        return True


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def dummy_verify(password: str) -> None:
    """Spend one real verify's time, so an unknown username answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


def check_password(password: str, *, username: str = "") -> None:
    """Raise ValidationError unless `password` meets the policy.

    At least MIN_PASSWORD_CHARS characters, at most MAX_PASSWORD_CHARS, not one
    character repeated, and not the username (compared ignoring case and the
    spaces around it).
    """
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationError(
            N_("A password needs at least {min_chars} characters; this one has {chars}."),
            min_chars=MIN_PASSWORD_CHARS,
            chars=len(password),
        )
    if len(password) > MAX_PASSWORD_CHARS:
        raise ValidationError(
            N_("A password may have at most {max_chars} characters; this one has {chars}."),
            max_chars=MAX_PASSWORD_CHARS,
            chars=len(password),
        )
    if len(set(password)) == 1:
        raise ValidationError(N_("A password must not be one character repeated."))
    if username.strip() and password.strip().casefold() == username.strip().casefold():
        raise ValidationError(N_("A password must not be the same as the username."))
