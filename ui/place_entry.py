"""Choosing a place without the map: a landmark, an offset from it, or coordinates."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.pins import check_inside
from geo.places import DIRECTIONS, landmarks_near, offset_point, parse_coordinates
from rules.errors import ValidationError
from services import labels as label_texts
from ui import labels, state
from ui.i18n import error_text, language, t

LANDMARK_RADIUS_M = 300.0


def _accept(lon: float, lat: float, area: BaseGeometry, name: str) -> None:
    try:
        check_inside(lon, lat, area, name)
    except ValidationError as exc:
        st.error(error_text(exc))
        return
    state.set_pending(lon, lat)
    st.rerun()


@st.cache_resource(show_spinner=False, max_entries=16)
def nearby_landmarks(
    quarter_id: str, _landmarks: gpd.GeoDataFrame, _area: BaseGeometry
) -> gpd.GeoDataFrame:
    """The landmarks near one quarter, found once per process (not on every run)."""
    return landmarks_near(_landmarks, _area, distance_m=LANDMARK_RADIUS_M)


@st.cache_resource(show_spinner=False, max_entries=32)
def _choices(
    quarter_id: str, lang: str, _landmarks: gpd.GeoDataFrame, _area: BaseGeometry
) -> list[str]:
    """Each nearby landmark as the list shows it, "name (kind)": worked out once per
    quarter and language, not for every one of them on every run."""
    nearby = nearby_landmarks(quarter_id, _landmarks, _area)
    return [
        f"{name} ({label_texts.landmark_kind(kind, lang)})"
        for name, kind in zip(nearby["name"], nearby["kind"], strict=True)
    ]


def place_entry(
    all_landmarks: gpd.GeoDataFrame, area: BaseGeometry, name: str, quarter_id: str
) -> None:
    nearby = nearby_landmarks(quarter_id, all_landmarks, area)
    st.write(t("Choose a stop or a school near the place, then say how far and which way."))
    options = list(range(len(nearby)))
    choice = st.selectbox(
        t("Landmark"),
        options=options,
        index=None,
        format_func=_choices(quarter_id, language(), all_landmarks, area).__getitem__,
        placeholder=t("Type to search …"),
        key="landmark_choice",
    )
    distance_m = st.number_input(
        t("About how many metres from it? (0 = right there)"),
        min_value=0,
        max_value=2000,
        value=0,
        step=25,
        key="landmark_distance",
    )
    direction = st.selectbox(
        t("In which direction?"),
        options=list(DIRECTIONS),
        format_func=labels.direction,
        key="landmark_direction",
    )
    if st.button(t("Use this place"), key="landmark_use", type="primary"):
        if choice is None:
            st.error(t("Please choose a landmark first."))
        else:
            point = nearby.geometry.iloc[choice]
            try:
                lon, lat = offset_point(
                    point.x, point.y, distance_m=float(distance_m), direction=direction
                )
            except ValidationError as exc:
                st.error(error_text(exc))
            else:
                _accept(lon, lat, area, name)

    # Tracked, so that it stays open across the reruns a save or a refresh brings.
    with st.expander(t("Or type coordinates"), key="coords_open", on_change="rerun"):
        typed = st.text_input(t("Latitude, longitude (e.g. 51.5136, 7.5470)"), key="typed_coords")
        if st.button(t("Use these coordinates"), key="coords_use"):
            try:
                lon, lat = parse_coordinates(typed or "")
            except ValidationError as exc:
                st.error(error_text(exc))
            else:
                _accept(lon, lat, area, name)
