"""The login form for staff (and the optional single sign-on button)."""

from __future__ import annotations

import streamlit as st

from rules.errors import SQError
from rules.roles import ROLE_LABELS
from store import Store
from ui.auth import current_login, log_in, log_out
from ui.i18n import error_text, t


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False
    except Exception:  # a malformed secrets file must not break the login page
        return False


def login_section(store: Store) -> None:
    login = current_login()
    if login is not None:
        st.success(
            t("Logged in as {name} ({role})", name=login.username, role=t(ROLE_LABELS[login.role]))
        )
        if st.button(t("Log out"), key="logout_page"):
            log_out()
            st.rerun()
        password_form(store, login.username)
        return
    with st.form("login"):
        username = st.text_input(t("Username"), max_chars=64, autocomplete="username")
        password = st.text_input(
            t("Password"), type="password", max_chars=1024, autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("Log in"), type="primary")
    if submitted:
        try:
            log_in(store, username or "", password or "")
        except SQError as exc:
            st.error(error_text(exc))
        else:
            st.rerun()
    if _sso_configured():
        st.divider()
        st.caption(t("City staff with a city account can log in with single sign-on."))
        if st.button(t("Log in with the city account")):
            st.login()


def password_form(store: Store, username: str) -> None:
    with st.expander(t("Change my password")), st.form("change_password"):
        old = st.text_input(t("Current password"), type="password", max_chars=1024)
        new = st.text_input(
            t("New password (at least 12 characters)"), type="password", max_chars=1024
        )
        again = st.text_input(t("New password again"), type="password", max_chars=1024)
        if not st.form_submit_button(t("Change password")):
            return
        if new != again:
            st.error(t("The two new passwords differ."))
            return
        try:
            store.change_password(username, old or "", new or "")
        except SQError as exc:
            st.error(error_text(exc))
        else:
            st.success(t("Password changed."))
