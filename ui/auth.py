"""Staff login in the session, idle expiry, and the check every page makes."""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import streamlit as st

from rules.accounts import User, is_expired
from rules.roles import ROLE_LABELS, Action, Actor, Role, allowed
from services import staff_cookie
from store import Store
from ui import resources, state
from ui.i18n import t

USER_KEY = "staff_login"
_NOTICE = "login_notice"
_RESUMED = "staff_cookie_read"  # this session has looked at the login cookie once
_HAND_OVER = "staff_token_to_keep"  # for static/page.js to keep (state.recent)
# The token is in the page only this long after the login: long enough for the script
# to pass it on, short enough that it is not lying around in the page.
_HAND_OVER_S = 60.0
# The store's record of a login in use is renewed at most this often.
_RENEW_EVERY = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class StaffLogin:
    username: str
    role: Role
    last_seen: datetime
    token: str | None = None  # the login kept by the browser (None: this tab only)
    renewed: datetime | None = None


def current_login(*, touch: bool = True) -> StaffLogin | None:
    """The logged-in staff member, or None; an idle login expires here.

    `touch` records this run as activity; timed refreshes pass False.
    """
    login = st.session_state.get(USER_KEY)
    if not isinstance(login, StaffLogin):
        login = _resumed()
    if login is None:
        return None
    now = datetime.now(UTC)
    if is_expired(login.last_seen, now):
        _end(login)
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
        renewed = login.renewed
        if login.token and (renewed is None or now - renewed >= _RENEW_EVERY):
            resources.store().resume_staff_login(login.token, now=now)
            renewed = now
        st.session_state[USER_KEY] = replace(login, last_seen=now, renewed=renewed)
    return login


def _resumed() -> StaffLogin | None:
    """A new tab or a reload: the login the browser keeps, if the store still knows it
    (looked at once per session; after a log-out the store knows it no more)."""
    if st.session_state.get(_RESUMED):
        return None
    st.session_state[_RESUMED] = True
    token = staff_cookie.valid_token(st.context.cookies.get(staff_cookie.NAME))
    if token is None:
        return None
    user = resources.store().resume_staff_login(token)
    if user is None:
        return None
    login = _login_of(user, token)
    st.session_state[USER_KEY] = login
    return login


def _login_of(user: User, token: str | None) -> StaffLogin:
    now = datetime.now(UTC)
    return StaffLogin(user.username, user.role, last_seen=now, token=token, renewed=now)


def _end(login: StaffLogin) -> None:
    if login.token:
        resources.store().end_staff_login(login.token)


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
    token = store.start_staff_login(user)
    login = _login_of(user, token)
    st.session_state[USER_KEY] = login
    state.keep_for_a_while(_HAND_OVER, token)
    return login


def log_out() -> None:
    login = st.session_state.get(USER_KEY)
    if isinstance(login, StaffLogin):
        _end(login)
    st.session_state[USER_KEY] = None
    st.session_state.pop(_HAND_OVER, None)
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


def _hand_over_token() -> None:
    """Just after a login: the token in a hidden marker, which static/page.js posts to
    services.staff_cookie.KEEP_PATH to become the HttpOnly login cookie."""
    token = state.recent(_HAND_OVER, _HAND_OVER_S)
    if not isinstance(token, str):
        return
    st.sidebar.html(
        f'<span id="sq-keep-login" data-token="{html.escape(token)}" '
        f'data-path="{staff_cookie.KEEP_PATH}" hidden></span>'
    )


def sidebar_login_state() -> None:
    """Who is logged in, and a way out."""
    login = current_login()
    if login is None:
        return
    _hand_over_token()
    st.sidebar.caption(
        t("Logged in as {name} ({role})", name=login.username, role=t(ROLE_LABELS[login.role]))
    )
    if st.sidebar.button(t("Log out"), key="logout"):
        log_out()
        st.rerun()
