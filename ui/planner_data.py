"""What the planner page reads: pins of the chosen quarters and the chosen layers."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.districts import DistrictPack
from geo.filters import within_areas
from geo.privacy import released_texts_only
from rules.layer_meta import LayerMeta
from rules.roles import Action, allowed
from store import Store
from ui import resources
from ui.auth import current_actor
from ui.layer_registry import layer_frame
from ui.planner_filters import PlannerView


@st.cache_data(show_spinner=False, max_entries=8)
def _pins_frame(db_url: str, quarter_ids: tuple[str, ...], version: str) -> gpd.GeoDataFrame:
    # `version` is part of the key: any change of the data reloads, a rerun does not.
    del version
    return resources.store().pins_frame(list(quarter_ids))


def _staff_view(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Texts before release are for moderators only."""
    return frame if allowed(current_actor().role, Action.MODERATE) else released_texts_only(frame)


def quarter_pins(store: Store, quarter_ids: tuple[str, ...]) -> gpd.GeoDataFrame:
    """All visible pins of the quarters as a frame (cached until the data change)."""
    return _staff_view(_pins_frame(resources.settings().db_url, quarter_ids, store.data_version()))


def pins_visible(view: PlannerView) -> bool:
    """Pins are demo data exactly when the app runs on the demo database."""
    return view.show_demo if resources.settings().demo else view.show_real


def layer_frames(
    pack: DistrictPack, metas: list[LayerMeta], quarter_ids: tuple[str, ...]
) -> dict[str, gpd.GeoDataFrame]:
    """Each layer's features within the chosen quarters (what the map and exports show)."""
    areas = pack.districts.loc[list(quarter_ids)].geometry if quarter_ids else gpd.GeoSeries()
    return {meta.id: within_areas(layer_frame(meta), areas) for meta in metas}
