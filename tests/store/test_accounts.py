"""Staff accounts on both backends: hashes only, lockout, roles, audit, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from rules.accounts import (
    FREE_FAILED_LOGINS,
    MAX_LOGIN_WAIT_S,
    SESSION_IDLE_MINUTES,
    AccountLockedError,
    LoginError,
    User,
    is_expired,
)
from rules.errors import ValidationError
from rules.roles import Actor, Role
from store import Store, open_store, passwords
from store.accounts import write_audit
from store.passwords import check_password, hash_password, needs_rehash, verify_password
from tests.conftest import StoreFactory
from tests.store.sql import rows

PROJECT_DIR = Path(__file__).resolve().parents[2]
ADA_PW = "correct horse battery"  # the admin
PIA_PW = "planner passphrase 7"  # a planner
ADMIN = Actor(name="ada", role=Role.ADMIN)
T0 = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)
LOWER_ROLES = [Role.PARTICIPANT, Role.FACILITATOR, Role.MODERATOR, Role.PLANNER, Role.STEERING]


@pytest.fixture(scope="module")
def seeded() -> dict[str, str]:
    """Per backend, the URL of a store seeded once (hashing is slow): an admin "ada"
    and a planner "pia". Each test gets a copy."""
    return {}


@pytest.fixture
def store(stores: StoreFactory, seeded: dict[str, str]) -> Store:
    if stores.backend not in seeded:
        seed = open_store(stores.new_url())
        seed.create_user("ada", ADA_PW, Role.ADMIN, actor=None)
        seed.create_user("pia", PIA_PW, Role.PLANNER, actor=ADMIN)
        seed.close()
        seeded[stores.backend] = seed.db.url
    return stores.open(stores.new_url(template=seeded[stores.backend]), staff=False)


@pytest.fixture
def empty(stores: StoreFactory) -> Store:
    return stores.open(staff=False)


def actions(store: Store) -> list[tuple[Any, ...]]:
    return rows(store, "SELECT actor, action, target, reason FROM audit_log ORDER BY id")


# -- hashes and logins ---------------------------------------------------------


def test_only_argon2id_hashes_are_stored(store: Store) -> None:
    stored = dict(rows(store, "SELECT username, password_hash FROM users"))
    assert set(stored) == {"ada", "pia"}
    for password_hash in stored.values():
        assert isinstance(password_hash, str)
        assert password_hash.startswith("$argon2id$")
    dump = repr(rows(store, "SELECT * FROM users")) + repr(rows(store, "SELECT * FROM audit_log"))
    assert ADA_PW not in dump and PIA_PW not in dump


def test_the_right_password_logs_in(store: Store) -> None:
    user = store.authenticate("pia", PIA_PW, now=T0)
    assert user == User("pia", Role.PLANNER, 0, None, user.created_at)
    assert user.created_at.tzinfo is not None


def test_usernames_are_case_insensitive(store: Store) -> None:
    assert store.authenticate("  PIA ", PIA_PW).username == "pia"
    with pytest.raises(ValidationError, match="exists already"):
        store.create_user("Pia", "another passphrase", Role.MODERATOR, actor=ADMIN)


@pytest.mark.parametrize(
    ("username", "password"),
    [("pia", "wrong passphrase"), ("nobody", PIA_PW), ("not a name!", PIA_PW), ("", "")],
    ids=["wrong password", "unknown user", "malformed name", "empty"],
)
def test_a_failed_login_never_says_whether_the_user_exists(
    store: Store, username: str, password: str
) -> None:
    with pytest.raises(LoginError) as raised:
        store.authenticate(username, password, now=T0)
    assert type(raised.value) is LoginError
    assert str(raised.value) == "Username or password is wrong."
    assert raised.value.params == {}


def test_an_unknown_user_still_costs_one_verify(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real = passwords.verify_password

    def spy(stored_hash: str, password: str) -> bool:
        verified.append(password)
        return real(stored_hash, password)

    monkeypatch.setattr(passwords, "verify_password", spy)
    with pytest.raises(LoginError):
        store.authenticate("nobody", "guess one two")
    assert verified == ["guess one two"]


def test_an_old_hash_is_upgraded_at_login(store: Store) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PIA_PW)
    with store.db.write() as conn:
        conn.execute("UPDATE users SET password_hash = ? WHERE username = 'pia'", (weak,))
    assert needs_rehash(weak)
    store.authenticate("pia", PIA_PW)
    [(upgraded,)] = rows(store, "SELECT password_hash FROM users WHERE username = 'pia'")
    assert isinstance(upgraded, str)
    assert upgraded != weak and not needs_rehash(upgraded)
    assert store.authenticate("pia", PIA_PW).username == "pia"


# -- lockout -------------------------------------------------------------------


def fail(store: Store, times: int, *, now: datetime) -> None:
    for _ in range(times):
        with pytest.raises(LoginError):
            store.authenticate("pia", "wrong passphrase", now=now)


def test_five_wrong_passwords_are_free_then_each_try_waits_a_little(store: Store) -> None:
    fail(store, FREE_FAILED_LOGINS, now=T0)  # the fifth makes the next try wait 1 s
    # Too early: refused unseen, even with the right password.
    with pytest.raises(AccountLockedError, match="try again in 1 seconds") as early:
        store.authenticate("pia", PIA_PW, now=T0)
    assert early.value.params == {"seconds": 1}
    fail(store, 1, now=T0 + timedelta(seconds=1))  # the sixth: the next waits 2 s
    with pytest.raises(AccountLockedError):
        store.authenticate("pia", PIA_PW, now=T0 + timedelta(seconds=2))
    # In time: the right password works and the count starts again.
    user = store.authenticate("pia", PIA_PW, now=T0 + timedelta(seconds=3))
    assert (user.failed_logins, user.locked_until) == (0, None)
    fail(store, FREE_FAILED_LOGINS - 1, now=T0 + timedelta(seconds=4))
    assert store.authenticate("pia", PIA_PW, now=T0 + timedelta(seconds=4)).username == "pia"


def test_a_stranger_guessing_all_day_cannot_lock_the_owner_out(store: Store) -> None:
    """Guessing at the fastest pace the waits allow: the owner is never kept out longer
    than MAX_LOGIN_WAIT_S, and a guesser gets about two tries a minute."""
    moment, tries, longest = T0, 0, timedelta(0)
    while moment < T0 + timedelta(minutes=30):
        try:
            store.authenticate("pia", "wrong passphrase", now=moment)
        except AccountLockedError as waiting:
            wait = timedelta(seconds=waiting.params["seconds"])
            longest = max(longest, wait)
            moment += wait
        except LoginError:
            tries += 1
    assert longest <= timedelta(seconds=MAX_LOGIN_WAIT_S)
    assert tries <= 2 * 30 + FREE_FAILED_LOGINS + 5  # about two a minute
    assert store.authenticate("pia", PIA_PW, now=moment + timedelta(seconds=30)).username == "pia"


def test_the_operator_unlocks_an_account_from_the_command_line(store: Store) -> None:
    from store.admin import main

    url = store.db.url
    fail(store, FREE_FAILED_LOGINS, now=datetime.now(UTC))  # the next try would wait
    assert main(["unlock", "--db", url, "--username", "pia"]) == 0
    assert store.authenticate("pia", PIA_PW).failed_logins == 0
    assert store.audit_entries(actor=ADMIN)[0].actor == "system:operator"
    assert main(["unlock", "--db", url, "--username", "ghost"]) == 1


def test_an_unknown_account_is_named(store: Store) -> None:
    with pytest.raises(ValidationError, match="There is no account named ghost"):
        store.set_role("ghost", Role.PLANNER, actor=ADMIN)


# -- the audit log -------------------------------------------------------------


def test_audit_rows_record_create_role_and_lock(store: Store) -> None:
    store.set_role("pia", Role.MODERATOR, actor=ADMIN, reason="new task")
    fail(store, FREE_FAILED_LOGINS, now=T0)
    entries = store.audit_entries(actor=ADMIN)
    assert [(e.actor, e.action, e.target, e.reason) for e in entries] == [
        ("system", "login.throttled", "pia", ""),
        ("ada", "user.role", "pia", "new task"),
        ("ada", "user.create", "pia", ""),
        ("system", "user.create", "ada", ""),
    ]
    assert entries[0].at == T0
    assert entries[0].detail == "5 failed logins in a row; each try waits up to 30 s"
    assert entries[1].detail == "planner -> moderator"
    assert [e.id for e in store.audit_entries(actor=ADMIN, limit=2)] == [e.id for e in entries[:2]]


def test_write_audit_commits_and_rolls_back_with_the_callers_transaction(
    store: Store,
) -> None:
    before = actions(store)
    with pytest.raises(RuntimeError, match="boom"), store.db.write() as conn:
        write_audit(conn, actor="mo", action="pin.hide", target="pin 7", reason="insult")
        raise RuntimeError("boom")
    assert actions(store) == before
    with store.db.write() as conn:
        write_audit(conn, actor="mo", action="pin.hide", target="pin 7", reason="insult")
    assert actions(store) == [*before, ("mo", "pin.hide", "pin 7", "insult")]


def test_write_audit_outside_a_transaction_is_a_bug(store: Store) -> None:
    with pytest.raises(RuntimeError, match="inside the transaction"), store.db.read() as conn:
        write_audit(conn, actor="mo", action="pin.hide", target="pin 7")


# -- passwords and sessions ----------------------------------------------------


@pytest.mark.parametrize(
    ("password", "username", "message"),
    [
        ("", "", "at least 12 characters; this one has 0"),
        ("elevenchars", "", "at least 12 characters; this one has 11"),
        ("aaaaaaaaaaaaaaa", "", "must not be one character repeated"),
        ("x" * 1025, "", "at most 1024 characters"),
        ("Ada.Lovelace42", "ada.lovelace42", "must not be the same as the username"),
    ],
)
def test_the_password_policy_says_what_is_wrong(password: str, username: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_password(password, username=username)


@pytest.mark.parametrize("password", ["twelve chars", "ab" * 6, "Ada.Lovelace42!"])
def test_passwords_meeting_the_policy_pass(password: str) -> None:
    check_password(password, username="ada.lovelace42")


def test_hashes_are_salted_and_verify() -> None:
    first, second = hash_password(ADA_PW), hash_password(ADA_PW)
    assert first != second
    assert verify_password(first, ADA_PW) and not verify_password(first, PIA_PW)
    assert not verify_password("not a hash", ADA_PW)
    assert needs_rehash("not a hash")


@pytest.mark.parametrize(
    ("idle", "expired"),
    [
        (timedelta(0), False),
        (timedelta(minutes=SESSION_IDLE_MINUTES) - timedelta(seconds=1), False),
        (timedelta(minutes=SESSION_IDLE_MINUTES), True),
        (timedelta(hours=5), True),
        (timedelta(minutes=-3), False),  # clock skew
    ],
)
def test_a_staff_login_expires_after_an_hour_idle(idle: timedelta, expired: bool) -> None:
    assert is_expired(T0, T0 + idle) is expired


# -- the admin command ---------------------------------------------------------


def run_admin(db: Path, username: str, password: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SQ_ADMIN_PASSWORD", "SQ_DB")}
    if password is not None:
        env["SQ_ADMIN_PASSWORD"] = password
    command = ["-m", "store.admin", "create-admin", "--db", str(db), "--username", username]
    return subprocess.run(
        [sys.executable, *command],
        cwd=PROJECT_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_admin_command_bootstraps_the_first_admin_once(tmp_path: Path) -> None:
    db = tmp_path / "var" / "sq.sqlite"
    first = run_admin(db, "Ada", ADA_PW)
    assert (first.returncode, first.stdout, first.stderr) == (0, f"created admin ada in {db}\n", "")
    assert open_store(str(db)).authenticate("ada", ADA_PW).role is Role.ADMIN

    second = run_admin(db, "eve", "another passphrase")
    assert second.returncode == 1
    assert second.stdout == ""
    assert "has accounts already" in second.stderr
    assert rows(open_store(str(db)), "SELECT username FROM users") == [("ada",)]


@pytest.mark.parametrize(
    ("password", "message"),
    [(None, "set SQ_ADMIN_PASSWORD or run this in a terminal"), ("short", "at least 12")],
    ids=["no password, no terminal", "weak password"],
)
def test_the_admin_command_refuses_without_a_good_password(
    tmp_path: Path, password: str | None, message: str
) -> None:
    db = tmp_path / "sq.sqlite"
    result = run_admin(db, "ada", password)
    assert result.returncode == 1
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert not open_store(str(db)).has_users()


def test_a_staff_member_changes_the_own_password(stores: StoreFactory) -> None:
    store = stores.open(staff=False)
    store.create_user("ada", "erstes-langes-passwort", Role.ADMIN, actor=None)
    with pytest.raises(LoginError):
        store.change_password("ada", "falsches-passwort-xx", "zweites-langes-passwort")
    with pytest.raises(ValidationError, match="12"):
        store.change_password("ada", "erstes-langes-passwort", "kurz")
    store.change_password("ada", "erstes-langes-passwort", "zweites-langes-passwort")
    with pytest.raises(LoginError):
        store.authenticate("ada", "erstes-langes-passwort")
    assert store.authenticate("ada", "zweites-langes-passwort").username == "ada"
    actions = [e.action for e in store.audit_entries(actor=Actor("ada", Role.ADMIN))]
    assert "user.password" in actions
