"""What the planner page reads: pins of the chosen quarters and the chosen layers."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.datapack import DistrictPack
from geo.filters import within_areas
from geo.layer import LayerMeta
from geo.pins import pins_frame
from store import SqliteStore
from ui import resources
from ui.layer_registry import layer_frame
from ui.planner_filters import PlannerView


@st.cache_data(show_spinner=False, max_entries=8)
def _pins_frame(db_url: str, quarter_ids: tuple[str, ...], version: int) -> gpd.GeoDataFrame:
    # `version` (the pin count) is part of the key: a new pin reloads, a rerun does not.
    del version
    return pins_frame(resources.store().pins_in_quarters(list(quarter_ids)))


def quarter_pins(store: SqliteStore, quarter_ids: tuple[str, ...]) -> gpd.GeoDataFrame:
    """All visible pins of the quarters as a frame (cached until the pins change)."""
    return _pins_frame(resources.settings().db_url, quarter_ids, store.count_pins())


def pins_visible(view: PlannerView) -> bool:
    """Pins are demo data exactly when the app runs on the demo database."""
    return view.show_demo if resources.settings().demo else view.show_real


def layer_frames(
    pack: DistrictPack, metas: list[LayerMeta], quarter_ids: tuple[str, ...]
) -> dict[str, gpd.GeoDataFrame]:
    """Each layer's features within the chosen quarters (what the map and exports show)."""
    areas = pack.districts.loc[list(quarter_ids)].geometry if quarter_ids else gpd.GeoSeries()
    return {meta.id: within_areas(layer_frame(meta), areas) for meta in metas}
