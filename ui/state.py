"""Session-state keys and the small typed accessors around them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import streamlit as st

from geo.pins import PinDraft, new_token

QUARTER: Final = "quarter_id"
PENDING: Final = "pending_place"
UNSAVED: Final = "unsaved_pins"
FLASH: Final = "flash_message"
LAST_CLICK: Final = "last_handled_click"
MAP_NOTICE: Final = "map_notice"


@dataclass(frozen=True, slots=True)
class PendingPlace:
    """A place chosen for a new pin; its token is reused for every save attempt."""

    lon: float
    lat: float
    token: str


def quarter() -> str | None:
    value = st.session_state.get(QUARTER)
    return str(value) if value else None


def choose_quarter(district_id: str | None) -> None:
    st.session_state[QUARTER] = district_id
    st.session_state[PENDING] = None
    st.session_state[MAP_NOTICE] = None


def pending() -> PendingPlace | None:
    value = st.session_state.get(PENDING)
    return value if isinstance(value, PendingPlace) else None


def set_pending(lon: float, lat: float) -> None:
    st.session_state[PENDING] = PendingPlace(lon=lon, lat=lat, token=new_token())
    st.session_state[MAP_NOTICE] = None


def clear_pending() -> None:
    st.session_state[PENDING] = None


def unsaved() -> list[PinDraft]:
    return list(st.session_state.get(UNSAVED, []))


def keep_unsaved(draft: PinDraft) -> None:
    drafts = [d for d in unsaved() if d.token != draft.token]
    st.session_state[UNSAVED] = [*drafts, draft]


def set_unsaved(drafts: list[PinDraft]) -> None:
    st.session_state[UNSAVED] = drafts


def flash(message: str, *, ok: bool = True) -> None:
    """A message shown once on the next run (e.g. after a save and rerun)."""
    st.session_state[FLASH] = (message, ok)


def show_flash() -> None:
    """Show the message left by the previous run, once."""
    message, ok = st.session_state.pop(FLASH, None) or ("", True)
    if message:
        (st.success if ok else st.error)(message)


def set_map_notice(message: str | None) -> None:
    """Why the last tap on the map did not start a pin (None: it did)."""
    st.session_state[MAP_NOTICE] = message


def map_notice() -> str | None:
    message = st.session_state.get(MAP_NOTICE)
    return str(message) if message else None
