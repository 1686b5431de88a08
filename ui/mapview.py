"""The map widget: st_folium with only what the page needs coming back."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import streamlit as st
from streamlit_folium import st_folium

from ui import state

MAP_HEIGHT_PX = 520


def show_map(
    fmap: folium.Map, dynamic: Sequence[folium.FeatureGroup], *, key: str
) -> tuple[float, float] | None:
    """Draw the map; return (lon, lat) of a new click, once, or None.

    Layers in `dynamic` change without re-mounting the map, so a refresh of
    the pins does not reset a participant's zoom.
    """
    result = st_folium(
        fmap,
        key=key,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=list(dynamic),
    )
    clicked = (result or {}).get("last_clicked")
    if not clicked or clicked == st.session_state.get(state.LAST_CLICK):
        return None
    st.session_state[state.LAST_CLICK] = clicked
    return float(clicked["lng"]), float(clicked["lat"])
