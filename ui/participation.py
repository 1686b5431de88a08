"""Taking part: joining a lab with its code, "me too" and flagging a pin."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import streamlit as st

from geo.nearby import within_m
from rules.errors import SQError, StoreError
from rules.labs import LabSession, normalise_code
from services.participant_cookie import (
    HANDED_OVER_PARAM,
    HANDED_OVER_TOO_SOON,
    HANDOVER_PATH,
)
from store import Store
from ui import labels, state
from ui.i18n import error_text, md, t, tn
from ui.shared_map import visible_pins

_LAST_SESSION = "last_seen_session"
# A tapped pin is found within this many metres of the tap (pins are snapped).
PICK_RADIUS_M = 8.0


def join_with_code(store: Store, code: str) -> bool:
    """Join the open session a code names; explain plainly when that is not possible."""
    session = store.session_by_code(code)
    if session is None:
        st.error(
            t(
                "There is no lab with the code {code}. Please check the code.",
                code=normalise_code(code) or "–",
            )
        )
        return False
    if not session.is_open:
        st.error(
            t(
                "The lab “{title}” has ended and takes no new notes. Thank you for taking part!",
                title=md(session.title),
            )
        )
        return False
    state.join_session(session.id, session.quarter_id, session.join_code)
    if not state.my_pins():
        # Back after a reload: this browser's notes of this lab, with their numbers.
        state.set_mine(store.pin_ids_of(state.participant_id(), session.id))
    return True


def joined_session(store: Store) -> LabSession | None:
    """The lab this participant joined, as the store knows it now (it may have closed).

    If the store cannot be reached, the session as last seen keeps the page usable:
    saving will then fail and keep the note for a retry.
    """
    session_id = state.session_id()
    if session_id is None:
        return None
    try:
        session = store.session(session_id)
    except StoreError:
        cached = st.session_state.get(_LAST_SESSION)
        return cached if isinstance(cached, LabSession) else None
    st.session_state[_LAST_SESSION] = session
    return session


def code_from_link(store: Store) -> None:
    """Join through the link of the lab's QR code (?code=…), once."""
    if st.query_params.get(HANDED_OVER_PARAM) == HANDED_OVER_TOO_SOON:
        del st.query_params[HANDED_OVER_PARAM]
        # As a flash: joining by the code below reruns the page.
        state.flash(
            t(
                "This device was just handed on. Please wait a minute before handing it to "
                "the next person."
            ),
            ok=False,
        )
    code = st.query_params.get(state.CODE_PARAM)
    # The code stays in the address: a reload joins again, with this browser's notes.
    if code and state.session_id() is None and join_with_code(store, code):
        st.rerun()


def handover_link(session: LabSession) -> None:
    """On a shared lab tablet: the next person takes part with a number of their own."""
    label = t("Next person at this device")
    st.markdown(
        f"[{label}]({HANDOVER_PATH}?code={session.join_code})",
        help=t(
            "The next person can then add notes and say “Me too” once per note themselves. "
            "Possible once a minute."
        ),
    )


def join_box(store: Store) -> None:
    with st.form("join", border=True):
        code = st.text_input(
            t("Code of your lab (shown on the screen)"),
            max_chars=12,
            key="join_code",
            placeholder="K7M3QX",
        )
        joined = st.form_submit_button(t("Take part"), type="primary", width="stretch")
    if joined and join_with_code(store, code or ""):
        st.rerun()


def pins_at(pins: gpd.GeoDataFrame, lon: float, lat: float) -> gpd.GeoDataFrame:
    """The pins drawn where the participant tapped (several may share a snapped spot)."""
    return within_m(pins, lon=lon, lat=lat, radius_m=PICK_RADIUS_M, nearest_first=False)


def pin_panel(store: Store, quarter_id: str) -> None:
    """What a tapped pin says, with "me too" and a way to report it."""
    place = state.selected_place()
    if place is None:
        return
    try:
        chosen = pins_at(visible_pins(store, quarter_id), *place)
    except StoreError as exc:
        st.warning(error_text(exc))
        return
    if chosen.empty:
        return
    for row in chosen.itertuples():
        with st.container(border=True):
            st.markdown(f"**{labels.category(row.category)}** · {labels.time_band(row.time_band)}")
            if row.text:
                st.text(row.text)  # plain text: never markup
            pin_actions(store, row)


def pin_actions(store: Store, row: Any) -> None:
    """How many say "me too", a way to say it (in a lab) and a way to report the note."""
    st.caption(t("Me too: {count}", count=row.supports))
    if state.session_id() is not None and st.button(
        t("Me too (+1)"), key=f"support_{row.id}", type="primary"
    ):
        try:
            count = store.add_support(
                int(row.id), state.participant_id(), session_id=state.session_id()
            )
        except SQError as exc:
            st.error(error_text(exc))
        else:
            state.flash(
                tn(
                    "Thank you! {count} person now supports this note.",
                    "Thank you! {count} people now support this note.",
                    count,
                )
            )
            st.rerun()
    with st.expander(t("Report this note")):
        reason = st.text_input(
            t("Why? (e.g. insulting, personal data)"),
            max_chars=300,
            key=f"flag_reason_{row.id}",
        )
        if st.button(t("Report"), key=f"flag_{row.id}"):
            try:
                store.flag_pin(int(row.id), reason or "", participant=state.participant_id())
            except SQError as exc:
                st.error(error_text(exc))
            else:
                st.success(t("Thank you. A moderator will look at it."))
