"""The shared map of one quarter, refreshed every few seconds for everyone."""

from __future__ import annotations

import streamlit as st

from geo.datapack import DistrictPack
from geo.errors import OutsideQuarterError, StoreError
from geo.pins import check_inside
from layers.basemap import quarter_map
from layers.pins import pending_pin_layer, pins_layer
from store import PinStore
from ui import labels, resources, state
from ui.i18n import error_text, t
from ui.mapview import show_map


def shared_map(pack: DistrictPack, store: PinStore, quarter_id: str, name: str) -> None:
    """Draw the map with everyone's pins; a click inside the quarter starts a new pin."""
    area = pack.geometry(quarter_id)

    @st.fragment(run_every=resources.settings().refresh_s)
    def _live() -> None:
        try:
            pins = store.pins_in_quarter(quarter_id)
        except StoreError as exc:
            st.warning(error_text(exc))
            pins = []
        fmap = quarter_map(
            pack.districts,
            quarter_id,
            attributions=resources.attributions(),
            online_tiles=resources.settings().online_tiles,
        )
        dynamic = [pins_layer(pins, labels.pin_labels())]
        place = state.pending()
        if place is not None:
            dynamic.append(pending_pin_layer(place.lon, place.lat, tooltip=t("Your new note")))
        st.caption(t("{count} notes in {quarter} so far.", count=len(pins), quarter=name))
        clicked = show_map(fmap, dynamic, key=f"map_{quarter_id}")
        if clicked is None:
            return
        try:
            check_inside(*clicked, area, name)
        except OutsideQuarterError as exc:
            st.warning(error_text(exc))
            return
        state.set_pending(*clicked)
        st.rerun(scope="app")

    _live()
