"""The shared map of one quarter, refreshed every few seconds for everyone.

Participants see the public view: places snapped to a grid, texts only once a
moderator released them. Staff who may read exact places see them exactly.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from config.basemaps import Basemap
from geo.districts import DistrictPack
from geo.pins import check_inside
from layers.basemap import quarter_map
from layers.pins import pending_pin_layer, pins_layer
from rules.errors import OutsideQuarterError, StoreError
from rules.roles import Role
from services import labels as label_texts
from services import pins_view
from store import Store
from ui import labels, resources, state
from ui.auth import current_actor
from ui.i18n import error_text, language, t, tn
from ui.mapview import DrawnMap, draw, layers_script, show_drawn


def visible_pins(store: Store, quarter_id: str, *, touch_login: bool = True) -> gpd.GeoDataFrame:
    """The quarter's pins as this user's role may see them (services.pins_view)."""
    role = current_actor(touch=touch_login).role
    return _visible(quarter_id, role, state.session_id(), store.pins_version(), store)


@st.cache_resource(show_spinner=False, max_entries=64)
def _visible(
    quarter_id: str, role: Role, own_session: int | None, version: str, _store: Store
) -> gpd.GeoDataFrame:
    """Read and worked out once per data version, shared by every session: fifty maps
    refresh every few seconds in a lab. Callers must not change the frame."""
    return pins_view.visible_pins(_store, quarter_id, role, own_session=own_session)


@st.cache_resource(show_spinner=False, max_entries=16)
def _base(quarter_id: str, basemap: Basemap | None, _pack: DistrictPack) -> DrawnMap:
    """The quarter's map without pins, drawn once per process."""
    credits = resources.attributions()
    fmap = quarter_map(_pack.districts, quarter_id, attributions=credits, basemap=basemap)
    return draw(fmap)


@st.cache_resource(show_spinner=False, max_entries=64)
def _pins_script(
    quarter_id: str,
    role: Role,
    own_session: int | None,
    version: str,
    language: str,
    _store: Store,
) -> tuple[str, int]:
    """The pins one kind of viewer sees, as the map's first changing layer, drawn once
    per data version; (the layer's script, how many pins)."""
    pins = _visible(quarter_id, role, own_session, version, _store)
    photos = _store.released_photo_ids(pins["id"].tolist()) if len(pins) else {}
    layer = pins_layer(pins, label_texts.pin_labels(language), grouped=True, photos=photos)
    return layers_script([layer]), len(pins)


def shared_map(pack: DistrictPack, store: Store, quarter_id: str, name: str) -> None:
    """Draw the map with everyone's pins; a tap inside the quarter starts a new pin,
    a tap on a pin opens it."""
    area = pack.geometry(quarter_id)

    @st.fragment(run_every=resources.settings().refresh_s)
    def _live() -> None:
        # The timed refresh is no activity: it must not keep a staff login alive.
        role = current_actor(touch=False).role
        drawn = _base(quarter_id, resources.settings().basemap, pack)
        try:
            version = store.pins_version()
            script, count = _pins_script(
                quarter_id, role, state.session_id(), version, language(), store
            )
        except StoreError as exc:
            st.warning(error_text(exc))
            script, count, version = "", None, ""
        place = state.pending()
        if place is not None:
            pending = pending_pin_layer(place.lon, place.lat, tooltip=t("Your new note"))
            script += layers_script([pending], first=1)
        if count is not None:  # "0 notes" would be wrong while they cannot be read
            st.caption(
                tn(
                    "{count} note in {quarter} so far.",
                    "{count} notes in {quarter} so far.",
                    count,
                    quarter=name,
                )
            )
        event = show_drawn(drawn, key=f"map_{quarter_id}", layers=script)
        labels.legend(groups=True)
        if event is None:
            return
        if event.on_pin:
            state.select_place(event.lon, event.lat)
        elif state.session_id() is None:
            state.set_map_notice(t("To add a note, please enter the code of your lab first."))
        else:
            try:
                check_inside(event.lon, event.lat, area, name)
            except OutsideQuarterError as exc:
                # Kept in the session: the next refresh must not wipe the explanation.
                state.set_map_notice(error_text(exc))
            else:
                state.set_pending(event.lon, event.lat)
        st.rerun(scope="app")

    _live()
