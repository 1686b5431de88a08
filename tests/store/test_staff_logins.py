"""Staff logins kept by the browser: a token opens its account while the login is in
use, with the role it logged in with; on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rules.accounts import SESSION_IDLE_MINUTES
from rules.roles import Actor, Role
from store import Store
from tests.conftest import StoreFactory

PASSWORD = "ein-langes-passwort-1"
ADMIN = Actor("ada", Role.ADMIN)
T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    store = stores.open(staff=False)
    store.create_user("ada", PASSWORD, Role.ADMIN, actor=None)
    store.create_user("pia", PASSWORD, Role.PLANNER, actor=ADMIN)
    return store


def _start(store: Store) -> str:
    user = store.authenticate("pia", PASSWORD)
    return store.start_staff_login(user, now=T0)


def test_a_login_in_use_is_resumed_and_each_use_keeps_it_alive(store: Store) -> None:
    token = _start(store)
    later = T0 + timedelta(minutes=SESSION_IDLE_MINUTES - 1)
    user = store.resume_staff_login(token, now=later)
    assert user is not None and (user.username, user.role) == ("pia", Role.PLANNER)
    # Used just now: alive for another idle span from here.
    again = later + timedelta(minutes=SESSION_IDLE_MINUTES - 1)
    assert store.resume_staff_login(token, now=again) is not None


def test_an_idle_login_ends(store: Store) -> None:
    token = _start(store)
    idle = T0 + timedelta(minutes=SESSION_IDLE_MINUTES)
    assert store.resume_staff_login(token, now=idle) is None
    assert store.resume_staff_login(token, now=T0) is None  # forgotten, not only refused


def test_a_changed_role_ends_the_login(store: Store) -> None:
    token = _start(store)
    store.set_role("pia", Role.MODERATOR, actor=ADMIN)
    assert store.resume_staff_login(token, now=T0) is None


def test_a_logged_out_or_unknown_token_opens_nothing(store: Store) -> None:
    token = _start(store)
    other = _start(store)
    store.end_staff_login(token)
    assert store.resume_staff_login(token, now=T0) is None
    assert store.resume_staff_login(other, now=T0) is not None  # the other tab's login
    assert store.resume_staff_login("x" * 43, now=T0) is None
    # Only a hash of the token is stored.
    with store.db.read() as conn:
        stored = [row[0] for row in conn.execute("SELECT token_hash FROM staff_logins").fetchall()]
    assert other not in stored and len(stored) == 1
