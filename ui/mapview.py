"""The map widget: st_folium with only what the page needs coming back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import streamlit as st
from streamlit_folium import st_folium

from ui import state

MAP_HEIGHT_PX = 520


@dataclass(frozen=True, slots=True)
class MapEvent:
    """A new tap: on the map itself (`on_pin` False) or on a pin (`on_pin` True)."""

    lon: float
    lat: float
    on_pin: bool


def _new(result: dict[str, object], name: str, seen_key: str) -> dict[str, float] | None:
    value = result.get(name)
    if not isinstance(value, dict) or value == st.session_state.get(seen_key):
        return None
    st.session_state[seen_key] = value
    return value


def show_map(
    fmap: folium.Map, dynamic: Sequence[folium.FeatureGroup], *, key: str
) -> MapEvent | None:
    """Draw the map; return a new tap, once, or None.

    Layers in `dynamic` change without re-mounting the map, so a refresh of
    the pins does not reset a participant's zoom.
    """
    result = (
        st_folium(
            fmap,
            key=key,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=["last_clicked", "last_object_clicked"],
            feature_group_to_add=list(dynamic),
        )
        or {}
    )
    on_pin = _new(result, "last_object_clicked", state.LAST_OBJECT)
    if on_pin is not None:
        return MapEvent(lon=float(on_pin["lng"]), lat=float(on_pin["lat"]), on_pin=True)
    clicked = _new(result, "last_clicked", state.LAST_CLICK)
    if clicked is not None:
        return MapEvent(lon=float(clicked["lng"]), lat=float(clicked["lat"]), on_pin=False)
    return None
