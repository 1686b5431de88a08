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
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    SESSION_IDLE_MINUTES,
    AccountLockedError,
    LoginError,
    User,
    is_expired,
    normalise_username,
)
from rules.errors import ValidationError
from rules.roles import Actor, PermissionDeniedError, Role
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
    return stores.open(stores.new_url(template=seeded[stores.backend]))


@pytest.fixture
def empty(stores: StoreFactory) -> Store:
    return stores.open()


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


def test_ten_wrong_passwords_lock_the_account_for_fifteen_minutes(store: Store) -> None:
    fail(store, MAX_FAILED_LOGINS - 1, now=T0)
    with pytest.raises(AccountLockedError, match="locked for 15 more minutes") as tenth:
        store.authenticate("pia", "wrong passphrase", now=T0)
    assert tenth.value.params == {"minutes": LOCK_MINUTES}

    # Locked: even the right password is refused, with the minutes left.
    with pytest.raises(AccountLockedError) as right:
        store.authenticate("pia", PIA_PW, now=T0 + timedelta(minutes=14, seconds=30))
    assert right.value.params == {"minutes": 1}
    [locked] = [u for u in store.users(actor=ADMIN) if u.username == "pia"]
    assert locked.failed_logins == MAX_FAILED_LOGINS
    assert locked.locked_until == T0 + timedelta(minutes=LOCK_MINUTES)

    # Lock over: the right password works and the counter starts again at 0.
    user = store.authenticate("pia", PIA_PW, now=T0 + timedelta(minutes=LOCK_MINUTES))
    assert (user.failed_logins, user.locked_until) == (0, None)
    fail(store, 1, now=T0 + timedelta(minutes=16))
    assert [u.failed_logins for u in store.users(actor=ADMIN) if u.username == "pia"] == [1]


def test_an_expired_lock_gives_a_fresh_count_of_tries(store: Store) -> None:
    with store.db.write() as conn:
        conn.execute(
            "UPDATE users SET failed_logins = 10, locked_until = ? WHERE username = 'pia'",
            (T0.isoformat(),),
        )
    fail(store, 1, now=T0)  # a plain failure, not another lock at once
    assert rows(store, "SELECT failed_logins, locked_until FROM users WHERE username = 'pia'") == [
        (1, None)
    ]


def test_a_successful_login_resets_the_count(store: Store) -> None:
    fail(store, 3, now=T0)
    assert store.authenticate("pia", PIA_PW, now=T0).failed_logins == 0
    assert rows(store, "SELECT failed_logins FROM users WHERE username = 'pia'") == [(0,)]


def test_an_admin_unlocks_an_account(store: Store) -> None:
    with store.db.write() as conn:
        conn.execute(
            "UPDATE users SET failed_logins = 10, locked_until = ? WHERE username = 'pia'",
            ((T0 + timedelta(minutes=10)).isoformat(),),
        )
    unlocked = store.unlock("PIA", actor=ADMIN, reason="called the office")
    assert (unlocked.failed_logins, unlocked.locked_until) == (0, None)
    assert store.authenticate("pia", PIA_PW, now=T0).username == "pia"
    assert actions(store)[-1] == ("ada", "user.unlock", "pia", "called the office")


def test_a_naive_now_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="'now' should be a timezone-aware datetime"):
        store.authenticate("pia", PIA_PW, now=datetime(2025, 3, 1, 18, 0))


# -- creating accounts ---------------------------------------------------------


def test_the_first_admin_is_bootstrapped_only_into_an_empty_store(empty: Store) -> None:
    assert not empty.has_users()
    with pytest.raises(ValidationError, match="first account must be an admin"):
        empty.create_user("fred", "facilitator pass", Role.FACILITATOR, actor=None)
    ada = empty.create_user("Ada", ADA_PW, Role.ADMIN, actor=None)
    assert (ada.username, ada.role, ada.failed_logins) == ("ada", Role.ADMIN, 0)
    assert empty.has_users()
    with pytest.raises(PermissionDeniedError, match="only an admin can create"):
        empty.create_user("eve", "sneaky admin pass", Role.ADMIN, actor=None)
    assert actions(empty) == [("system", "user.create", "ada", "")]


def test_an_admin_creates_staff_accounts(store: Store) -> None:
    fred = store.create_user(
        "fred", "facilitator pass", Role.FACILITATOR, actor=ADMIN, reason="lab"
    )
    assert fred.role is Role.FACILITATOR
    assert [u.username for u in store.users(actor=ADMIN)] == ["ada", "fred", "pia"]
    assert actions(store)[-1] == ("ada", "user.create", "fred", "lab")


