"""Facilitators open and close lab sessions, show the join code, transcribe paper maps."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import streamlit as st

from geo.districts import DistrictPack
from layers.qr import qr_png
from rules.errors import SQError
from rules.labs import FORMATS, LabSession
from rules.roles import Actor
from store import Store
from ui import resources, state
from ui.i18n import error_text, t

_SHOWN = "shown_session"


def join_link(code: str) -> str:
    """The address a QR code sends phones to: the app's start page (the map) with the code.

    The root, not /karte: right after a server start Streamlit answers a first deep link
    with "page not found" because of the pages/ folder; the root always works.
    """
    configured = resources.settings().public_url
    if configured:
        return f"{configured.rstrip('/')}/?code={code}"
    parts = urlsplit(str(st.context.url or "http://127.0.0.1:8501/"))
    return f"{parts.scheme}://{parts.netloc}/?code={code}"


def open_form(store: Store, pack: DistrictPack, actor: Actor) -> None:
    st.subheader(t("Open a lab session"))
    names = pack.short_labels()
    lab_ids = pack.district_ids
    with st.form("open_session"):
        quarter_id = st.selectbox(
            t("Quarter"),
            options=[*lab_ids, *(d for d in pack.districts.index if d not in lab_ids)],
            format_func=names.__getitem__,
        )
        title = st.text_input(t("Title"), max_chars=120, placeholder="Quartierslabor Brackel 1")
        held_on = st.date_input(t("Date"), value=date.today(), format="DD.MM.YYYY")
        place = st.text_input(t("Place"), max_chars=120)
        fmt = st.radio(t("Format"), options=list(FORMATS), format_func=lambda f: t(FORMATS[f]))
        submitted = st.form_submit_button(t("Open session"), type="primary")
    if not submitted:
        return
    try:
        session = store.open_session(
            quarter_id=str(quarter_id),
            title=title or "",
            held_on=held_on,
            place=place or "",
            format=str(fmt),
            actor=actor,
        )
    except SQError as exc:
        st.error(error_text(exc))
        return
    st.session_state[_SHOWN] = session.id
    st.rerun()


def code_card(session: LabSession) -> None:
    """The code and QR code to put on the screen at the lab table."""
    with st.container(border=True):
        st.markdown("### " + t("Code for the lab"))
        st.text(session.title)  # a title is user text: never markup
        left, right = st.columns([2, 1])
        left.markdown(f"# `{session.join_code}`")
        link = join_link(session.join_code)
        left.caption(link)
        right.image(qr_png(link), caption=t("Scan to take part"), width=200)


def session_list(store: Store, actor: Actor) -> None:
    st.subheader(t("Sessions"))
    sessions = store.sessions(actor=actor)
    if not sessions:
        st.write(t("No sessions yet."))
        return
    shown = st.session_state.get(_SHOWN)
    for session in sessions:
        with st.container(border=True):
            head, actions = st.columns([3, 2])
            head.text(f"{session.title} · {session.held_on:%d.%m.%Y} · {session.place}")
            head.caption(
                f"{t(FORMATS.get(session.format, session.format))} · {session.join_code} · "
                + (t("open") if session.is_open else t("closed"))
            )
            if not session.is_open:
                continue
            if actions.button(t("Show code"), key=f"show_{session.id}"):
                st.session_state[_SHOWN] = session.id
                shown = session.id
            if actions.button(t("Transcribe a paper map"), key=f"transcribe_{session.id}"):
                state.join_session(session.id, session.quarter_id)
                st.switch_page("pages/mitmachen/karte.py")
            if actions.button(t("Close session"), key=f"close_{session.id}"):
                try:
                    store.close_session(session.id, actor=actor)
                except SQError as exc:
                    st.error(error_text(exc))
                else:
                    st.rerun()
            if shown == session.id:
                code_card(session)
