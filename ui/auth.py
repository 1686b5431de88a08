"""Staff login in the session, idle expiry, and the check every page makes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import streamlit as st

from rules.accounts import is_expired
from rules.roles import ROLE_LABELS, Action, Actor, Role, allowed
from store import Store
from ui import resources
from ui.i18n import t

USER_KEY = "staff_login"
_NOTICE = "login_notice"


@dataclass(frozen=True, slots=True)
class StaffLogin:
    username: str
    role: Role
    last_seen: datetime


def current_login(*, touch: bool = True) -> StaffLogin | None:
    """The logged-in staff member, or None; an idle login expires here.

    `touch` records this run as activity; timed refreshes pass False.
    """
    login = st.session_state.get(USER_KEY)
    if not isinstance(login, StaffLogin):
        return None
    now = datetime.now(UTC)
    if is_expired(login.last_seen, now):
        st.session_state[USER_KEY] = None
        st.session_state[_NOTICE] = t(
            "Your login has expired after a while without activity. Please log in again."
        )
        return None
    account = resources.store().account(login.username)
    if account is None or account.role is not login.role:
        # The role changed (or the account went) since login: the old rights end now.
        st.session_state[USER_KEY] = None
        st.session_state[_NOTICE] = t("Your account's role has changed. Please log in again.")
        return None
    if touch:
        st.session_state[USER_KEY] = replace(login, last_seen=now)
    return login


def sso_login(store: Store) -> None:
    """Single sign-on (Streamlit's OIDC login, where a city configured it): a verified
    e-mail that matches a staff account logs in with that account's role."""
    if current_login() is not None or not getattr(st.user, "is_logged_in", False):
        return
    if st.user.get("email_verified") is not True:
        return  # only an address the identity provider verified maps to an account
    user = store.account(str(st.user.get("email", "")))
    if user is not None:
        st.session_state[USER_KEY] = StaffLogin(
            username=user.username, role=user.role, last_seen=datetime.now(UTC)
        )


def current_actor(*, touch: bool = True) -> Actor:
    login = current_login(touch=touch)
    return Actor.participant() if login is None else Actor(name=login.username, role=login.role)


def log_in(store: Store, username: str, password: str) -> StaffLogin:
    """Check the password in the store (lockout included) and remember the login."""
    user = store.authenticate(username, password)
    login = StaffLogin(username=user.username, role=user.role, last_seen=datetime.now(UTC))
    st.session_state[USER_KEY] = login
    return login


def log_out() -> None:
    st.session_state[USER_KEY] = None
    if getattr(st.user, "is_logged_in", False):
        st.logout()  # end the single sign-on too, or the next run logs straight back in


def require_page(action: Action) -> Actor:
    """Stop the page with a plain message unless the current user may do `action`.

    This runs on the server for every page run; hiding a menu entry is not the check.
    """
    actor = current_actor()
    if allowed(actor.role, action):
        return actor
    if notice := st.session_state.pop(_NOTICE, None):
        st.warning(notice)
    if actor.role is Role.PARTICIPANT:
        st.error(t("This page is for city staff. Please log in first."))
        st.page_link("pages/stadt/anmelden.py", label=t("Log in"), icon=":material/login:")
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