def test_participants_get_no_account(store: Store) -> None:
    with pytest.raises(ValidationError, match="without an account"):
        store.create_user("paula", "participant pass", Role.PARTICIPANT, actor=ADMIN)
    with pytest.raises(ValidationError, match="without an account"):
        store.set_role("pia", Role.PARTICIPANT, actor=ADMIN)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pw", "at least 12 characters; this one has 8"),
        ("x" * 20, "one character repeated"),
        ("Fred.Example", "same as the username"),
    ],
)
def test_a_weak_password_creates_no_account(store: Store, password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        store.create_user("fred.example", password, Role.MODERATOR, actor=ADMIN)
    assert [u.username for u in store.users(actor=ADMIN)] == ["ada", "pia"]


@pytest.mark.parametrize("username", ["", "   ", "has space", "ümlaut", "-dash", "a" * 65])
def test_a_malformed_username_is_refused(username: str) -> None:
    with pytest.raises(ValidationError, match="A username has 1 to 64 characters"):
        normalise_username(username)


# -- roles and rights ----------------------------------------------------------


@pytest.mark.parametrize("role", LOWER_ROLES)
@pytest.mark.parametrize(
    "attempt",
    [
        lambda s, a: s.create_user("mallory", "mallory's passphrase", Role.ADMIN, actor=a),
        lambda s, a: s.set_role("pia", Role.ADMIN, actor=a),
        lambda s, a: s.users(actor=a),
        lambda s, a: s.unlock("pia", actor=a),
        lambda s, a: s.audit_entries(actor=a),
    ],
    ids=["create_user", "set_role", "users", "unlock", "audit_entries"],
)
def test_only_an_admin_manages_accounts_and_reads_the_audit_log(
    store: Store, role: Role, attempt: object
) -> None:
    before = actions(store)
    with pytest.raises(PermissionDeniedError, match="may not do this"):
        attempt(store, Actor(name="pia", role=role))  # type: ignore[operator]
    assert actions(store) == before
    assert rows(store, "SELECT username, role FROM users ORDER BY username") == [
        ("ada", "admin"),
        ("pia", "planner"),
    ]


@pytest.mark.parametrize("name", ["pia", "ghost"], ids=["demoted since login", "no account"])
def test_an_admin_login_that_is_no_longer_true_is_refused(store: Store, name: str) -> None:
    with pytest.raises(PermissionDeniedError, match="role has changed"):
        store.users(actor=Actor(name=name, role=Role.ADMIN))


def test_the_last_admin_cannot_be_demoted(store: Store) -> None:
    with pytest.raises(ValidationError, match="ada is the last admin"):
        store.set_role("ada", Role.PLANNER, actor=ADMIN)
    store.set_role("pia", Role.ADMIN, actor=ADMIN, reason="deputy")
    demoted = store.set_role("ada", Role.STEERING, actor=ADMIN, reason="handover")
    assert demoted.role is Role.STEERING
    pia = Actor(name="pia", role=Role.ADMIN)
    with pytest.raises(ValidationError, match="pia is the last admin"):
        store.set_role("pia", Role.MODERATOR, actor=pia)
    assert actions(store)[-2:] == [
        ("ada", "user.role", "pia", "deputy"),
        ("ada", "user.role", "ada", "handover"),
    ]


def test_setting_the_same_role_changes_nothing(store: Store) -> None:
    before = actions(store)
    assert store.set_role("pia", Role.PLANNER, actor=ADMIN).role is Role.PLANNER
    assert actions(store) == before


def test_an_unknown_account_is_named(store: Store) -> None:
    with pytest.raises(ValidationError, match="There is no account named ghost"):
        store.set_role("ghost", Role.PLANNER, actor=ADMIN)


# -- the audit log -------------------------------------------------------------


def test_audit_rows_record_create_role_and_lock(store: Store) -> None:
    store.set_role("pia", Role.MODERATOR, actor=ADMIN, reason="new task")
    fail(store, MAX_FAILED_LOGINS - 1, now=T0)
    with pytest.raises(AccountLockedError):
        store.authenticate("pia", "wrong passphrase", now=T0)
    entries = store.audit_entries(actor=ADMIN)
    assert [(e.actor, e.action, e.target, e.reason) for e in entries] == [
        ("system", "login.locked", "pia", ""),
        ("ada", "user.role", "pia", "new task"),
        ("ada", "user.create", "pia", ""),
        ("system", "user.create", "ada", ""),
    ]
    assert entries[0].at == T0
    assert entries[0].detail == "10 failed logins; locked until 2025-03-01T18:15:00+00:00"
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
    store = stores.open()
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
