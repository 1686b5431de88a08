"""Staff login in the session, idle expiry, and the check every page makes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import streamlit as st

from geo.accounts import is_expired
from geo.roles import ROLE_LABELS, Action, Actor, Role, allowed
from store import SqliteStore
from ui.i18n import t

USER_KEY = "staff_login"


@dataclass(frozen=True, slots=True)
class StaffLogin:
    username: str
    role: Role
    last_seen: datetime


def current_login() -> StaffLogin | None:
    """The logged-in staff member, or None; an idle login expires here."""
    login = st.session_state.get(USER_KEY)
    if not isinstance(login, StaffLogin):
        return None
    now = datetime.now(UTC)
    if is_expired(login.last_seen, now):
        st.session_state[USER_KEY] = None
        st.session_state["login_expired"] = True
        return None
    st.session_state[USER_KEY] = replace(login, last_seen=now)
    return login


def current_actor() -> Actor:
    login = current_login()
    return Actor.participant() if login is None else Actor(name=login.username, role=login.role)


def log_in(store: SqliteStore, username: str, password: str) -> StaffLogin:
    """Check the password in the store (lockout included) and remember the login."""
    user = store.authenticate(username, password)
    login = StaffLogin(username=user.username, role=user.role, last_seen=datetime.now(UTC))
    st.session_state[USER_KEY] = login
    return login


def log_out() -> None:
    st.session_state[USER_KEY] = None


def require_page(action: Action) -> Actor:
    """Stop the page with a plain message unless the current user may do `action`.

    This runs on the server for every page run; hiding a menu entry is not the check.
    """
    actor = current_actor()
    if allowed(actor.role, action):
        return actor
    if st.session_state.pop("login_expired", False):
        st.warning(t("Your login has expired after a while without activity. Please log in again."))
    if actor.role is Role.PARTICIPANT:
        st.error(t("This page is for city staff. Please log in first."))
        st.page_link("pages/anmelden.py", label=t("Log in"), icon=":material/login:")
    else:
        st.error(t("Your role ({role}) may not open this page.", role=t(ROLE_LABELS[actor.role])))
    st.stop()


def sidebar_login_state() -> None:
    """Who is logged in, and a way out."""
    login = current_login()
    if login is None:
        return
    st.sidebar.caption(
        t("Logged in as {name} ({role})", name=login.username, role=t(ROLE_LABELS[login.role]))
    )
    if st.sidebar.button(t("Log out"), key="logout"):
        log_out()
        st.rerun()
