"""Session-state keys and the small typed accessors around them."""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

import streamlit as st

from rules.pins import PinDraft, new_token
from services.participant_cookie import NAME as COOKIE_NAME
from services.participant_cookie import valid_token

QUARTER: Final = "quarter_id"
PENDING: Final = "pending_place"
UNSAVED: Final = "unsaved_pins"
FLASH: Final = "flash_message"
LAST_CLICK: Final = "last_handled_click"
MAP_NOTICE: Final = "map_notice"
PARTICIPANT: Final = "participant_id"
SESSION: Final = "lab_session_id"
SELECTED: Final = "selected_place"
# In the address, so a reload or a dropped connection comes back to the same place.
CODE_PARAM: Final = "code"
QUARTER_PARAM: Final = "quartier"
LAST_OBJECT: Final = "last_handled_object"


@dataclass(frozen=True, slots=True)
class PendingPlace:
    """A place chosen for a new pin; its token is reused for every save attempt."""

    lon: float
    lat: float
    token: str


def participant_id() -> str:
    """The browser's random participation number (services.participant_cookie), the same
    in every tab and after a reload: the limits of taking part hold per device. Without
    the cookie (cookies blocked) a random number for this tab stands in."""
    token = valid_token(st.context.cookies.get(COOKIE_NAME))
    if token is not None:
        return token
    if PARTICIPANT not in st.session_state:
        st.session_state[PARTICIPANT] = uuid.uuid4().hex
    return str(st.session_state[PARTICIPANT])


def session_id() -> int | None:
    value = st.session_state.get(SESSION)
    return int(value) if value else None


def join_session(session_id: int, quarter_id: str, code: str | None = None) -> None:
    """Take part in a lab; with its `code`, which goes into the address (a participant's
    reload joins again; staff transcribing on their own page pass none)."""
    choose_quarter(quarter_id)
    st.session_state[SESSION] = session_id
    if code is not None:
        st.query_params[CODE_PARAM] = code


def quarter_from_link(known: Collection[str]) -> None:
    """A quarter named in the address (after a reload), when none is chosen yet."""
    linked = st.query_params.get(QUARTER_PARAM)
    if quarter() is None and linked in known:
        choose_quarter(linked)


def select_place(lon: float, lat: float) -> None:
    """A pin (or a few at the same spot) the participant tapped on the map."""
    st.session_state[SELECTED] = (lon, lat)


def selected_place() -> tuple[float, float] | None:
    value = st.session_state.get(SELECTED)
    return (float(value[0]), float(value[1])) if value else None


def keep_for_a_while(key: str, value: object) -> None:
    """Put `value` in the session for `recent` to read back while it is young."""
    st.session_state[key] = (value, time.monotonic())


def recent(key: str, seconds: float) -> object | None:
    """The value kept under `key` if it is younger than `seconds`; forgotten after."""
    kept = st.session_state.get(key)
    if kept is None:
        return None
    value, since = kept
    if time.monotonic() - since > seconds:
        del st.session_state[key]
        return None
    return value


def quarter() -> str | None:
    value = st.session_state.get(QUARTER)
    return str(value) if value else None


def choose_quarter(district_id: str | None) -> None:
    """Switch quarter; a lab session belongs to one quarter, so it is left too (and its
    code leaves the address)."""
    st.session_state[QUARTER] = district_id
    st.query_params.pop(CODE_PARAM, None)
    if district_id is None:
        st.query_params.pop(QUARTER_PARAM, None)
    else:
        st.query_params[QUARTER_PARAM] = district_id
    st.session_state[PENDING] = None
    st.session_state[MAP_NOTICE] = None
    st.session_state[SESSION] = None
    st.session_state[SELECTED] = None


def pending() -> PendingPlace | None:
    value = st.session_state.get(PENDING)
    return value if isinstance(value, PendingPlace) else None


def set_pending(lon: float, lat: float) -> None:
    st.session_state[PENDING] = PendingPlace(lon=lon, lat=lat, token=new_token())
    st.session_state[MAP_NOTICE] = None
    st.session_state[SELECTED] = None


def clear_pending() -> None:
    st.session_state[PENDING] = None


def unsaved() -> list[PinDraft]:
    return list(st.session_state.get(UNSAVED, []))


def keep_unsaved(draft: PinDraft) -> None:
    drafts = [d for d in unsaved() if d.token != draft.token]
    st.session_state[UNSAVED] = [*drafts, draft]


def set_unsaved(drafts: list[PinDraft]) -> None:
    st.session_state[UNSAVED] = drafts


# How long a message left for the next runs stays: a rerun the person did not ask for
# (a widget syncing its state) must not take the "thank you" away before it was read.
FLASH_S: Final = 8.0


def flash(message: str, *, ok: bool = True) -> None:
    """A message shown on the next runs of the next few seconds (e.g. after a save)."""
    keep_for_a_while(FLASH, (message, ok))


def show_flash() -> None:
    """Show the message left by a run of the last few seconds."""
    kept = recent(FLASH, FLASH_S)
    if isinstance(kept, tuple):
        message, ok = kept
        (st.success if ok else st.error)(message)


def set_map_notice(message: str | None) -> None:
    """Why the last tap on the map did not start a pin (None: it did)."""
    st.session_state[MAP_NOTICE] = message


def map_notice() -> str | None:
    message = st.session_state.get(MAP_NOTICE)
    return str(message) if message else None


MINE = "my_pins"  # ids of the notes this tab saved: for "what became of my note"


def set_mine(pin_ids: list[int]) -> None:
    st.session_state[MINE] = list(pin_ids)


def remember_mine(pin_id: int) -> None:
    mine = [p for p in my_pins() if p != pin_id]
    st.session_state[MINE] = [*mine, pin_id]


def my_pins() -> list[int]:
    return list(st.session_state.get(MINE, []))
