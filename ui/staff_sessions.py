"""Facilitators open and close lab sessions, show the join code, transcribe paper maps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from geo.districts import DistrictPack
from layers.qr import qr_png
from rules.errors import SQError
from rules.labs import FORMATS, LabSession
from rules.roles import Actor
from services.join_address import is_loopback_host, own_ipv4_addresses, suggested_urls
from store import Store
from ui import resources, state
from ui.i18n import error_text, t
from ui.presentation import presentation_link
from ui.quarter_picker import quarter_label

_SHOWN = "shown_session"
_OPENED = "opened_session"  # the session just opened: its code card stays on top
_CLEAR_FORM = "open_session_clear"  # one-shot: empty the form before it is drawn
_CONFIRM_CLOSE = "confirm_close_session"
_TEXT_KEYS = ("open_title", "open_place")


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
    if st.session_state.pop(_CLEAR_FORM, False):
        # Set, not deleted: a browser keeps a deleted widget's old value on screen.
        for key in _TEXT_KEYS:
            st.session_state[key] = ""
    with st.form("open_session"):
        quarter_id = st.selectbox(
            t("Quarter"),
            options=[*lab_ids, *(d for d in pack.districts.index if d not in lab_ids)],
            format_func=names.__getitem__,
        )
        title = st.text_input(
            t("Title"), max_chars=120, placeholder="Quartierslabor Brackel 1", key="open_title"
        )
        held_on = st.date_input(
            t("Date"), value=date.today(), format="DD.MM.YYYY", key="open_held_on"
        )
        place = st.text_input(t("Place"), max_chars=120, key="open_place")
        fmt = st.radio(
            t("Format"),
            options=list(FORMATS),
            format_func=lambda f: t(FORMATS[f]),
            key="open_format",
        )
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
    st.session_state[_OPENED] = session.id
    st.session_state[_CLEAR_FORM] = True
    st.rerun()


def opened_card(store: Store, actor: Actor) -> None:
    """The code card of the session just opened, at the top of the page."""
    opened = st.session_state.get(_OPENED)
    if opened is None:
        return
    session = next((s for s in store.sessions(actor=actor) if s.id == opened), None)
    if session is None or not session.is_open:
        st.session_state.pop(_OPENED, None)
        return
    st.success(t("The lab session is open. Show this code to the participants."))
    code_card(session)


def localhost_warning(link: str) -> None:
    """Warn when the join link leads phones to themselves (localhost, no SQ_PUBLIC_URL)."""
    if resources.settings().public_url:
        return
    parts = urlsplit(link)
    if not is_loopback_host(parts.hostname or ""):
        return
    urls = suggested_urls(own_ipv4_addresses(), scheme=parts.scheme or "http", port=parts.port)
    message = t(
        "Phones cannot reach this address: it points to this laptop itself. Set SQ_PUBLIC_URL "
        "to the laptop's address in the hall's network and restart the app."
    )
    if urls:
        message += " " + t("Possible addresses of this laptop:") + " " + ", ".join(urls)
    st.warning(message, icon="⚠️")


def code_card(session: LabSession) -> None:
    """The code and QR code to put on the screen at the lab table."""
    with st.container(border=True):
        st.markdown("### " + t("Code for the lab"))
        st.text(session.title)  # a title is user text: never markup
        left, right = st.columns([2, 1])
        left.markdown(f"# `{session.join_code}`")
        link = join_link(session.join_code)
        left.caption(link)
        left.link_button(
            t("Presentation view"),
            presentation_link(session.id),
            icon=":material/present_to_all:",
            help=t(
                "Opens the code, the QR code and the live count in a new tab, large enough "
                "for a projector. F11 shows it on the whole screen."
            ),
        )
        right.image(qr_png(link), caption=t("Scan to take part"), width="stretch")
    localhost_warning(link)


def session_list(store: Store, pack: DistrictPack, actor: Actor) -> None:
    st.subheader(t("Sessions"))
    sessions = store.sessions(actor=actor)
    if not sessions:
        st.write(t("No sessions yet."))
        return
    shown = st.session_state.get(_SHOWN)
    on_top = st.session_state.get(_OPENED)
    for session in sessions:
        with st.container(border=True):
            head, actions = st.columns([3, 2])
            head.text(f"{session.title} · {session.held_on:%d.%m.%Y} · {session.place}")
            head.caption(
                f"{quarter_label(pack, session.quarter_id)} · "
                f"{t(FORMATS.get(session.format, session.format))} · {session.join_code} · "
                + (t("open") if session.is_open else t("closed"))
            )
            if not session.is_open:
                if actions.button(t("Reopen"), key=f"reopen_{session.id}"):
                    _act(store.reopen_session, session.id, actor)
                continue
            if actions.button(t("Show code"), key=f"show_{session.id}"):
                # Again from the top: a card drawn above for the code shown before goes.
                st.session_state[_SHOWN] = session.id
                st.rerun()
            if actions.button(t("Transcribe a paper map"), key=f"transcribe_{session.id}"):
                state.join_session(session.id, session.quarter_id)
                st.switch_page("pages/mitmachen/karte.py")
            _close_buttons(store, session, actor, actions)
            if shown == session.id and on_top != session.id:
                code_card(session)


def _close_buttons(store: Store, session: LabSession, actor: Actor, column: Any) -> None:
    """ "Close session" asks first; only "Yes, close" closes (it can be reopened)."""
    if st.session_state.get(_CONFIRM_CLOSE) != session.id:
        if column.button(t("Close session"), key=f"close_{session.id}"):
            st.session_state[_CONFIRM_CLOSE] = session.id
            st.rerun()
        return
    column.warning(t("Close this lab? Phones can then no longer add notes."))
    yes, no = column.columns(2)
    if yes.button(t("Yes, close"), key=f"close_yes_{session.id}", type="primary"):
        st.session_state.pop(_CONFIRM_CLOSE, None)
        _act(store.close_session, session.id, actor)
    if no.button(t("Cancel"), key=f"close_no_{session.id}"):
        st.session_state.pop(_CONFIRM_CLOSE, None)
        st.rerun()


def _act(change: Callable[..., None], session_id: int, actor: Actor) -> None:
    try:
        change(session_id, actor=actor)
    except SQError as exc:
        st.error(error_text(exc))
    else:
        st.rerun()
