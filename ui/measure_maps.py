"""Small maps of where a candidate place or a measure lies, in the measures page's
lists: one static SVG per entry (layers.measure_thumbs), named in German for screen
readers, with one legend above each list."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit.delta_generator import DeltaGenerator

from geo.districts import DistrictPack
from layers.measure_thumbs import GAP_PX, PANEL_PX, place_thumbnail
from ui.i18n import t, tn

MAP_CLASS = "sq-place-map"  # the wrapper of each small map (tests find them by it)
THUMB_WIDTH_PX = 2 * PANEL_PX + GAP_PX


def note_points(pins: gpd.GeoDataFrame) -> dict[int, BaseGeometry]:
    """The notes' places by id, looked up once for all the small maps of a page run."""
    return dict(zip((int(i) for i in pins["id"]), pins.geometry, strict=True))


def map_and_text() -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two places side by side, the small map (its full width, so its scale bar stays
    readable) and the text beside it; the text wraps below where the row is narrow
    (a phone, a tablet with the menu open)."""
    row = st.container(horizontal=True, gap="medium")
    with row:
        where = st.container(width=THUMB_WIDTH_PX)
        about = st.container(width="stretch")
    return where, about


def map_legend() -> None:
    """What the small maps of a list show, said once above it."""
    st.caption(
        t(
            "Small maps: on the left the quarter, the frame marks the place; on the right"
            " the frame enlarged: blue dots are the notes, the orange ring or the area with"
            " a dashed edge is the place."
        )
    )


def place_map(
    pack: DistrictPack,
    points: Mapping[int, BaseGeometry],
    quarter_id: str,
    place: BaseGeometry,
    pin_ids: tuple[int, ...],
) -> None:
    """A small static map (SVG) of where `place` lies in its quarter, with its notes."""
    notes = [points[p] for p in pin_ids if p in points]
    quarter = pack.short_labels().get(quarter_id, quarter_id)
    shape_words = (
        t("the place as a ring") if place.geom_type == "Point" else t("the area with a dashed edge")
    )
    label = t(
        "Small map of {quarter}: a frame marks the place; enlarged beside it: {notes} and {place}.",
        quarter=quarter,
        notes=tn("{count} note as a dot", "{count} notes as dots", len(notes)),
        place=shape_words,
    )
    outline = pack.geometry(quarter_id) if quarter_id in pack.district_ids else None
    svg = place_thumbnail(outline, place, notes, label=label)
    st.markdown(f'<div class="{MAP_CLASS}">{svg}</div>', unsafe_allow_html=True)
