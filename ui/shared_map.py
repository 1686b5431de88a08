"""The shared map of one quarter, refreshed every few seconds for everyone."""

from __future__ import annotations

import html

import streamlit as st

from geo.datapack import DistrictPack
from geo.errors import OutsideQuarterError, StoreError
from geo.pins import Pin, check_inside
from geo.vocab import CATEGORIES, CATEGORY_COLOURS
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
        legend()
        pin_list(pins)
        if clicked is None:
            return
        try:
            check_inside(*clicked, area, name)
        except OutsideQuarterError as exc:
            # Kept in the session: the next refresh must not wipe the explanation.
            state.set_map_notice(error_text(exc))
        else:
            state.set_pending(*clicked)
        st.rerun(scope="app")

    _live()


def legend() -> None:
    """Colour key of the categories; labels are ours, so markup here is safe."""
    items = " ".join(
        f'<span style="white-space:nowrap;margin-right:0.8em">'
        f'<span style="color:{CATEGORY_COLOURS[code]};font-size:1.3em">●</span> '
        f"{html.escape(labels.category(code))}</span>"
        for code in CATEGORIES
    )
    st.markdown(f'<div style="line-height:1.9">{items}</div>', unsafe_allow_html=True)


def pin_list(pins: list[Pin]) -> None:
    """The same pins as a table, for people who cannot use the map."""
    with st.expander(t("All notes as a list")):
        if not pins:
            st.write(t("No notes yet."))
            return
        rows = [
            {
                t("What"): labels.category(pin.category),
                t("When"): labels.time_band(pin.time_band),
                t("How unsafe"): labels.severity(pin.severity),
                t("Text"): pin.text,
                t("Reported on"): pin.created_at.strftime("%d.%m.%Y"),
            }
            for pin in reversed(pins)
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
