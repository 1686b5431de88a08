"""Where a note lies, as a moderator needs it: its quarter's name, its place in words,
and on request a small map of it (one map when asked, never one per note)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit_folium import st_folium

from geo.districts import DistrictPack
from geo.places import Whereabouts, whereabouts
from layers.note_map import NoteMark, notes_map
from rules.pins import Pin
from ui import resources
from ui.i18n import language, md
from ui.pin_list import place_in_words
from ui.place_entry import nearby_landmarks
from ui.quarter_picker import quarter_label

SMALL_MAP_HEIGHT_PX = 300


def quarter_name(pack: DistrictPack, quarter_id: str) -> str:
    """'Brackel', 'Phoenix-See (Hörde)': the name, never the district number alone
    (that only for a number the data pack does not know)."""
    return quarter_names(pack).get(quarter_id, quarter_id)


@st.cache_resource(show_spinner=False, max_entries=2)
def quarter_names(_pack: DistrictPack) -> dict[str, str]:
    """Every district's name as the queue shows it, looked up once per process (a lookup
    in the frame took about half a millisecond, for each note on every run)."""
    return {str(d): quarter_label(_pack, str(d)) for d in _pack.districts["district_id"]}


Spot = tuple[int, str, float, float]  # pin id, quarter, lon, lat


def places(pack: DistrictPack, pins: Sequence[Pin]) -> dict[int, str]:
    """Each note's place in words (pin id -> text, markdown-safe)."""
    spots = tuple((pin.id, pin.quarter_id, pin.lon, pin.lat) for pin in pins)
    return _places(spots, language(), pack)


@st.cache_resource(show_spinner=False, max_entries=64)
def _places(spots: tuple[Spot, ...], lang: str, _pack: DistrictPack) -> dict[int, str]:
    """Worked out once per page of notes and language (about 35 ms for twenty, each run
    of the page otherwise), the landmarks looked up once per quarter. `lang` keys the
    cache: the words are in the session's language."""
    found: dict[int, Whereabouts | None] = {}
    for quarter_id in dict.fromkeys(quarter for _, quarter, _, _ in spots):
        group = [spot for spot in spots if spot[1] == quarter_id]
        ids = [pin_id for pin_id, _, _, _ in group]
        try:
            area = _pack.geometry(quarter_id)
        except KeyError:
            found.update(dict.fromkeys(ids, None))
            continue
        landmarks = nearby_landmarks(quarter_id, resources.landmarks(), area)
        where = whereabouts(landmarks, [s[2] for s in group], [s[3] for s in group])
        found.update(zip(ids, where, strict=True))
    return {pin_id: md(place_in_words(spot)) for pin_id, spot in found.items()}


def small_map(
    pack: DistrictPack,
    quarter_id: str,
    marks: Sequence[NoteMark],
    *,
    key: str,
    caption: str = "",
    joined: bool = True,
) -> None:
    """A small map of `marks` in their quarter (joined by a line: `joined`), with `caption`
    below; taps and pans send nothing back."""
    fmap = notes_map(
        pack.districts,
        quarter_id,
        marks,
        attributions=resources.attributions(),
        basemap=resources.settings().basemap,
        joined=joined,
    )
    st_folium(
        fmap,
        key=key,
        height=SMALL_MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
    )
    if caption:
        st.caption(caption)
