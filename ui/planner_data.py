"""What the planner page reads: pins of the chosen quarters and the chosen layers."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.datapack import DistrictPack
from geo.filters import within_areas
from geo.layer import LayerMeta
from geo.pins import Pin, pins_frame
from store import PinStore
from ui import resources
from ui.layer_registry import layer_frame
from ui.planner_filters import PlannerView


@st.cache_data(show_spinner=False, max_entries=8)
def _pins(db_url: str, quarter_ids: tuple[str, ...], version: int) -> list[Pin]:
    # `version` (the pin count) is part of the key: a new pin reloads, a rerun does not.
    del version
    return resources.store().pins_in_quarters(list(quarter_ids))


@st.cache_data(show_spinner=False, max_entries=8)
def _pins_frame(db_url: str, quarter_ids: tuple[str, ...], version: int) -> gpd.GeoDataFrame:
    return pins_frame(_pins(db_url, quarter_ids, version))


def quarter_pins(
    store: PinStore, quarter_ids: tuple[str, ...]
) -> tuple[list[Pin], gpd.GeoDataFrame]:
    """All pins of the quarters, as objects and as a frame (cached until pins change)."""
    url = resources.settings().db_url
    version = store.count_pins()
    return _pins(url, quarter_ids, version), _pins_frame(url, quarter_ids, version)


def pins_visible(view: PlannerView) -> bool:
    """Pins are demo data exactly when the app runs on the demo database."""
    return view.show_demo if resources.settings().demo else view.show_real


def pins_of(pins: list[Pin], shown: gpd.GeoDataFrame) -> list[Pin]:
    """The pin objects of the rows in `shown`, in the same order as `pins`."""
    ids = set(shown["id"].tolist())
    return [pin for pin in pins if pin.id in ids]


def layer_frames(
    pack: DistrictPack, metas: list[LayerMeta], quarter_ids: tuple[str, ...]
) -> dict[str, gpd.GeoDataFrame]:
    """Each layer's features within the chosen quarters (what the map and exports show)."""
    areas = pack.districts.loc[list(quarter_ids)].geometry if quarter_ids else gpd.GeoSeries()
    return {meta.id: within_areas(layer_frame(meta), areas) for meta in metas}
