"""Staff accounts from the command line: the first admin, and an operator's unlock.

    SQ_ADMIN_PASSWORD=... python -m store.admin create-admin --username ada
    python -m store.admin create-admin --db var/sichere-quartiere.sqlite --username ada
    python -m store.admin unlock --username ada

The password comes from SQ_ADMIN_PASSWORD or, when that is unset and stdin is a
terminal, is asked for twice. Only the first admin is made here; further
accounts are created in the app by an admin.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from config.settings import PASSWORD_ENV, admin_password, default_db
from rules.errors import SQError
from rules.roles import Role
from store import open_store
from store.base import OPERATOR
from store.passwords import check_password


class _RefusedError(Exception):
    """A reason to stop with exit code 1, said in one line."""


def _read_password(username: str) -> str:
    password = admin_password()
    if password is None:
        if not sys.stdin.isatty():
            raise _RefusedError(f"no password: set {PASSWORD_ENV} or run this in a terminal")
        password = getpass.getpass(f"Password for {username}: ")
        if getpass.getpass("Repeat the password: ") != password:
            raise _RefusedError("the two passwords differ; nothing was created")
    check_password(password, username=username)
    return password


def create_admin(db: str | Path, username: str) -> str:
    """Create the first admin in `db` (URL or SQLite file); the one-line result.
    Raises _RefusedError or SQError."""
    accounts = open_store(str(db))
    if accounts.has_users():
        raise _RefusedError(
            f"{db} has accounts already; further accounts are created in the app by an admin"
        )
    user = accounts.create_user(
        username, _read_password(username), Role.ADMIN, actor=None, reason="create-admin"
    )
    return f"created admin {user.username} in {db}"


def unlock(db: str | Path, username: str) -> str:
    """Clear an account's failed logins and wait in `db`; the one-line result. Raises
    SQError (e.g. no such account)."""
    user = open_store(str(db)).unlock(username, actor=OPERATOR, reason="command line")
    return f"unlocked {user.username} in {db}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store.admin", description="Staff accounts.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="create the first admin of an empty store")
    create.add_argument(
        "--db", default=None, help=f"database URL or SQLite file (default: {default_db()})"
    )
    create.add_argument("--username", required=True)
    unlocking = commands.add_parser(
        "unlock", help="clear an account's failed logins (an admin can do it in the app too)"
    )
    unlocking.add_argument(
        "--db", default=None, help=f"database URL or SQLite file (default: {default_db()})"
    )
    unlocking.add_argument("--username", required=True)
    args = parser.parse_args(argv)
    db: str = args.db or default_db()
    try:
        if args.command == "unlock":
            print(unlock(db, args.username))
        else:
            print(create_admin(db, args.username))
    except (_RefusedError, SQError) as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("cancelled; nothing was created", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
