"""What the planner page reads: pins of the chosen quarters and the chosen layers."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.districts import DistrictPack
from geo.filters import within_areas
from rules.layer_meta import LayerMeta
from services.pins_view import pins_for_role, pins_shown
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


def quarter_pins(store: Store, quarter_ids: tuple[str, ...]) -> gpd.GeoDataFrame:
    """All pins of the quarters as the user's role may see them (read cached until
    the data change)."""
    frame = _pins_frame(resources.settings().db_url, quarter_ids, store.pins_version())
    return pins_for_role(frame, current_actor().role)


def pins_visible(view: PlannerView) -> bool:
    """Whether the planner's map shows the pins (services.pins_view.pins_shown)."""
    return pins_shown(
        demo_mode=resources.settings().demo, show_demo=view.show_demo, show_real=view.show_real
    )


def layer_frames(
    pack: DistrictPack, metas: list[LayerMeta], quarter_ids: tuple[str, ...]
) -> dict[str, gpd.GeoDataFrame]:
    """Each layer's features within the chosen quarters (what the map and exports show)."""
    areas = pack.districts.loc[list(quarter_ids)].geometry if quarter_ids else gpd.GeoSeries()
    return {meta.id: within_areas(layer_frame(meta), areas) for meta in metas}
