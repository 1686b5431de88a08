"""Every note of a quarter as a list, for people who cannot use the map: what, when,
where in words, its text and released photos, and "me too" and "report" as on the map."""

from __future__ import annotations

import streamlit as st

from geo.districts import DistrictPack
from geo.places import Whereabouts, whereabouts
from rules.errors import StoreError
from services import labels as label_texts
from store import Store
from ui import labels, resources
from ui.i18n import error_text, language, t
from ui.note_photos import photo_strip, released_photo_ids
from ui.participation import pin_actions
from ui.place_entry import nearby_landmarks
from ui.shared_map import visible_pins

PAGE_SIZE = 10
_SHOWN = "pin_list_count"


def place_in_words(place: Whereabouts | None) -> str:
    if place is None:
        return t("Place: shown on the map only")
    landmark = f"{place.landmark} ({label_texts.landmark_kind(place.kind, language())})"
    if not place.direction:
        return t("At {landmark}", landmark=landmark)
    return t(
        "About {distance} m {direction} of {landmark}",
        distance=place.distance_m,
        direction=label_texts.direction(place.direction, language()),
        landmark=landmark,
    )


def pin_list(store: Store, pack: DistrictPack, quarter_id: str) -> None:
    """The notes, newest first, a page at a time; drawn only when asked for."""
    if not st.toggle(t("All notes as a list"), key="pin_list_shown"):
        return
    try:
        pins = visible_pins(store, quarter_id).sort_values("id", ascending=False)
    except StoreError as exc:
        st.warning(error_text(exc))
        return
    if pins.empty:
        st.write(t("No notes yet."))
        return
    shown = pins.head(st.session_state.get(_SHOWN, PAGE_SIZE))
    landmarks = nearby_landmarks(quarter_id, resources.landmarks(), pack.geometry(quarter_id))
    places = whereabouts(landmarks, shown.geometry.x.tolist(), shown.geometry.y.tolist())
    photos = released_photo_ids(store, shown["id"].astype(int).tolist())
    for row, place in zip(shown.itertuples(), places, strict=True):
        title = t("Note {number}", number=row.id)
        with st.container(border=True):
            st.markdown(
                f"**{title}**: {labels.category(row.category)}, {labels.time_band(row.time_band)}"
            )
            st.write(place_in_words(place))
            if row.text:
                st.text(row.text)  # plain text: never markup
            photo_strip(photos.get(int(row.id), []), note_number=int(row.id))
            pin_actions(store, row)
    left = len(pins) - len(shown)
    if left > 0 and st.button(t("Show {count} more", count=min(left, PAGE_SIZE))):
        st.session_state[_SHOWN] = len(shown) + PAGE_SIZE
        st.rerun()
