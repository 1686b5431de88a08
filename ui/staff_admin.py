"""Admins: accounts and roles, the audit log, and the retention of free texts."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from rules.errors import SQError
from rules.local_time import local, start_of_day
from rules.roles import ROLE_LABELS, Actor, Role
from store import Store
from ui.i18n import error_text, md, t, tn

STAFF_ROLES = [r for r in Role if r is not Role.PARTICIPANT]


def _role_label(role: Role) -> str:
    return t(ROLE_LABELS[role])


def _when(moment: datetime | None) -> str:
    return f"{local(moment):%d.%m.%Y %H:%M}" if moment else "–"


def accounts(store: Store, actor: Actor) -> None:
    st.subheader(t("Accounts"))
    users = store.users(actor=actor)
    st.dataframe(
        pd.DataFrame(
            {
                t("Username"): [u.username for u in users],
                t("Role"): [_role_label(u.role) for u in users],
                # Many in a row mean someone is guessing (tries then wait, see the audit).
                t("Wrong passwords"): [u.failed_logins for u in users],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form("new_account"):
        st.markdown("**" + t("New account") + "**")
        username = st.text_input(t("Username"), max_chars=64)
        password = st.text_input(t("Initial password (at least 12 characters)"), type="password")
        role = st.selectbox(t("Role"), options=STAFF_ROLES, format_func=_role_label)
        if st.form_submit_button(t("Create account")):
            try:
                store.create_user(username or "", password or "", role, actor=actor)
            except SQError as exc:
                st.error(error_text(exc))
            else:
                st.success(t("Account {name} created.", name=md(username or "")))
    names = [u.username for u in users]
    with st.form("change_role"):
        st.markdown("**" + t("Change a role or unlock an account") + "**")
        name = st.selectbox(t("Username"), options=names)
        new_role = st.selectbox(t("New role"), options=STAFF_ROLES, format_func=_role_label)
        reason = st.text_input(t("Reason"), max_chars=300)
        change, unlock = st.columns(2)
        changed = change.form_submit_button(t("Change role"))
        unlocked = unlock.form_submit_button(t("Unlock"))
    try:
        if changed and name:
            store.set_role(name, new_role, actor=actor, reason=reason or "")
            st.success(t("Role changed."))
        if unlocked and name:
            store.unlock(name, actor=actor, reason=reason or "")
            st.success(t("Account unlocked."))
    except SQError as exc:
        st.error(error_text(exc))


def audit_log(store: Store, actor: Actor) -> None:
    st.subheader(t("Audit log"))
    entries = store.audit_entries(actor=actor)
    st.dataframe(
        pd.DataFrame(
            {
                t("When"): [f"{local(e.at):%d.%m.%Y %H:%M:%S}" for e in entries],
                t("Who"): [e.actor for e in entries],
                t("What"): [e.action for e in entries],
                t("Target"): [e.target for e in entries],
                t("Detail"): [e.detail for e in entries],
                t("Reason"): [e.reason for e in entries],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def retention(store: Store, actor: Actor) -> None:
    st.subheader(t("Delete old free texts"))
    st.caption(
        t(
            "For example once the plan of measures is adopted. Category, place, time and "
            "supports stay; only the free texts of older notes are deleted."
        )
    )
    with st.form("retention"):
        before = st.date_input(
            t("Delete texts of notes made before"), value=date.today(), format="DD.MM.YYYY"
        )
        sure = st.checkbox(t("Yes, delete these texts for good"))
        submitted = st.form_submit_button(t("Delete texts"))
    if not submitted:
        return
    if not sure:
        st.error(t("Please confirm first."))
        return
    cutoff = start_of_day(before)
    try:
        count = store.purge_texts(before=cutoff, actor=actor)
    except SQError as exc:
        st.error(error_text(exc))
    else:
        st.success(tn("{count} text deleted.", "{count} texts deleted.", count))
